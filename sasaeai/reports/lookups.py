"""Who may see and do what with an annual report, on top of accounts/access.py.

Seeing: a report belongs to its area (a region, a block or the ward); whoever holds VIEW there
or above reads it (the region's SC and council members, the block SC, ward staff). Anyone else
gets 404, audited, as everywhere.

Writing: the report is the area's own. Only someone whose role sits on that very area and may
edit there writes it and sends it for review: the region's SC for a region, the block SC for
the block, ward staff for the ward.

Reviewing: comments, returning and approving belong to those who may edit an area above it
(the block SC for the regions of the block, the ward for every region and block). Nobody sits
above the ward: its own staff approve the ward's report. The writer may comment too (to answer
a comment). A person who may see but not act gets 403, audited.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from sasaeai.accounts import access
from sasaeai.accounts.models import ROLE_CAPABILITIES, Capability, User
from sasaeai.areas.models import Area, AreaKind

from .models import Report, ReportVersion

VIEW, EDIT = Capability.VIEW, Capability.EDIT
WRITE, REVIEW, COMMENT = "write the report", "review the report", "comment on the report"
KINDS = (AreaKind.MUNICIPALITY, AreaKind.BLOCK, AreaKind.REGION)  # the areas that report


def may_write(user: Any, area: Area) -> bool:
    """EDIT held on this very area."""
    return any(m.area_id == area.pk and EDIT in m.capabilities for m in access.memberships(user))


def may_review(user: Any, area: Area) -> bool:
    """EDIT held on an area above this one (on the ward itself, for the ward's report)."""
    if area.kind == AreaKind.MUNICIPALITY:
        return may_write(user, area)
    above = area.path.rpartition("/")[0]
    return any(
        access.is_under(above, m.area.path) and EDIT in m.capabilities
        for m in access.memberships(user)
    )


def may_comment(user: Any, area: Area) -> bool:
    return may_write(user, area) or may_review(user, area)


RULES = {
    VIEW: lambda user, area: True,
    WRITE: may_write,
    REVIEW: may_review,
    COMMENT: may_comment,
}


def areas(request: HttpRequest) -> QuerySet[Area]:
    """The reporting areas this person may read, in the area file's order."""
    found = access.scope(request.user, Area.objects.filter(kind__in=KINDS), VIEW, "")
    return found.order_by("path")


def area(request: HttpRequest, code: str, action: str = VIEW) -> Area:
    """A reporting area this person may see (404, audited, if not), on which they may take
    `action` (403, audited, if not)."""
    queryset = Area.objects.filter(kind__in=KINDS)
    found = access.get_object(request, queryset, VIEW, area_field="", code=code)
    if not RULES[action](request.user, found):
        access.refuse(request, f"lacks {action}", area=found)
    return found


def report(place: Area, year: int) -> Report | None:
    """The report of an area already fetched through `area` (so already allowed), if begun."""
    return Report.objects.filter(area=place, fiscal_year=year).select_related("area").first()


def version(report: Report, number: int) -> ReportVersion | None:
    """An approved version of a report already allowed; None for a number never approved."""
    return report.versions.filter(number=number).first()


def approved_below(place: Area, year: int) -> QuerySet[ReportVersion]:
    """The latest approved version of each region's report under `place` (for a block's or
    the ward's report), in the area file's order."""
    latest = (
        ReportVersion.objects.filter(
            access.under(place.path, "report__area__path"),
            report__fiscal_year=year,
            report__area__kind=AreaKind.REGION,
        )
        .order_by("report_id", "-number")
        .values_list("pk", "report_id")
    )
    chosen: dict[int, int] = {}
    for pk, report_id in latest:
        chosen.setdefault(report_id, pk)
    return (
        ReportVersion.objects.filter(pk__in=chosen.values())
        .select_related("report__area")
        .order_by("report__area__sort_order", "report__area__path")
    )


def reviewers(area: Area) -> QuerySet[User]:
    """Who reviews `area`'s report (may_review): EDIT on an area above it, or for the ward,
    on the ward itself."""
    above = area if area.kind == AreaKind.MUNICIPALITY or area.parent is None else area.parent
    return access.holders(EDIT, above)


def writers(area: Area) -> QuerySet[User]:
    """Who writes `area`'s report (may_write): EDIT by a role on that very area."""
    roles = [role for role, granted in ROLE_CAPABILITIES.items() if EDIT in granted]
    members = User.objects.filter(memberships__area=area, memberships__role__in=roles)
    return members.filter(is_active=True).distinct().order_by("pk")
