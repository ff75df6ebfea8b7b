"""Who may see and do what with a region's route, on top of accounts/access.py.

Seeing: a goal belongs to its region; whoever holds VIEW there or above sees it (the region's
SC and council members, the block SC, ward staff, administrators). Anyone else gets 404,
audited, as everywhere.

Acting: the route is the region's own. Only someone whose role sits on that very region and
may edit there (the region's SC, for the council) sets goals, milestones and statuses. The
block and the ward, who hold EDIT from above, see every route of their areas and comment on
it, but do not walk it for the region. Council members read their own region's route. A
person who may see but not act gets 403, audited.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability
from sasaeai.areas.models import Area, AreaKind

from .models import Goal, GoalQuerySet, Milestone

VIEW, EDIT = Capability.VIEW, Capability.EDIT
WALK, COMMENT = "walk the route", "comment on the route"


def may_walk(user: Any, area: Area) -> bool:
    """Sets the region's goals and milestones: EDIT held on this very region."""
    return area.kind == AreaKind.REGION and any(
        m.area_id == area.pk and EDIT in m.capabilities for m in access.memberships(user)
    )


def may_comment(user: Any, area: Area) -> bool:
    """Staff of the region and above (SC, block, ward); not council members."""
    return access.can(user, EDIT, area)


def goals(request: HttpRequest) -> GoalQuerySet:
    return access.scope(request.user, Goal.objects.select_related("area"), VIEW)


def area(request: HttpRequest, code: str) -> Area:
    """An area whose progress this person may see (404, audited, if not). Staff pages find it
    among the areas the person may see, whichever municipality's address they came by."""
    return access.get_object(request, Area.objects.all(), VIEW, area_field="", code=code)


def goal(request: HttpRequest, pk: int, action: str = VIEW) -> Goal:
    found = access.get_object(request, Goal.objects.select_related("area"), VIEW, pk=pk)
    _check(request, action, found.area)
    return found


def milestone(request: HttpRequest, pk: int) -> Milestone:
    queryset = Milestone.objects.select_related("goal__area")
    found = access.get_object(request, queryset, VIEW, "goal__area", pk=pk)
    _check(request, WALK, found.goal.area)
    return found


def region_to_walk(request: HttpRequest, code: str) -> Area:
    found = area(request, code)
    _check(request, WALK, found)
    return found


def _check(request: HttpRequest, action: str, place: Area) -> None:
    rule = {VIEW: lambda user, _area: True, WALK: may_walk, COMMENT: may_comment}[action]
    if not rule(request.user, place):
        access.refuse(request, f"lacks {action}", area=place)


def may_close(user: Any, municipality: Area) -> bool:
    """Closes and reopens a 年度: staff who may edit the whole municipality (the ward)."""
    return access.can(user, EDIT, municipality)


def municipality_to_close(request: HttpRequest) -> Area:
    """The municipality whose 年度 this person closes (EDIT on its root): the one of the
    address they came by if they may, else their only one; 403, audited, for anyone else."""
    mine = [a for a in access.granted_areas(request.user, EDIT) if a.kind == AreaKind.MUNICIPALITY]
    here = getattr(request, "municipality", None)
    found = next((a for a in mine if here is not None and a.pk == here.pk), None)
    if found is None and len(mine) == 1:
        found = mine[0]
    if found is None:
        access.refuse(request, "lacks close the year")
    return found
