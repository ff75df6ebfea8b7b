"""What every spreadsheet import shares beyond its files: the report of what it found and wrote,
and the management command that runs it.

An import checks every row first and writes, in one transaction, only when asked to commit;
with all-or-nothing, one bad row means nothing is written. Each app's transfer module does the
checking and writing of its own rows (directory.transfer for activities, referrals.transfer for
institutions) and reports them here, one result per data row.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sasaeai.lib.import_files import SourceRow, TransferError


class ReportRow(Protocol):
    """The result of one data row, as the report, the command and the result page
    (directory/transfer/result.html) read it."""

    number: int  # the row number as the spreadsheet shows it
    name: str
    is_new: bool
    changed: bool  # False for an existing record the row leaves as it is
    errors: list[str]  # the reasons, in Japanese: the row is bad when there is one

    @property
    def record_id(self) -> int | None: ...

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


class ImportCommand[Municipality](BaseCommand):
    """manage.py import_… PATH --municipality CODE [--dry-run] [--all-or-nothing].

    A subclass finds the municipality by its code, reads the file and imports its rows; this
    reports each bad row and the counts, and fails when a row is bad.
    """

    def municipality(self, code: str) -> Municipality | None:
        raise NotImplementedError

    def read(self, data: bytes, name: str) -> list[SourceRow]:
        raise NotImplementedError

    def import_rows(
        self,
        municipality: Municipality,
        rows: list[SourceRow],
        *,
        commit: bool,
        all_or_nothing: bool,
    ) -> ImportReport[Any]:
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--municipality", required=True, help="municipality code, e.g. 131199")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument(
            "--all-or-nothing", action="store_true", help="write nothing if any row is bad"
        )

    def handle(self, *args: Any, path: Path, municipality: str, **options: Any) -> None:
        root = self.municipality(municipality)
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
