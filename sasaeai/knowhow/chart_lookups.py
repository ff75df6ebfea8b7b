"""Who may see and tally a forum chart (助け合い見える化チャート), on top of accounts/access.py.

A chart belongs to its region: whoever holds VIEW on the region or above sees it (the region's
SC and council members, the block SC, the ward); whoever holds EDIT there opens, tallies and
closes it (a council member reads it only, 403). Anyone else, another municipality included,
gets 404, audited, as everywhere.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability
from sasaeai.areas.models import Area, AreaKind
from sasaeai.councils.models import Meeting

from .models import ForumChart, ForumChartQuerySet

VIEW, EDIT = Capability.VIEW, Capability.EDIT


def charts(request: HttpRequest) -> ForumChartQuerySet:
    """Every chart this person may see."""
    return access.scope(request.user, ForumChart.objects.select_related("area"), VIEW)


def chart(request: HttpRequest, pk: int, capability: str = VIEW) -> ForumChart:
    """A chart this person may see (404 if not), on which they hold `capability` (403 if
    not); both audited."""
    queryset = ForumChart.objects.select_related("area", "meeting__council")
    return access.get_object(request, queryset, capability, pk=pk)


def may_tally(user: Any, chart: ForumChart) -> bool:
    return access.can(user, EDIT, chart.area)


def regions(user: Any) -> QuerySet[Area]:
    """The regions this person may open a chart for, in the area file's order."""
    return access.areas(user, EDIT).filter(kind=AreaKind.REGION).order_by("path")


def meetings(user: Any) -> QuerySet[Meeting]:
    """The meetings a chart may belong to: those of the councils of the regions above."""
    found = Meeting.objects.filter(council__area__in=regions(user))
    return found.select_related("council__area").order_by("-date", "-number")
