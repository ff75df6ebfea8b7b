"""Activities in and out of spreadsheets: .xlsx, and CSV in UTF-8 (with or without BOM) or cp932.

One row per activity, in the columns of `COLUMNS` (described in docs/import-format.md). Every
value is written in the form the reader accepts, so an export re-imports unchanged. An import
checks every row first; only then, and only when asked to commit, does it write, inside one
transaction, what `services.save_activity` would write for each row.

The work is split by step: transfer_format (columns and cells), transfer_read (files to
rows), transfer_check (rows to results and plans), import_service (plans to records) and
transfer_write (records to files). This module is what views and commands use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sasaeai.areas.models import Area

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
    "ImportReport",
    "RowResult",
    "SourceRow",
    "TransferError",
    "export_rows",
    "import_rows",
    "parse_schedule",
    "parse_schedules",
    "read_file",
    "write",
    "write_csv",
    "write_xlsx",
]


@dataclass
class ImportReport:
    rows: list[RowResult]
    committed: bool = False

    @property
    def good(self) -> list[RowResult]:
        return [r for r in self.rows if r.ok]

    @property
    def bad(self) -> list[RowResult]:
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
) -> ImportReport:
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
    return report
