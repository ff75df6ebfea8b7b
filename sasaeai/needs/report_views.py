"""Reports of needs for a region, a block or the ward, over a chosen period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sasaeai.accounts import access
from sasaeai.areas.models import Area
from sasaeai.lib.fiscal import fiscal_year_start

from . import lookups, reports
from .forms import ReportForm
from .models import NeedKind, Status

VIEW = lookups.VIEW


def _chosen(request: HttpRequest) -> tuple[ReportForm, Area, dt.date, dt.date]:
    """The area and period asked for; by default the widest area held and this 年度 so far."""
    areas = access.areas(request.user, VIEW)
    today = timezone.localdate()
    default_area = min(areas, key=lambda a: a.depth)
    start = fiscal_year_start(today)
    initial = {"area": default_area, "start": start, "end": today}
    form = ReportForm(request.GET or None, areas=areas, initial=initial)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return form, data["area"], data["start"] or dt.date.min, data["end"] or today
    return form, default_area, start, today


def _context(request: HttpRequest) -> dict[str, Any]:
    form, area, start, end = _chosen(request)
    municipality = area.municipality or area
    needs = lookups.needs(request).within(area).reported_between(start, end)
    kinds = list(NeedKind.objects.of(municipality).prefetch_related("activity_kinds"))
    return {"form": form, "area": area, "start": start, "end": end, "needs": needs,
            "kinds": kinds, "query": request.GET.urlencode()}  # fmt: skip


@require_GET
@access.require(VIEW)
def report(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    rows, total = reports.by_kind_and_status(context["needs"], context["kinds"])
    regions, region_total = reports.by_region_and_status(context["needs"], context["area"])
    context.update(
        statuses=[s.label for s in Status],
        rows=rows,
        total=total,
        regions=regions,
        region_total=region_total,
    )
    return render(request, "needs/staff/report.html", context)


@require_GET
@access.require(VIEW)
def gap(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    context["rows"] = reports.gap(context["needs"], context["kinds"], context["area"])
    return render(request, "needs/staff/gap.html", context)
