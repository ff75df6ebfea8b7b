"""Staff pages: import institutions from a spreadsheet (dry run, then commit) and export them.

As for activities (the steps of sasaeai.lib.import_views), the checked file waits under
MEDIA_ROOT/imports/ between the dry run and the commit, under a random name that only the
uploader's session knows; the commit reads and checks it again. Only those who keep the
municipality's directory reach these pages.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.audit import log
from sasaeai.audit.models import Action
from sasaeai.lib import import_views
from sasaeai.lib.import_views import (
    FORMAT_CHOICES,
    CommitForm,
    download,
    file_lost,
    finish,
    stage,
    staged_rows,
)
from sasaeai.lib.spreadsheets import FORMATS

from . import lookups, transfer
from .models import Institution

# What the shared result page (directory/transfer/result.html) says of this import.
RESULT_PAGE = {
    "upload_view": "referrals_staff:institution_transfer",
    "commit_view": "referrals_staff:institution_commit",
    "upload_title": gettext_lazy("専門機関の取り込みと書き出し"),
    "name_label": gettext_lazy("名称"),
}

SESSION_KEY = "institution_upload"


class UploadForm(import_views.UploadForm):
    columns = transfer.COLUMNS
    max_rows = transfer.MAX_ROWS


@require_http_methods(["GET", "POST"])
@lookups.keepers_only
def upload(request: HttpRequest) -> HttpResponse:
    municipality = lookups.kept_municipality(request)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_valid():
        report = transfer.import_rows(
            municipality, form.cleaned_data["rows"], commit=False, all_or_nothing=False
        )
        token = stage(request, SESSION_KEY, form.cleaned_data["content"]) if report.good else None
        context = {"report": report, "token": token, "filename": form.cleaned_data["file"].name}
        return render(request, "directory/transfer/result.html", {**RESULT_PAGE, **context})
    context = {"form": form, "formats": FORMAT_CHOICES}
    return render(request, "referrals/staff/manage/transfer.html", context,
                  status=400 if form.errors else 200)  # fmt: skip


@require_POST
@lookups.keepers_only
def commit(request: HttpRequest) -> HttpResponse:
    municipality = lookups.kept_municipality(request)
    form = CommitForm(request.POST)
    token = form.cleaned_data["token"] if form.is_valid() else ""
    rows = staged_rows(request, SESSION_KEY, token, UploadForm)
    if rows is None:
        return file_lost(request, "referrals_staff:institution_transfer")
    report = transfer.import_rows(
        municipality, rows, commit=True, all_or_nothing=form.cleaned_data["mode"] == "all"
    )
    context = {"report": report, "token": finish(request, SESSION_KEY, token, report)}
    return render(request, "directory/transfer/result.html", {**RESULT_PAGE, **context})


@require_GET
@lookups.keepers_only
def export(request: HttpRequest) -> HttpResponse:
    municipality = lookups.kept_municipality(request)
    fmt = request.GET.get("format") or "xlsx"
    if fmt not in FORMATS:
        fmt = "xlsx"
    institutions = Institution.objects.of(municipality)
    log.record(Action.READ, detail=f"institutions export {fmt}: {institutions.count()} rows")
    content = transfer.write(transfer.export_rows(institutions), fmt)
    return download(content, fmt, f"institutions-{timezone.localdate():%Y%m%d}")


@require_GET
@lookups.keepers_only
def template(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format") or "xlsx"
    if fmt not in FORMATS:
        fmt = "xlsx"
    return download(transfer.write([], fmt), fmt, "institutions-template")
