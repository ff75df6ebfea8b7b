"""Staff pages: import institutions from a spreadsheet (dry run, then commit) and export them.

As for activities, the checked file waits under MEDIA_ROOT/imports/ between the dry run and
the commit, under a random name that only the uploader's session knows; the commit reads and
checks it again. Only those who keep the municipality's directory reach these pages.
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.audit import log
from sasaeai.audit.models import Action
from sasaeai.directory.transfer_format import FORMATS, TransferError
from sasaeai.directory.transfer_views import FORMAT_CHOICES, MAX_BYTES, STAGING, _prune

from . import lookups, sheets, transfer
from .models import Institution

SESSION_KEY = "institution_upload"


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
            self.cleaned_data["rows"] = transfer.read(content, upload.name)
        except TransferError as error:
            raise forms.ValidationError(str(error)) from None
        self.cleaned_data["content"] = content
        return upload


class CommitForm(forms.Form):
    token = forms.CharField(max_length=64)
    mode = forms.ChoiceField(choices=[("good", "good"), ("all", "all")])


@require_http_methods(["GET", "POST"])
@login_required
def upload(request: HttpRequest) -> HttpResponse:
    municipality = lookups.require_manager(request)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_valid():
        report = transfer.import_rows(
            municipality, form.cleaned_data["rows"], commit=False, all_or_nothing=False
        )
        token = _stage(request, form.cleaned_data["content"]) if report.good else None
        context = {"report": report, "token": token, "filename": form.cleaned_data["file"].name}
        return render(request, "referrals/staff/manage/transfer_result.html", context)
    context = {"form": form, "formats": FORMAT_CHOICES}
    return render(request, "referrals/staff/manage/transfer.html", context,
                  status=400 if form.errors else 200)  # fmt: skip


@require_POST
@login_required
def commit(request: HttpRequest) -> HttpResponse:
    municipality = lookups.require_manager(request)
    form = CommitForm(request.POST)
    staged = request.session.get(SESSION_KEY) or {}
    rows = None
    if form.is_valid() and form.cleaned_data["token"] == staged.get("token"):
        try:
            with default_storage.open(staged["name"]) as file:
                rows = transfer.read(file.read(), staged["name"])
        except (OSError, TransferError):
            _discard(request)
    if rows is None:
        messages.error(
            request, _("取り込むファイルが見つかりません。もう一度ファイルを選んでください。")
        )
        return redirect("referrals_staff:institution_transfer")
    report = transfer.import_rows(
        municipality, rows, commit=True, all_or_nothing=form.cleaned_data["mode"] == "all"
    )
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
    context = {"report": report, "token": token}
    return render(request, "referrals/staff/manage/transfer_result.html", context)


@require_GET
@login_required
def export(request: HttpRequest) -> HttpResponse:
    municipality = lookups.require_manager(request)
    fmt = request.GET.get("format") or "xlsx"
    if fmt not in FORMATS:
        fmt = "xlsx"
    institutions = Institution.objects.of(municipality)
    log.record(Action.READ, detail=f"institutions export {fmt}: {institutions.count()} rows")
    content = sheets.write(transfer.COLUMNS, transfer.export_rows(institutions), fmt,
                           transfer.SHEET)  # fmt: skip
    return sheets.download(content, fmt, f"institutions-{timezone.localdate():%Y%m%d}")


@require_GET
@login_required
def template(request: HttpRequest) -> HttpResponse:
    lookups.require_manager(request)
    fmt = request.GET.get("format") or "xlsx"
    if fmt not in FORMATS:
        fmt = "xlsx"
    content = sheets.write(transfer.COLUMNS, [], fmt, transfer.SHEET)
    return sheets.download(content, fmt, "institutions-template")


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
