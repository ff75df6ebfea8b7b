"""Staff pages: the participants of a 年度 per activity from a table (dry run, then commit), and
its template with what is stored now. Built from the steps of sasaeai.lib.import_views as the
other imports are: the checked file waits under MEDIA_ROOT/imports/ between the dry run and the
commit, under a random name that only the uploader's session knows, and the commit reads and
checks it again.

The page is an area's: a region, or a block or the municipality for all their regions at once.
Whoever may enter a region's participants on its page (entry_lookups) imports them; in a block
or the municipality, the regions they may enter. Anyone else who sees the area gets 403."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.areas.models import Area
from sasaeai.lib import import_views
from sasaeai.lib.fiscal import year_asked, year_label
from sasaeai.lib.import_files import SourceRow
from sasaeai.lib.import_views import CommitForm, download, file_lost, finish, stage, staged_rows
from sasaeai.lib.spreadsheets import FORMATS

from . import entry_lookups, lookups, participation_import, population
from .entry_forms import month_choices
from .entry_views import page_url

VIEW = lookups.VIEW
SESSION_KEY = "participation_upload"


class UploadForm(import_views.UploadForm):
    columns = participation_import.COLUMNS
    optional = participation_import.OPTIONAL
    max_rows = participation_import.MAX_ROWS

    @classmethod
    def read(cls, data: bytes, name: str) -> list[SourceRow]:
        return participation_import.read(data, name, max_rows=cls.max_rows)


def _place(request: HttpRequest, code: str) -> tuple[Area, list[Area]]:
    """The area of the page and its regions whose participants this person may enter; 404
    (audited) for an area not seen, 403 (audited) where they may enter none."""
    area = entry_lookups.area_with_regions(request, code)
    regions = [
        region
        for region in population.regions_of(area)
        if entry_lookups.may_enter_participants(request.user, region)
    ]
    if not regions:
        # Someone who may enter the area's own participants may enter every region in it.
        entry_lookups.check_participants(request, area)
    return area, regions


def _context(request: HttpRequest, area: Area, regions: list[Area], year: int) -> dict[str, Any]:
    wider = [
        above for above in area.ancestors()
        if all(entry_lookups.may_enter_participants(request.user, r)
               for r in population.regions_of(above))
    ]  # fmt: skip
    months = month_choices(year)
    return {
        "area": area, "regions": regions, "year": year, "year_label": year_label(year),
        "previous": year - 1, "next": year + 1, "ancestors": area.ancestors(),
        "closed": entry_lookups.is_closed(area, year), "wider": wider,
        "first_month": months[0][1], "last_month": months[-1][1], "example": months[-1][0],
    }  # fmt: skip


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def upload(request: HttpRequest, code: str) -> HttpResponse:
    area, regions = _place(request, code)
    year = year_asked(request)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    context = _context(request, area, regions, year)
    if form.is_valid():
        report = participation_import.import_rows(
            area, regions, year, form.cleaned_data["rows"], by=request.user, commit=False
        )
        token = None
        if report.good and not report.bad:
            token = stage(request, SESSION_KEY, form.cleaned_data["content"])
        context |= {"report": report, "token": token, "filename": form.cleaned_data["file"].name}
        return render(request, "progress/participation_import_result.html", context)
    context["form"] = form
    return render(request, "progress/participation_import.html", context,
                  status=400 if form.errors else 200)  # fmt: skip


@require_POST
@access.require(VIEW)
def commit(request: HttpRequest, code: str) -> HttpResponse:
    area, regions = _place(request, code)
    year = year_asked(request)
    form = CommitForm(request.POST)
    token = form.cleaned_data["token"] if form.is_valid() else ""
    rows = staged_rows(request, SESSION_KEY, token, UploadForm)
    if rows is None:
        return file_lost(request, page_url("participants_import", area, year))
    report = participation_import.import_rows(
        area, regions, year, rows, by=request.user, commit=True
    )
    context = _context(request, area, regions, year) | {
        "report": report, "token": finish(request, SESSION_KEY, token, report),
    }  # fmt: skip
    return render(request, "progress/participation_import_result.html", context,
                  status=200 if report.committed else 409)  # fmt: skip


@require_GET
@access.require(VIEW)
def template(request: HttpRequest, code: str) -> HttpResponse:
    """The table to fill in: one row per activity of the regions, with what is stored now."""
    area, regions = _place(request, code)
    year = year_asked(request)
    fmt = request.GET.get("format") or "xlsx"
    if fmt not in FORMATS:
        fmt = "xlsx"
    content = participation_import.write(fmt, regions, year)
    return download(content, fmt, f"participants-{area.code}-{year}")
