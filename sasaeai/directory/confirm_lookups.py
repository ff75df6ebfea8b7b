"""Who may see and do what with the organisers' confirmation, on top of accounts/access.py.

A season is its municipality's: every staff member who may view some area of it sees it;
opening one needs EDIT on the municipality itself (ward staff, administrators). A region's
batch and its requests are the region's: VIEW to see them, EDIT to make sheets, print
reminders or reissue a code (its SC, the block SC, ward staff). The organiser has no account:
the code alone opens their activity's page, on their municipality's site only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability
from sasaeai.areas.models import Area, AreaKind

from . import confirm
from .models import ConfirmationBatch, ConfirmationRequest, ConfirmationSeason

VIEW, EDIT = Capability.VIEW, Capability.EDIT


def municipalities_to_open(user: Any) -> list[Area]:
    """The municipalities where this person may open a season."""
    return [a for a in access.granted_areas(user, EDIT) if a.kind == AreaKind.MUNICIPALITY]


def season(request: HttpRequest, pk: int) -> ConfirmationSeason:
    seen = Q(municipality_id__in=access.municipality_ids(request.user, VIEW))
    queryset = ConfirmationSeason.objects.select_related("municipality")
    return access.get_object(request, queryset, VIEW, "municipality", visible=seen, pk=pk)


def batch(request: HttpRequest, pk: int, capability: str = VIEW) -> ConfirmationBatch:
    queryset = ConfirmationBatch.objects.select_related("season__municipality", "area")
    return access.get_object(request, queryset, capability, "area", pk=pk)


def confirmation(request: HttpRequest, pk: int, capability: str = EDIT) -> ConfirmationRequest:
    queryset = ConfirmationRequest.objects.select_related(
        "batch__season__municipality", "batch__area", "activity__area"
    )
    return access.get_object(request, queryset, capability, "batch__area", pk=pk)


def by_code(request: HttpRequest, code: str) -> ConfirmationRequest | None:
    """The request this code opens, on its own municipality's site; else None."""
    municipality = access.public_municipality(request)
    found = confirm.find(code)
    if found is None or found.batch.season.municipality_id != municipality.pk:
        return None
    return found
