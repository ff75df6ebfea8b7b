"""Activities in and out of spreadsheets: .xlsx, and CSV in UTF-8 (with or without BOM) or cp932.

One row per activity, in the columns of `COLUMNS` (described in docs/import-format.md). Every
value is written in the form the reader accepts, so an export re-imports unchanged. An import
checks every row first; only then, and only when asked to commit, does it write, inside one
transaction, what `services.save_activity` would write for each row.

The work is split by step: transfer_format (columns and cells), transfer_check (rows to
results and plans), import_service (plans to records) and transfer_write (records to rows).
The files, the report, the upload pages' steps and the command are the spreadsheet import
machinery of sasaeai.lib (import_files, imports, import_views), which the institutions'
import and export use too. This module is what views and commands use.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from sasaeai.areas.models import Area
from sasaeai.lib import import_files, planner_stats
from sasaeai.lib.import_files import SourceRow, TransferError
from sasaeai.lib.imports import ImportReport
from sasaeai.lib.spreadsheets import FORMATS

from .import_service import save_activities
from .transfer_check import RowResult, check_rows
from .transfer_format import COLUMNS, SURVEY_FIELDS, parse_schedule, parse_schedules
from .transfer_write import export_rows

__all__ = [
    "COLUMNS",
    "FORMATS",
    "SURVEY_FIELDS",
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
]

SHEET = "活動"


def read_file(
    data: bytes, name: str = "", *, max_rows: int | None = None, columns: list[str] = COLUMNS
) -> list[SourceRow]:
    """The data rows of an .xlsx or CSV file of activities (or, given `columns`, of another
    format); TransferError when the file cannot be read as a whole. The survey's columns may be
    missing from a file made before they were added: its rows leave those fields as they are."""
    optional = tuple(SURVEY_FIELDS) if columns is COLUMNS else ()
    return import_files.read_file(data, name, columns=columns, max_rows=max_rows, optional=optional)


def write(
    rows: Iterable[list[Any]], fmt: str, *, columns: list[str] = COLUMNS, sheet: str = SHEET
) -> bytes:
    """Activities' rows (export_rows), or rows of other `columns`, as a file of format `fmt`
    (a key of FORMATS); `sheet` names the .xlsx sheet."""
    return import_files.write(rows, fmt, columns=columns, sheet=sheet)


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
