"""The steps every spreadsheet import page takes: upload and dry run, then commit; and the
download of an export. The activities' pages (directory.transfer_views) and the institutions'
(referrals.transfer_views) are built from them, and show the same result page
(directory/transfer/result.html).

Between the dry run and the commit the uploaded file waits under MEDIA_ROOT/imports/ with a
random name that only the uploader's session knows; the commit reads and checks it again.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sasaeai.lib.import_files import SourceRow, TransferError, read_file
from sasaeai.lib.imports import ImportReport
from sasaeai.lib.spreadsheets import FORMATS

MAX_BYTES = 10 * 1024 * 1024
STAGING = "imports"
KEEP_STAGED = dt.timedelta(days=1)
FORMAT_CHOICES = [
    ("xlsx", gettext_lazy("Excel（.xlsx）")),
    ("csv", gettext_lazy("CSV（UTF-8・BOM付き）")),
    ("cp932", gettext_lazy("CSV（Shift_JIS・cp932）")),
]


class UploadForm(forms.Form):
    """A file to import, read as it is uploaded: a file that cannot be read as a whole is this
    field's error. A subclass names the `columns` its header must have; it may have `max_rows`
    rows."""

    columns: ClassVar[list[str]]
    optional: ClassVar[tuple[str, ...]] = ()  # columns a file made before them may leave out
    max_rows: ClassVar[int | None] = 10_000

    file = forms.FileField(
        label=gettext_lazy("取り込むファイル（.xlsx または .csv）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    @classmethod
    def read(cls, data: bytes, name: str) -> list[SourceRow]:
        """The rows of a file for this form (TransferError when it cannot be read)."""
        return read_file(
            data, name, columns=cls.columns, max_rows=cls.max_rows, optional=cls.optional
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("ファイルが大きすぎます。10MB までにしてください。"))
        content = upload.read()
        try:
            rows = self.read(content, upload.name)
        except TransferError as error:
            raise forms.ValidationError(str(error)) from None
        self.cleaned_data["rows"] = rows
        self.cleaned_data["content"] = content
        return upload


class CommitForm(forms.Form):
    """Commit the staged file with `token`: every good row, or (`all`) all rows or none."""

    token = forms.CharField(max_length=64)
    mode = forms.ChoiceField(choices=[("good", "good"), ("all", "all")])


def download(content: bytes, fmt: str, stem: str) -> HttpResponse:
    """The file as an attachment named `stem` with the extension of format `fmt`."""
    extension, content_type = FORMATS[fmt]
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{extension}"'
    return response


# --- Between the dry run and the commit --------------------------------------------------------


def stage(request: HttpRequest, key: str, content: bytes) -> str:
    """Keep a checked file for the commit under a random name that only this session knows
    (under session `key`); return the token the commit form carries."""
    discard(request, key)
    _prune()
    token = secrets.token_urlsafe(24)
    suffix = "xlsx" if content.startswith(b"PK") else "csv"
    name = default_storage.save(f"{STAGING}/{token}.{suffix}", ContentFile(content))
    request.session[key] = {"token": token, "name": name}
    return token


def staged(request: HttpRequest, key: str, token: str) -> tuple[bytes, str] | None:
    """The content and name of the file this session staged under `key` with `token`, or None
    (and nothing staged any more) when there is no such file."""
    kept = request.session.get(key) or {}
    if not token or token != kept.get("token"):
        return None
    try:
        with default_storage.open(kept["name"]) as file:
            return file.read(), kept["name"]
    except OSError:
        discard(request, key)
        return None


def discard(request: HttpRequest, key: str) -> None:
    kept = request.session.pop(key, None)
    if kept:
        default_storage.delete(kept["name"])


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


def staged_rows(
    request: HttpRequest, key: str, token: str, form: type[UploadForm]
) -> list[SourceRow] | None:
    """The rows of the file staged under `key` with `token`, read again as `form` reads an
    upload; None (and nothing staged any more) when there is no such file or it does not read."""
    if file := staged(request, key, token):
        try:
            return form.read(*file)
        except TransferError:
            discard(request, key)
    return None


def file_lost(request: HttpRequest, upload_view: str) -> HttpResponse:
    """Back to the upload page (URL name `upload_view`): the file to commit is gone."""
    messages.error(
        request, _("取り込むファイルが見つかりません。もう一度ファイルを選んでください。")
    )
    return redirect(upload_view)


def finish(request: HttpRequest, key: str, token: str, report: ImportReport[Any]) -> str | None:
    """After a commit: tell the person what it did, and return the token to offer again, or
    None (the staged file discarded). After all-or-nothing refused a file, the person may still
    take the good rows only, so the file stays."""
    kept = token if report.good and not report.committed else None
    if kept is None:
        discard(request, key)
    announce(request, report)
    return kept


def announce(request: HttpRequest, report: ImportReport[Any]) -> None:
    """Tell the person what a commit did, or why it wrote nothing."""
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
