"""The rules every spreadsheet the project writes keeps, whatever its columns and layout.

Staff open our files in Excel, so a text is always written as text: an .xlsx cell holding
text has the text type, so a value that starts with "=" is shown, never run; a CSV puts a
quote before a value Excel would run as a formula (FORMULA_START), and the reader
(sasaeai.lib.import_files) takes it off again. An .xlsx cannot hold most control
characters (openpyxl refuses them), so they are dropped. A CSV is UTF-8 with a BOM, or cp932
on request, for older software.

Each exporter keeps its own columns and layout: activities and institutions
(lib.import_files), survey results (surveys.results), the settlement ledger
(budgets.ledger).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A format's extension and content type, by the name a download asks for.
FORMATS = {
    "xlsx": ("xlsx", XLSX),
    "csv": ("csv", "text/csv; charset=utf-8"),
    "cp932": ("csv", "text/csv; charset=shift_jis"),
}
# Excel runs a CSV cell that starts with one of these as a formula; exports prefix a quote.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
# A cp932 export writes each of these characters as the one Windows shows for the same code
# (— is not in cp932 at all; 〜 − ‖ would come back as ～ － ∥). A cp932 import reads those codes
# back as the characters JIS X 0208 gives them, so an export re-imports unchanged.
CP932_FIXES = str.maketrans(
    {"\u2014": "\u2015", "\u301c": "\uff5e", "\u2212": "\uff0d", "\u2016": "\u2225"}
)
CP932_BACK = str.maketrans({"\uff5e": "\u301c", "\uff0d": "\u2212", "\u2225": "\u2016"})


# --- .xlsx ------------------------------------------------------------------------------------


def set_text(cell: Any, value: str, font: Font | None = None) -> Any:
    """`cell` holding `value` as text, even when it starts with "=": never a formula. The
    characters an .xlsx cannot hold are dropped."""
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"
    if font is not None:
        cell.font = font
    return cell


def text_cell(sheet: Any, value: str, font: Font | None = None) -> Any:
    """A cell of the write-only `sheet` holding `value` as text (set_text)."""
    return set_text(WriteOnlyCell(sheet), value, font)


# --- CSV --------------------------------------------------------------------------------------


def write_csv(
    rows: Iterable[Iterable[Any]], encoding: str = "utf-8-sig", *, columns: list[str]
) -> bytes:
    """The header `columns` and the rows as CSV in `encoding`: "utf-8-sig" (UTF-8 with the BOM
    Excel needs to read it as UTF-8) or "cp932" (a character cp932 lacks becomes "?")."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(csv_value(v) for v in row)
    text = buffer.getvalue()
    if encoding == "cp932":
        return text.translate(CP932_FIXES).encode("cp932", errors="replace")
    return text.encode(encoding)


def csv_value(value: Any) -> str:
    """A value as a CSV cell: None as empty, a quote before what Excel would run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
