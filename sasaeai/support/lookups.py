"""Who may see and do what with requests for help and the register, on top of access.py.

Seeing: a request belongs to its council's area and a register entry to its own area;
both are seen by whoever holds VIEW on that area or above it (`access.scope` and
`access.get_object`): the region's SC and council members, the block SC, ward staff and
administrators. Anyone else (another region, another municipality) gets 404, audited.

Acting: the two sides of a request are told apart by where the role sits, not by job title.
- The council side of an area holds VIEW through a membership on that very area
  (`access.memberships`): the region SC and the council's members (who hold only VIEW).
  They open requests for their council and write messages on its requests.
- The ward side of an area holds EDIT on the area above it (`access.can(user, EDIT,
  area.parent)`; for the municipality itself, EDIT on it): ward staff and administrators
  for every area, the block SC for the regions of the block. They accept, finish or decline
  requests, write messages, and keep the register and its bookings for that area.
A region SC holds EDIT on their own region too, but not on the area above it, so they
cannot answer their own council's requests. Someone who may see but not act gets 403.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.db.models import QuerySet
from django.http import HttpRequest

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability
from sasaeai.areas.models import Area
from sasaeai.councils.models import Council

from .models import Booking, RequestQuerySet, SupportRequest, Venue, VenueQuerySet

VIEW, EDIT = Capability.VIEW, Capability.EDIT
COUNCIL, WARD = "council", "ward"


def is_council_side(user: Any, area: Area) -> bool:
    return any(m.area_id == area.pk and VIEW in m.capabilities for m in access.memberships(user))


def is_ward_side(user: Any, area: Area) -> bool:
    return access.can(user, EDIT, area.parent if area.parent_id else area)


def sides(user: Any, area: Area) -> set[str]:
    found = set()
    if is_council_side(user, area):
        found.add(COUNCIL)
    if is_ward_side(user, area):
        found.add(WARD)
    return found


def _refuse(request: HttpRequest, what: str, area: Area | None = None) -> NoReturn:
    access.refuse(request, f"not on the {what} side", area=area)


# Requests ---------------------------------------------------------------------------------


def requests(request: HttpRequest) -> RequestQuerySet:
    queryset = SupportRequest.objects.select_related("area", "council")
    return access.scope(request.user, queryset)


def support_request(request: HttpRequest, pk: int, side: str = "") -> SupportRequest:
    """A request the user may see, or 404; with `side`, 403 unless the user acts on that side
    of it (`side` may be "council", "ward" or "either")."""
    queryset = SupportRequest.objects.select_related(
        "area__parent", "council", "meeting", "need", "opened_by", "accepted_by"
    )
    found = access.get_object(request, queryset, pk=pk)
    mine = sides(request.user, found.area)
    if (side == "either" and not mine) or (side in (COUNCIL, WARD) and side not in mine):
        _refuse(request, side, found.area)
    return found


def requesting_councils(user: Any) -> QuerySet[Council]:
    """Councils for which the user may ask: those of areas where they are the council side,
    below the municipality (the ward's own council does not ask the ward)."""
    area_ids = [m.area_id for m in access.memberships(user) if VIEW in m.capabilities]
    return (
        Council.objects.filter(area_id__in=area_ids, area__parent__isnull=False)
        .select_related("area")
        .order_by("area__sort_order", "area__path")
    )


def require_council_side(request: HttpRequest) -> QuerySet[Council]:
    councils = requesting_councils(request.user)
    if not councils.exists():
        _refuse(request, COUNCIL)
    return councils


# Register ---------------------------------------------------------------------------------


def venues(request: HttpRequest) -> VenueQuerySet:
    return access.scope(request.user, Venue.objects.select_related("area"))


def venue(request: HttpRequest, pk: int, manage: bool = False) -> Venue:
    """A register entry the user may see, or 404; with `manage`, 403 unless ward side."""
    found = access.get_object(request, Venue.objects.select_related("area__parent"), pk=pk)
    if manage and not is_ward_side(request.user, found.area):
        _refuse(request, WARD, found.area)
    return found


def booking(request: HttpRequest, pk: int, manage: bool = False) -> Booking:
    queryset = Booking.objects.select_related("venue__area__parent", "request")
    found = access.get_object(request, queryset, area_field="venue__area", pk=pk)
    if manage and not is_ward_side(request.user, found.venue.area):
        _refuse(request, WARD, found.venue.area)
    return found


def managed_areas(user: Any) -> list[Area]:
    """Areas whose register the user keeps (ward side of each)."""
    candidates = access.areas(user, EDIT).select_related("parent").order_by("sort_order", "path")
    return [a for a in candidates if is_ward_side(user, a)]


def require_ward_side(request: HttpRequest) -> list[Area]:
    found = managed_areas(request.user)
    if not found:
        _refuse(request, WARD)
    return found


def may_manage_some(user: Any) -> bool:
    return bool(access.has_any(user, EDIT) and managed_areas(user))


def bookable_requests(request: HttpRequest) -> RequestQuerySet:
    """Open requests a booking may answer: those the user answers as the ward side."""
    visible = requests(request).open().select_related("area__parent")
    return visible.filter(pk__in=[r.pk for r in visible if is_ward_side(request.user, r.area)])
