"""Need, helper and 仲間募集 records fetched through accounts/access.py: every view asks the
same way."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability
from sasaeai.councils.models import Meeting
from sasaeai.directory.models import Activity

from .models import (
    Helper,
    HelperQuerySet,
    Introduction,
    Need,
    NeedQuerySet,
    NeedSheet,
    NeedSheetQuerySet,
    PeerCall,
    PeerCallQuerySet,
)

VIEW, EDIT = Capability.VIEW, Capability.EDIT
# How far back a meeting may be to be chosen as where a need was discussed.
MEETINGS_SINCE = dt.timedelta(days=730)


def needs(request: HttpRequest, capability: str = VIEW) -> NeedQuerySet:
    queryset = Need.objects.select_related("area", "kind")
    return access.scope(request.user, queryset, capability)


def need(request: HttpRequest, pk: int, capability: str = VIEW) -> Need:
    queryset = Need.objects.select_related("area", "kind", "meeting__council", "activity")
    return access.get_object(request, queryset, capability, pk=pk)


def linkable_activities(request: HttpRequest, need: Need) -> QuerySet[Activity]:
    """Running activities of the need's area that this person may see."""
    queryset = Activity.objects.within(need.area).live().order_by("kana", "name", "id")
    return access.scope(request.user, queryset, VIEW)


def linkable_meetings(request: HttpRequest, need: Need) -> QuerySet[Meeting]:
    """Recent meetings, held already, of the councils of the need's area and those above it."""
    areas = [*need.area.ancestors(), need.area]
    today = timezone.localdate()
    queryset = (
        Meeting.objects.filter(council__area__in=areas, date__gte=today - MEETINGS_SINCE)
        .held(today)
        .select_related("council")
        .order_by("-date", "-number")
    )
    return access.scope(request.user, queryset, VIEW, "council__area")


def can_edit(request: HttpRequest, obj: Any) -> bool:
    return access.can(request.user, EDIT, access.area_of(obj))


# Helpers carry names and contacts: every helper page asks for EDIT on the helper's area, so
# only staff of that area (and above) see them; a council member of the area gets 403.
def helpers(request: HttpRequest) -> HelperQuerySet:
    return access.scope(request.user, Helper.objects.select_related("area"), EDIT)


def helper(request: HttpRequest, pk: int) -> Helper:
    return access.get_object(request, Helper.objects.select_related("area"), EDIT, pk=pk)


def peer_calls(request: HttpRequest) -> PeerCallQuerySet:
    queryset = PeerCall.objects.select_related("activity__area")
    return access.scope(request.user, queryset, VIEW, "activity__area")


def peer_call(request: HttpRequest, pk: int, capability: str = EDIT) -> PeerCall:
    queryset = PeerCall.objects.select_related("activity__area")
    return access.get_object(request, queryset, capability, "activity__area", pk=pk)


def activity(request: HttpRequest, pk: int, capability: str = EDIT) -> Activity:
    return access.get_object(request, Activity.objects.select_related("area"), capability, pk=pk)


def introductions(request: HttpRequest) -> QuerySet[Introduction]:
    """Introductions of the areas this person sees. Their list names a helper by number only, as
    a need's timeline does: a helper's name is for those who edit the helper's area."""
    queryset = Introduction.objects.select_related("area", "need", "helper", "activity")
    return access.scope(request.user, queryset, VIEW)


def introduction(request: HttpRequest, pk: int) -> Introduction:
    queryset = Introduction.objects.select_related("area", "need")
    return access.get_object(request, queryset, EDIT, pk=pk)


def visible_activity(request: HttpRequest, pk: int | None) -> Activity | None:
    """An activity this person may see, for linking in an introduction; None when not."""
    if pk is None:
        return None
    return (
        access.scope(request.user, Activity.objects.select_related("area"), VIEW)
        .filter(pk=pk)
        .first()
    )


def public_peer_calls(request: HttpRequest) -> PeerCallQuerySet:
    municipality = access.public_municipality(request)
    return PeerCall.objects.shown_publicly(municipality).select_related("activity__area")


def need_sheets(request: HttpRequest, capability: str = VIEW) -> NeedSheetQuerySet:
    """Paper need forms (paper_models.py) of the areas this person holds `capability` on."""
    queryset = NeedSheet.objects.select_related("area", "need", "printed_by")
    return access.scope(request.user, queryset, capability)


def need_sheet(request: HttpRequest, pk: int, capability: str = VIEW) -> NeedSheet:
    queryset = NeedSheet.objects.select_related("area", "need")
    return access.get_object(request, queryset, capability, pk=pk)
