"""Who may see and make booklets, on top of accounts/access.py.

A booklet belongs to its area (a region, a block or the ward). Whoever holds VIEW there or
above sees its editions and downloads them; whoever holds EDIT there or above (the region's
SC, the block SC, ward staff) writes its texts, picks its activities, makes and finishes it.
Anyone else gets 404 for another area's booklet, audited as every refusal; someone who may
see but not edit gets 403, audited.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability
from sasaeai.areas.models import Area, AreaKind

from .models import Column, Edition

VIEW, EDIT = Capability.VIEW, Capability.EDIT
# The areas a booklet is made for: one region, a block or the whole municipality.
BOOKLET_KINDS = (AreaKind.REGION, AreaKind.BLOCK, AreaKind.MUNICIPALITY)


def may_edit(user: Any, area: Area) -> bool:
    return access.can(user, EDIT, area)


def areas(user: Any) -> QuerySet[Area]:
    """The areas this person may make booklets for, in the area file's order."""
    found = access.areas(user, EDIT).filter(kind__in=BOOKLET_KINDS)
    return found.order_by("path")


def area(request: HttpRequest, code: str, capability: str = VIEW) -> Area:
    """An area whose booklets this person may see (404, audited, if not), and with EDIT
    asked, edit (403, audited, if not)."""
    found = access.get_object(
        request, Area.objects.filter(kind__in=BOOKLET_KINDS), capability, area_field="", code=code
    )
    return found


def editions(request: HttpRequest) -> QuerySet[Edition]:
    return access.scope(request.user, Edition.objects.select_related("area"), VIEW)


def edition(request: HttpRequest, pk: int, capability: str = VIEW) -> Edition:
    return access.get_object(request, Edition.objects.select_related("area"), capability, pk=pk)


def draft(request: HttpRequest, pk: int) -> Edition:
    """An edition still open to change: 403, audited, for a finished one (it is kept as it
    was printed)."""
    found = edition(request, pk, EDIT)
    if found.is_finished:
        access.refuse(request, "edition finished", area=found.area)
    return found


def column(request: HttpRequest, pk: int) -> Column:
    queryset = Column.objects.select_related("edition__area")
    found = access.get_object(request, queryset, EDIT, "edition__area", pk=pk)
    if found.edition.is_finished:
        access.refuse(request, "edition finished", area=found.edition.area)
    return found
