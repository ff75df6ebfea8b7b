"""Staff pages: import activities from a spreadsheet (dry run, then commit) and export them.

Between the dry run and the commit the uploaded file waits under MEDIA_ROOT/imports/ with a
random name that only the uploader's session knows; the commit checks the file again.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
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
from sasaeai.core.errors import error_page

from . import transfer
from .models import Activity, Status

EDIT = Capability.EDIT
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 10_000
STAGING = "imports"
SESSION_KEY = "transfer_upload"
KEEP_STAGED = dt.timedelta(days=1)
FORMAT_CHOICES = [
    ("xlsx", gettext_lazy("Excel（.xlsx）")),
    ("csv", gettext_lazy("CSV（UTF-8・BOM付き）")),
    ("cp932", gettext_lazy("CSV（Shift_JIS・cp932）")),
]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("取り込むファイル（.xlsx または .csv）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("ファイルが大きすぎます。10MB までにしてください。"))
        content = upload.read()
        try:
            self.cleaned_data["rows"] = transfer.read_file(content, upload.name, max_rows=MAX_ROWS)
        except transfer.TransferError as error:
            raise forms.ValidationError(str(error)) from None
        self.cleaned_data["content"] = content
        return upload


class CommitForm(forms.Form):
    token = forms.CharField(max_length=64)
    mode = forms.ChoiceField(choices=[("good", "good"), ("all", "all")])


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
        token = _stage(request, form.cleaned_data["content"]) if report.good else None
        context = {"report": report, "token": token, "filename": form.cleaned_data["file"].name}
        return render(request, "directory/transfer/result.html", context)
    export_form = ExportForm(areas=access.areas(request.user))
    return render(request, "directory/transfer/upload.html", {"form": form, "export": export_form})


@require_POST
@access.require(EDIT)
def commit(request: HttpRequest) -> HttpResponse:
    form = CommitForm(request.POST)
    staged = request.session.get(SESSION_KEY) or {}
    rows = None
    if form.is_valid() and form.cleaned_data["token"] == staged.get("token"):
        try:
            with default_storage.open(staged["name"]) as file:
                rows = transfer.read_file(file.read(), staged["name"], max_rows=MAX_ROWS)
        except (OSError, transfer.TransferError):
            _discard(request)
    if rows is None:
        messages.error(
            request, _("取り込むファイルが見つかりません。もう一度ファイルを選んでください。")
        )
        return redirect("transfer:upload")
    report = transfer.import_rows(
        _municipality(request),
        rows,
        commit=True,
        all_or_nothing=form.cleaned_data["mode"] == "all",
        user=request.user,
    )
    # After all-or-nothing refused the file, the person may still take the good rows only.
    token = staged["token"] if report.good and not report.committed else None
    if token is None:
        _discard(request)
    if report.committed:
        messages.success(
            request,
            _("%(created)s 件を新しく登録し、%(updated)s 件を更新しました。")
            % {"created": report.created, "updated": report.updated},
        )
    elif report.good:
        messages.error(request, _("問題のある行があるため、何も取り込みませんでした。"))
    else:
        messages.error(request, _("取り込める行がありません。"))
    context = {"report": report, "token": token}
    return render(request, "directory/transfer/result.html", context)


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
    return _download(content, fmt, f"activities-{timezone.localdate():%Y%m%d}")


@require_GET
@access.require(EDIT)
def template(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format") or "xlsx"
    if fmt not in transfer.FORMATS:
        return error_page(request, (_("ひな形がありません"), _("形式が正しくありません。")), 400)
    return _download(transfer.write([], fmt), fmt, "activities-template")


def _municipality(request: HttpRequest) -> Area:
    municipality = getattr(request.user, "municipality", None)
    if municipality is None:
        raise PermissionDenied
    return municipality


def _download(content: bytes, fmt: str, stem: str) -> HttpResponse:
    extension, content_type = transfer.FORMATS[fmt]
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{extension}"'
    return response


def _stage(request: HttpRequest, content: bytes) -> str:
    """Keep the checked file for the commit; return the token the commit form carries."""
    _discard(request)
    _prune()
    token = secrets.token_urlsafe(24)
    suffix = "xlsx" if content.startswith(b"PK") else "csv"
    name = default_storage.save(f"{STAGING}/{token}.{suffix}", ContentFile(content))
    request.session[SESSION_KEY] = {"token": token, "name": name}
    return token


def _discard(request: HttpRequest) -> None:
    staged = request.session.pop(SESSION_KEY, None)
    if staged:
        default_storage.delete(staged["name"])


def _prune() -> None:
    """Delete files of dry runs that nobody committed."""
    try:
        _folders, files = default_storage.listdir(STAGING)
    except FileNotFoundError:
        return
    limit = timezone.now() - KEEP_STAGED
    for name in files:
        if default_storage.get_modified_time(f"{STAGING}/{name}") < limit:
            default_storage.delete(f"{STAGING}/{name}")
