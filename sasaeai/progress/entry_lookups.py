"""Who may see and enter the figures only people know, on top of accounts/access.py and the
route's lookups.py.

Seeing: whoever sees an area (VIEW there or above) sees its figures; anyone else gets 404,
audited, as everywhere.

Entering participants (参加者実人数) of a region's activities: the region's own SC
(`lookups.may_walk`), and the ward side of the region (`access.can(user, EDIT,
region.parent)`, as in support/lookups.py): ward staff and administrators, and the block's
SC for the regions of the block. Council members read them.

Entering the population aged 65+: the ward only (EDIT on the municipality itself), typed or
imported from a 町丁目 table; SCs and the block read it.

A 年度 closed by the ward (a `YearClosure` in force) is frozen: nobody changes its figures
until the ward reopens it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sasaeai.accounts import access
from sasaeai.areas.models import Area, AreaKind

from . import lookups
from .models import YearClosure

EDIT = lookups.EDIT


def may_enter_participants(user: Any, region: Area) -> bool:
    """The region's own SC, and the ward side of the region (ward, administrators, block)."""
    above = region.parent if region.parent_id else region
    return lookups.may_walk(user, region) or access.can(user, EDIT, above)


def may_enter_population(user: Any, area: Area) -> bool:
    """Staff who may edit the whole municipality (the ward)."""
    return access.can(user, EDIT, area.municipality or area)


def region(request: HttpRequest, code: str) -> Area:
    """A region this person may see; 404 (audited) for any other area, or a region not seen."""
    found = lookups.area(request, code)
    if found.kind != AreaKind.REGION:
        access.refuse(request, "not a region", area=found, hidden=True)
    return found


def area_with_regions(request: HttpRequest, code: str) -> Area:
    """A municipality, block or region this person may see (not a unit: it has no region
    below it), or 404, audited."""
    found = lookups.area(request, code)
    if found.kind == AreaKind.UNIT:
        access.refuse(request, "not an area of regions", area=found, hidden=True)
    return found


def check_participants(request: HttpRequest, region: Area) -> None:
    """403, audited, unless this person may enter the region's participants."""
    if not may_enter_participants(request.user, region):
        access.refuse(request, "lacks enter participants", area=region)


def check_population(request: HttpRequest, area: Area) -> None:
    """403, audited, unless this person may enter the municipality's population."""
    if not may_enter_population(request.user, area):
        access.refuse(request, "lacks enter population", area=area)


def is_closed(area: Area, year: int) -> bool:
    """Whether the 年度 is closed for the area's municipality (a closure in force)."""
    municipality_id = area.municipality_id or area.pk
    return (
        YearClosure.objects.in_force()
        .filter(municipality_id=municipality_id, fiscal_year=year)
        .exists()
    )
