"""The ward imports existing cases from a workbook: upload and dry run (each row checked, bad
ones with their reasons), then commit every good row, or all or nothing. Built from the steps
of sasaeai.lib.import_views as the other imports are: the checked file waits under
MEDIA_ROOT/imports/ under a random name only the uploader's session knows, and the commit
reads and checks it again. Only the ward (EDIT on the municipality) imports."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.lib import import_views
from sasaeai.lib.import_files import SourceRow, write
from sasaeai.lib.import_views import CommitForm, download, finish, stage, staged_rows
from sasaeai.lib.spreadsheets import FORMATS

from . import case_import, lookups

SESSION_KEY = "knowhow_case_upload"
RESULT = "knowhow/import_result.html"


class UploadForm(import_views.UploadForm):
    columns = case_import.COLUMNS
    optional = case_import.OPTIONAL
    max_rows = case_import.MAX_ROWS

    @classmethod
    def read(cls, data: bytes, name: str) -> list[SourceRow]:
        return case_import.read(data, name, max_rows=cls.max_rows)


@require_http_methods(["GET", "POST"])
@access.require(lookups.EDIT)
def upload(request: HttpRequest) -> HttpResponse:
    town = lookups.theme_municipality(request)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_valid():
        rows = form.cleaned_data["rows"]
        report = case_import.import_rows(
            town, request.user, rows, commit=False, all_or_nothing=False
        )
        token = stage(request, SESSION_KEY, form.cleaned_data["content"]) if report.good else None
        context = {"report": report, "token": token, "filename": form.cleaned_data["file"].name}
        return render(request, RESULT, context)
    status = 400 if form.errors else 200
    context = {"form": form, "columns": case_import.ALL_COLUMNS}
    return render(request, "knowhow/import.html", context, status=status)


@require_POST
@access.require(lookups.EDIT)
def commit(request: HttpRequest) -> HttpResponse:
    town = lookups.theme_municipality(request)
    form = CommitForm(request.POST)
    token = form.cleaned_data["token"] if form.is_valid() else ""
    rows = staged_rows(request, SESSION_KEY, token, UploadForm)
    if rows is None:
        return import_views.file_lost(request, "knowhow_staff:import")
    every = form.cleaned_data.get("mode") == "all"
    report = case_import.import_rows(town, request.user, rows, commit=True, all_or_nothing=every)
    context = {"report": report, "token": finish(request, SESSION_KEY, token, report)}
    return render(request, RESULT, context, status=200 if report.committed else 409)


@require_GET
@access.require(lookups.EDIT)
def template(request: HttpRequest) -> HttpResponse:
    """An empty workbook with the columns, and one example row."""
    lookups.theme_municipality(request)
    example = ["男性が集まる朝の体操", "高島平", "2026-06-01", "3",
               "もっと参加者（仲間）を増やすにはどうする？",
               "公園で声をかけました。", "ラジオ体操のあとにお茶の時間をつくりました。",
               "参加者が12人から25人に増えました。", "無理に誘わない。", "雨の日の場所",
               "担い手、居場所", "仲間探し"]  # fmt: skip
    fmt = request.GET.get("format") or "xlsx"
    fmt = fmt if fmt in FORMATS else "xlsx"
    content = write([example], fmt, columns=case_import.ALL_COLUMNS, sheet="事例")
    return download(content, fmt, "knowhow-cases")
