"""Council records fetched through accounts/access.py, so every view asks the same way.

Each record reaches its Area through the council; these name that path once.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability
from sasaeai.directory.models import Activity

from .models import (
    ActionItem,
    AgendaItem,
    Council,
    CouncilMember,
    CouncilQuerySet,
    Meeting,
    MeetingPhoto,
    Minutes,
)

VIEW, EDIT, PUBLISH = Capability.VIEW, Capability.EDIT, Capability.PUBLISH


def councils(request: HttpRequest, capability: str = VIEW) -> CouncilQuerySet:
    return access.scope(request.user, Council.objects.select_related("area"), capability)


def council(request: HttpRequest, pk: int, capability: str = VIEW) -> Council:
    return access.get_object(request, Council.objects.select_related("area"), capability, pk=pk)


def meeting(request: HttpRequest, pk: int, capability: str = VIEW) -> Meeting:
    queryset = Meeting.objects.select_related("council__area")
    return access.get_object(request, queryset, capability, "council__area", pk=pk)


def minutes(request: HttpRequest, pk: int, capability: str = VIEW) -> Minutes:
    queryset = Minutes.objects.select_related("meeting__council__area", "approved_by")
    return access.get_object(request, queryset, capability, "meeting__council__area", pk=pk)


def photo(request: HttpRequest, pk: int, capability: str = VIEW) -> MeetingPhoto:
    """A meeting's photo: never public, so a person who may not view the council's area gets
    404 (not 403: a photo's address must not tell that it exists)."""
    queryset = MeetingPhoto.objects.select_related("meeting__council__area")
    return access.get_object(request, queryset, capability, "meeting__council__area", pk=pk)


def member(request: HttpRequest, pk: int, capability: str = VIEW) -> CouncilMember:
    queryset = CouncilMember.objects.select_related("council__area")
    return access.get_object(request, queryset, capability, "council__area", pk=pk)


def agenda_item(request: HttpRequest, pk: int, capability: str = VIEW) -> AgendaItem:
    queryset = AgendaItem.objects.select_related("meeting__council__area")
    return access.get_object(request, queryset, capability, "meeting__council__area", pk=pk)


def action(request: HttpRequest, pk: int, capability: str = VIEW) -> ActionItem:
    queryset = ActionItem.objects.select_related("meeting__council__area")
    return access.get_object(request, queryset, capability, "meeting__council__area", pk=pk)


def linkable_activities(request: HttpRequest, council: Council) -> QuerySet[Activity]:
    """Activities of the council's area that this person may see: what an item may link to."""
    return access.scope(request.user, Activity.objects.within(council.area).live(), VIEW)


def can_edit(request: HttpRequest, obj: Any) -> bool:
    return access.can(request.user, EDIT, access.area_of(obj))
