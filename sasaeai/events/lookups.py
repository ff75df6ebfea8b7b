"""Events fetched through accounts/access.py.

Staff reach the events of the areas they may edit (access.scope). An SC also sees the
published events meant for them, which belong to areas *above* their own (the municipality,
their block): access.py grants downwards only, so that audience rule is written here once,
on top of the memberships access.py loads, and a miss is logged as a refusal like any other.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability, Membership, User
from sasaeai.areas.models import Area
from sasaeai.audit import log

from .models import PARTICIPANT_ROLES, Event, EventQuerySet, Material

VIEW, EDIT, PUBLISH = Capability.VIEW, Capability.EDIT, Capability.PUBLISH


def me(request: HttpRequest) -> User:
    """The signed-in user (views using this are behind login_required)."""
    return cast(User, request.user)


def participant_paths(user: Any) -> list[str]:
    return [m.area.path for m in access.memberships(user) if m.role in PARTICIPANT_ROLES]


def is_participant(user: Any) -> bool:
    return bool(participant_paths(user))


def may_manage(user: Any) -> bool:
    return access.has_any(user, EDIT)


def managed(request: HttpRequest, capability: str = EDIT) -> EventQuerySet:
    """Events of the areas the user may edit (drafts included)."""
    return access.scope(request.user, Event.objects.select_related("area", "kind"), capability)


def for_me(request: HttpRequest) -> EventQuerySet:
    """Published events meant for this SC (their region, their block, the municipality)."""
    paths = participant_paths(request.user)
    if not paths:
        return Event.objects.none()
    return Event.objects.for_participant_paths(paths).select_related("area", "kind")


def visible(request: HttpRequest) -> EventQuerySet:
    mine = for_me(request).values("pk")
    ours = managed(request).values("pk")
    return Event.objects.filter(Q(pk__in=mine) | Q(pk__in=ours)).select_related(
        "area", "kind", "municipality"
    )


def event(request: HttpRequest, pk: int, capability: str = VIEW) -> Event:
    """One event the user may see, or 404; 403 when they may see but lack `capability`."""
    found = visible(request).filter(pk=pk).first()
    if found is None:
        log.denied(f"not visible: events.Event {request.path}")
        raise Http404
    if capability != VIEW and not access.can(request.user, capability, found.area):
        log.denied(f"lacks {capability}: {request.path}", area=found.area)
        raise PermissionDenied
    return found


def material(request: HttpRequest, pk: int) -> Material:
    found = Material.objects.filter(pk=pk, event__in=visible(request)).first()
    if found is None:
        log.denied(f"not visible: events.Material {request.path}")
        raise Http404
    return found


def people(request: HttpRequest) -> Any:
    """Memberships of SCs in the areas the user may edit."""
    memberships = Membership.objects.filter(role__in=PARTICIPANT_ROLES)
    return access.scope(request.user, memberships, EDIT)


def person(request: HttpRequest, pk: int) -> User:
    """An SC of the areas the user may edit, or 404."""
    found = User.objects.filter(pk=pk, memberships__in=people(request)).distinct().first()
    if found is None:
        log.denied(f"not visible: accounts.User {request.path}")
        raise Http404
    return found


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
