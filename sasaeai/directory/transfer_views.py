"""Staff pages: import activities from a spreadsheet (dry run, then commit) and export them.

Between the dry run and the commit the uploaded file waits under MEDIA_ROOT/imports/ with a
random name that only the uploader's session knows; the commit checks the file again (the
steps of sasaeai.lib.import_views).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.accounts.forms import AreaChoiceField
from sasaeai.accounts.models import Capability
from sasaeai.areas.models import Area
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
from sasaeai.lib.pages import error_page

from . import transfer
from .models import Activity, Status

EDIT = Capability.EDIT
SESSION_KEY = "transfer_upload"
# What the shared result page (directory/transfer/result.html) says of this import.
RESULT_PAGE = {
    "upload_view": "transfer:upload",
    "commit_view": "transfer:commit",
    "upload_title": gettext_lazy("活動の取り込みと書き出し"),
    "name_label": gettext_lazy("活動名"),
}


class UploadForm(import_views.UploadForm):
    columns = transfer.COLUMNS
    optional = tuple(transfer.SURVEY_FIELDS)


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        label=gettext_lazy("ファイルの形式"), choices=FORMAT_CHOICES, required=False
    )
    area = AreaChoiceField(
        label=gettext_lazy("地域"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=gettext_lazy("担当のすべての地域"),
        to_field_name="code",
    )
    status = forms.ChoiceField(
        label=gettext_lazy("状態"),
        choices=[("", gettext_lazy("すべて")), *Status.choices],
        required=False,
    )

    def __init__(self, *args: Any, areas: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas.order_by("path")  # type: ignore[attr-defined]

    def apply(self, activities: QuerySet[Activity]) -> QuerySet[Activity]:
        if self.cleaned_data.get("area"):
            activities = activities.within(self.cleaned_data["area"])  # type: ignore[attr-defined]
        if self.cleaned_data.get("status"):
            activities = activities.filter(status=self.cleaned_data["status"])
        return activities


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_valid():
        rows = form.cleaned_data["rows"]
        report = transfer.import_rows(
            _municipality(request), rows, commit=False, all_or_nothing=False, user=request.user
        )
        token = stage(request, SESSION_KEY, form.cleaned_data["content"]) if report.good else None
        context = {"report": report, "token": token, "filename": form.cleaned_data["file"].name}
        return render(request, "directory/transfer/result.html", {**RESULT_PAGE, **context})
    export_form = ExportForm(areas=access.areas(request.user))
    return render(request, "directory/transfer/upload.html", {"form": form, "export": export_form})


@require_POST
@access.require(EDIT)
def commit(request: HttpRequest) -> HttpResponse:
    form = CommitForm(request.POST)
    token = form.cleaned_data["token"] if form.is_valid() else ""
    rows = staged_rows(request, SESSION_KEY, token, UploadForm)
    if rows is None:
        return file_lost(request, "transfer:upload")
    report = transfer.import_rows(
        _municipality(request),
        rows,
        commit=True,
        all_or_nothing=form.cleaned_data["mode"] == "all",
        user=request.user,
    )
    context = {"report": report, "token": finish(request, SESSION_KEY, token, report)}
    return render(request, "directory/transfer/result.html", {**RESULT_PAGE, **context})


@require_GET
@access.require(Capability.VIEW)
def export(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.GET, areas=access.areas(request.user))
    if not form.is_valid():
        return error_page(request, (_("書き出せません"), _("条件が正しくありません。")), 400)
    visible = access.scope(request.user, Activity.objects.all(), Capability.VIEW)
    activities = form.apply(visible)
    fmt = form.cleaned_data["format"] or "xlsx"
    # Contact details leave the system in this file, so the export is logged as a read.
    log.record(Action.READ, detail=f"activities export {fmt}: {activities.count()} rows")
    content = transfer.write(transfer.export_rows(activities), fmt)
    return download(content, fmt, f"activities-{timezone.localdate():%Y%m%d}")


@require_GET
@access.require(EDIT)
def template(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format") or "xlsx"
    if fmt not in transfer.FORMATS:
        return error_page(request, (_("ひな形がありません"), _("形式が正しくありません。")), 400)
    return download(transfer.write([], fmt), fmt, "activities-template")


def _municipality(request: HttpRequest) -> Area:
    municipality = getattr(request.user, "municipality", None)
    if municipality is None:
        raise PermissionDenied
    return municipality
