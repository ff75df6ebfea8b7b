"""Staff pages: the population aged 65+ of a 年度 from a 町丁目 table (dry run, then commit),
and its template. Built from the steps of sasaeai.lib.import_views as the activities' and the
institutions' imports are: the checked file waits under MEDIA_ROOT/imports/ between the dry
run and the commit, under a random name that only the uploader's session knows, and the
commit reads and checks it again. Only the ward (EDIT on the municipality) imports; the page
is the municipality's."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.areas.models import Area
from sasaeai.lib import import_views
from sasaeai.lib.fiscal import year_asked, year_label
from sasaeai.lib.import_files import SourceRow
from sasaeai.lib.import_views import CommitForm, download, finish, stage, staged_rows
from sasaeai.lib.spreadsheets import FORMATS

from . import entry_lookups, lookups, population_import
from .entry_forms import default_as_of
from .entry_views import page_url

VIEW = lookups.VIEW
SESSION_KEY = "population_upload"


class UploadForm(import_views.UploadForm):
    columns = population_import.ALL_COLUMNS
    max_rows = population_import.MAX_ROWS

    @classmethod
    def read(cls, data: bytes, name: str) -> list[SourceRow]:
        return population_import.read(data, name, max_rows=cls.max_rows)


def _municipality(request: HttpRequest, code: str) -> tuple[Area, HttpResponse | None]:
    """The municipality whose population the ward imports; a block's or region's address
    leads the ward to its municipality's page. Others are refused (403 or 404, audited)."""
    area = entry_lookups.area_with_regions(request, code)
    entry_lookups.check_population(request, area)
    municipality = area.municipality or area
    if area.pk != municipality.pk:
        name = request.resolver_match.url_name if request.resolver_match else ""
        return municipality, redirect(page_url(name or "population_import", municipality,
                                               year_asked(request)))  # fmt: skip
    return municipality, None


def _context(municipality: Area, year: int) -> dict[str, Any]:
    return {
        "area": municipality, "year": year, "year_label": year_label(year),
        "ancestors": municipality.ancestors(), "default_as_of": default_as_of(year),
        "closed": entry_lookups.is_closed(municipality, year),
    }  # fmt: skip


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def upload(request: HttpRequest, code: str) -> HttpResponse:
    municipality, elsewhere = _municipality(request, code)
    if elsewhere:
        return elsewhere
    year = year_asked(request)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    context = _context(municipality, year)
    if form.is_valid():
        report = population_import.import_rows(
            municipality, year, form.cleaned_data["rows"], commit=False
        )
        token = None
        if report.good and not report.bad:
            token = stage(request, SESSION_KEY, form.cleaned_data["content"])
        context |= {
            "report": report, "token": token, "filename": form.cleaned_data["file"].name,
            "totals": population_import.totals(municipality, year, report.rows),
        }  # fmt: skip
        return render(request, "progress/population_import_result.html", context)
    context["form"] = form
    return render(request, "progress/population_import.html", context,
                  status=400 if form.errors else 200)  # fmt: skip


@require_POST
@access.require(VIEW)
def commit(request: HttpRequest, code: str) -> HttpResponse:
    municipality, elsewhere = _municipality(request, code)
    if elsewhere:
        return elsewhere
    year = year_asked(request)
    form = CommitForm(request.POST)
    token = form.cleaned_data["token"] if form.is_valid() else ""
    rows = staged_rows(request, SESSION_KEY, token, UploadForm)
    if rows is None:
        messages.error(
            request, _("取り込むファイルが見つかりません。もう一度ファイルを選んでください。")
        )
        return redirect(page_url("population_import", municipality, year))
    report = population_import.import_rows(municipality, year, rows, commit=True)
    context = _context(municipality, year) | {
        "report": report,
        "token": finish(request, SESSION_KEY, token, report),
        "totals": population_import.totals(municipality, year, report.rows),
    }
    return render(request, "progress/population_import_result.html", context,
                  status=200 if report.committed else 409)  # fmt: skip


@require_GET
@access.require(VIEW)
def template(request: HttpRequest, code: str) -> HttpResponse:
    """The table to fill in: one row per 町丁目 (or region) of the municipality."""
    municipality, elsewhere = _municipality(request, code)
    if elsewhere:
        return elsewhere
    fmt = request.GET.get("format") or "xlsx"
    if fmt not in FORMATS:
        fmt = "xlsx"
    content = population_import.write(fmt, municipality)
    return download(content, fmt, f"population-65-{municipality.code}")
