"""Events fetched through accounts/access.py.

Staff reach the events of the areas they may edit (access.scope). An SC also sees the
published events meant for them, which belong to areas *above* their own (the municipality,
their block): access.py grants downwards only, so that audience rule is written here once
(`audience`), on top of the memberships access.py loads, and handed to access.get_object,
which refuses a miss (404) or a lacking capability (403) and logs it like any other.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability, Membership, User
from sasaeai.areas.models import Area

from .models import PARTICIPANT_ROLES, Event, EventQuerySet, LocalEvent, Material, Signup
from .paper_models import EventSheet

VIEW, EDIT, PUBLISH = Capability.VIEW, Capability.EDIT, Capability.PUBLISH


def me(request: HttpRequest) -> User:
    """The signed-in user (views using this are behind an access gate)."""
    return cast(User, request.user)


def participant_paths(user: Any) -> list[str]:
    return [m.area.path for m in access.memberships(user) if m.role in PARTICIPANT_ROLES]


def is_participant(user: Any) -> bool:
    return bool(participant_paths(user))


def may_manage(user: Any) -> bool:
    return access.has_any(user, EDIT)


def takes_part(user: Any) -> bool:
    """Whether the user has any business with events: an SC they are meant for, or staff."""
    return is_participant(user) or may_manage(user)


# The gates of the pages for SCs (their calendar, their history) and of the events list.
participants_only = access.require_that(is_participant, "event participation")
events_users_only = access.require_that(takes_part, "event participation or editing")


def managed(request: HttpRequest, capability: str = EDIT) -> EventQuerySet:
    """Events of the areas the user may edit (drafts included)."""
    return access.scope(request.user, Event.objects.select_related("area", "kind"), capability)


def for_me(request: HttpRequest) -> EventQuerySet:
    """Published events meant for this SC (their region, their block, the municipality)."""
    paths = participant_paths(request.user)
    if not paths:
        return Event.objects.none()
    return Event.objects.for_participant_paths(paths).select_related("area", "kind")


def audience(request: HttpRequest) -> Q:
    """Who sees an event, as a filter on Event: the SCs it is meant for, once published, and
    those who may edit its area."""
    mine = for_me(request).values("pk")
    ours = managed(request).values("pk")
    return Q(pk__in=mine) | Q(pk__in=ours)


def visible(request: HttpRequest) -> EventQuerySet:
    return Event.objects.filter(audience(request)).select_related("area", "kind", "municipality")


def event(request: HttpRequest, pk: int, capability: str = VIEW) -> Event:
    """One event the user may see, or 404; 403 when they may see but lack `capability`."""
    queryset = Event.objects.select_related("area", "kind", "municipality")
    return access.get_object(request, queryset, capability, visible=audience(request), pk=pk)


def material(request: HttpRequest, pk: int) -> Material:
    """A material of an event the user may see, or 404."""
    seen = Q(event__in=visible(request))
    return access.get_object(request, Material.objects.all(), visible=seen, pk=pk)


def people(request: HttpRequest) -> Any:
    """Memberships of SCs in the areas the user may edit."""
    memberships = Membership.objects.filter(role__in=PARTICIPANT_ROLES)
    return access.scope(request.user, memberships, EDIT)


def person(request: HttpRequest, pk: int) -> User:
    """An SC of the areas the user may edit, or 404."""
    sc_here = Q(memberships__in=people(request))
    return access.get_object(request, User.objects.distinct(), visible=sc_here, pk=pk)


def editable_areas(request: HttpRequest) -> Any:
    """Areas an event may be for: the municipality, blocks and regions the user may edit."""
    return access.areas(request.user, EDIT).exclude(kind="unit").order_by("path")


def home_municipality(request: HttpRequest) -> Area:
    """The municipality whose plan and kinds this person manages: where they hold EDIT."""
    for membership in access.memberships(request.user):
        if EDIT in membership.capabilities:
            return membership.area.municipality or membership.area
    raise PermissionDenied


def can(request: HttpRequest, capability: str, obj: Event) -> bool:
    return access.can(request.user, capability, obj.area)


# Local events for residents: managed by whoever may edit their region (its SC and above).
# Their sign-ups hold residents' names and contacts, so every staff page of them asks EDIT.


def managed_local(request: HttpRequest) -> Any:
    """Local events of the areas the user may edit (drafts included)."""
    return access.scope(request.user, LocalEvent.objects.select_related("area"), EDIT)


def local_event(request: HttpRequest, pk: int, capability: str = EDIT) -> LocalEvent:
    """One local event of an area the user may edit, or 404 (403 for a viewer)."""
    queryset = LocalEvent.objects.select_related("area", "municipality")
    return access.get_object(request, queryset, capability, pk=pk)


def signup(request: HttpRequest, pk: int) -> Signup:
    """One sign-up to a local event of an area the user may edit, or 404 (403 for a viewer)."""
    queryset = Signup.objects.select_related("event__area", "event__municipality")
    return access.get_object(request, queryset, EDIT, "event__area", pk=pk)


def event_sheets(request: HttpRequest) -> Any:
    """Paper sign-up sheets (paper_models.py) of the local events the user may edit: they
    carry names and phone numbers as the sign-ups do."""
    return access.scope(request.user, EventSheet.objects.select_related("event", "area"), EDIT)


def event_sheet(request: HttpRequest, pk: int) -> EventSheet:
    queryset = EventSheet.objects.select_related("event__area", "event__municipality", "area")
    return access.get_object(request, queryset, EDIT, pk=pk)


def local_regions(request: HttpRequest) -> Any:
    """The regions a local event may be for: those the user may edit."""
    return access.areas(request.user, EDIT).filter(kind="region").order_by("sort_order", "path")


def public_local(request: HttpRequest, pk: int) -> LocalEvent:
    """A published local event of the municipality whose public site this is, or 404."""
    municipality = access.public_municipality(request)
    found = (
        (LocalEvent.objects.of(municipality).published().select_related("area", "municipality"))
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found
