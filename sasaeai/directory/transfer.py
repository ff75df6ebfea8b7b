"""Activities in and out of spreadsheets: .xlsx, and CSV in UTF-8 (with or without BOM) or cp932.

One row per activity, in the columns of `COLUMNS` (described in docs/import-format.md). Every
value is written in the form the reader accepts, so an export re-imports unchanged. An import
checks every row first; only then, and only when asked to commit, does it write, inside one
transaction, what `services.save_activity` would write for each row.

The work is split by step: transfer_format (columns and cells), transfer_read (files to
rows), transfer_check (rows to results and plans), import_service (plans to records) and
transfer_write (records to files). This module is what views and commands use; the file
readers and writers, the report, the download and the staging of a checked file between the
dry run and the commit serve the institutions' import and export too (referrals.transfer).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django import forms
from django.contrib import messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sasaeai.areas.models import Area
from sasaeai.lib import planner_stats

from .import_service import save_activities
from .transfer_check import RowResult, check_rows
from .transfer_format import (
    COLUMNS,
    FORMATS,
    SourceRow,
    TransferError,
    parse_schedule,
    parse_schedules,
)
from .transfer_read import read_file
from .transfer_write import export_rows, write, write_csv, write_xlsx

__all__ = [
    "COLUMNS",
    "FORMATS",
    "CommitForm",
    "ImportCommand",
    "ImportReport",
    "RowResult",
    "SourceRow",
    "TransferError",
    "UploadForm",
    "announce",
    "discard",
    "download",
    "export_rows",
    "import_rows",
    "parse_schedule",
    "parse_schedules",
    "read_file",
    "stage",
    "staged",
    "write",
    "write_csv",
    "write_xlsx",
]


MAX_BYTES = 10 * 1024 * 1024
STAGING = "imports"
KEEP_STAGED = dt.timedelta(days=1)


class ReportRow(Protocol):
    is_new: bool
    changed: bool

    @property
    def ok(self) -> bool: ...


@dataclass
class ImportReport[Row: ReportRow]:
    """What an import found (and, when `committed`, wrote), one result per data row."""

    rows: list[Row]
    committed: bool = False

    @property
    def good(self) -> list[Row]:
        return [r for r in self.rows if r.ok]

    @property
    def bad(self) -> list[Row]:
        return [r for r in self.rows if not r.ok]

    @property
    def created(self) -> int:
        return sum(1 for r in self.good if r.is_new)

    @property
    def updated(self) -> int:
        return sum(1 for r in self.good if not r.is_new and r.changed)

    @property
    def unchanged(self) -> int:
        return sum(1 for r in self.good if not r.changed)


def import_rows(
    municipality: Area,
    rows: list[SourceRow],
    *,
    commit: bool,
    all_or_nothing: bool,
    user: Any = None,
) -> ImportReport[RowResult]:
    """Check every row, then (if `commit`) save the good ones in one transaction.

    With `all_or_nothing`, one bad row means nothing is written. `user` limits the rows to
    the areas they may edit; None (the management command) allows the whole municipality.
    A row that would change nothing is not written.
    """
    checked = check_rows(municipality, rows, user)
    report = ImportReport([result for result, _plan in checked])
    if not commit or not report.good or (all_or_nothing and report.bad):
        return report
    save_activities([plan for result, plan in checked if plan is not None and result.changed])
    for result, plan in checked:
        if plan is not None:
            result.activity_id = plan.activity.pk
    report.committed = True
    if report.created:
        # The planner should know the new size before the next search (it costs 2.5 s at a
        # million activities on SQLite, where the search plans hang on it most).
        transaction.on_commit(planner_stats.refresh)
    return report


# --- Pages and commands --------------------------------------------------------------------


class UploadForm(forms.Form):
    """A file to import, read as it is uploaded: a file that cannot be read as a whole is this
    field's error. Its header must name `columns`; it may have `max_rows` rows."""

    columns = COLUMNS
    max_rows: int | None = 10_000

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
            rows = read_file(content, upload.name, max_rows=self.max_rows, columns=self.columns)
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


class ImportCommand(BaseCommand):
    """manage.py import_… PATH --municipality CODE [--dry-run] [--all-or-nothing]: imports
    activities; a subclass overrides `read` and `import_rows` for another kind of row."""

    help = "Import activities from an .xlsx or CSV file (columns: docs/import-format.md)."

    def read(self, data: bytes, name: str) -> list[SourceRow]:
        return read_file(data, name)

    def import_rows(
        self, municipality: Area, rows: list[SourceRow], *, commit: bool, all_or_nothing: bool
    ) -> ImportReport[Any]:
        return import_rows(municipality, rows, commit=commit, all_or_nothing=all_or_nothing)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--municipality", required=True, help="municipality code, e.g. 131199")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument(
            "--all-or-nothing", action="store_true", help="write nothing if any row is bad"
        )

    def handle(self, *args: Any, path: Path, municipality: str, **options: Any) -> None:
        root = Area.objects.municipalities().filter(code=municipality).first()
        if root is None:
            raise CommandError(_("自治体コード「%(code)s」はありません。") % {"code": municipality})
        try:
            rows = self.read(path.read_bytes(), path.name)
        except OSError:
            raise CommandError(_("ファイルを読めません: %(path)s") % {"path": path}) from None
        except TransferError as error:
            raise CommandError(f"{path}: {error}") from None
        report = self.import_rows(
            root, rows, commit=not options["dry_run"], all_or_nothing=options["all_or_nothing"]
        )
        for row in report.bad:
            for reason in row.errors:
                self.stdout.write(
                    _("%(row)s 行目: %(reason)s") % {"row": row.number, "reason": reason}
                )
        counts = {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "bad": len(report.bad),
        }
        if report.committed:
            summary = _(
                "新規 %(created)s 件、更新 %(updated)s 件を登録しました"
                "（変更なし %(unchanged)s 件）。"
            )
        else:
            summary = _(
                "登録しませんでした（取り込める行: 新規 %(created)s 件、更新 %(updated)s 件、"
                "変更なし %(unchanged)s 件）。"
            )
        self.stdout.write(summary % counts)
        if report.bad:
            raise CommandError(_("問題のある行が %(bad)s 行あります。") % counts)
