"""Reading a spreadsheet: .xlsx, and CSV in UTF-8 (with or without BOM) or cp932.

The header row names the columns (in any order; activities' COLUMNS unless told others);
every other non-empty row becomes a SourceRow of cleaned cell texts. A file that cannot be
read as a whole raises TransferError. A cp932 file's ～ － ∥ are read back as the 〜 − ‖ that a
cp932 export writes as them (transfer_format.CP932_BACK).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from .transfer_format import (
    COLUMNS,
    CP932_BACK,
    FORMULA_START,
    NO,
    YES,
    SourceRow,
    TransferError,
)


def read_file(
    data: bytes, name: str = "", *, max_rows: int | None = None, columns: list[str] = COLUMNS
) -> list[SourceRow]:
    """The data rows of an .xlsx or CSV file whose header names exactly `columns`; raises
    TransferError when the file is unreadable or has more than `max_rows` rows."""
    table: Iterable[list[str]]
    if data.startswith(b"PK\x03\x04"):
        table = _xlsx_table(data)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):  # the pre-2007 binary format
        raise TransferError(
            _(
                "古い形式の Excel ファイル（.xls）は読めません。"
                ".xlsx か CSV で保存し直してください。"
            )
        )
    elif name.lower().endswith((".xlsx", ".xlsm")):
        raise TransferError(_("Excel ファイル（.xlsx）として読み込めませんでした。"))
    else:
        table = _csv_table(data)
    return _rows(table, max_rows, columns)


def _xlsx_table(data: bytes) -> Iterator[list[str]]:
    """The first sheet's rows, read as they are needed: a huge sheet fails at the row limit."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for row in book.worksheets[0].iter_rows(values_only=True):
                yield [_cell(v) for v in row]
        finally:
            book.close()
    except (InvalidFileException, zipfile.BadZipFile, KeyError, IndexError, OSError, SyntaxError):
        raise TransferError(_("Excel ファイル（.xlsx）として読み込めませんでした。")) from None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv_table(data: bytes) -> Iterable[list[str]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise TransferError(
            _("UTF-16 のファイルは読み込めません。CSV（UTF-8）で保存してください。")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp932").translate(CP932_BACK)
        except UnicodeDecodeError:
            raise TransferError(
                _(
                    "文字コードを判別できませんでした。"
                    "UTF-8 か Shift_JIS（cp932）で保存してください。"
                )
            ) from None
    try:
        return [[_unquote(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error:
        raise TransferError(_("CSV ファイルとして読み込めませんでした。")) from None


def _unquote(cell: str) -> str:
    """Undo the quote an export puts before a cell Excel would run as a formula."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in FORMULA_START else cell


def _rows(table: Iterable[list[str]], max_rows: int | None, columns: list[str]) -> list[SourceRow]:
    lines = iter(enumerate(table, start=1))
    first = next(((n, cells) for n, cells in lines if any(c.strip() for c in cells)), None)
    if first is None:
        raise TransferError(_("見出しの行がありません。"))
    number, header = first
    names = [unicodedata.normalize("NFKC", c).strip() for c in header]
    names = ["id" if n.lower() == "id" else n for n in names]
    missing = [c for c in columns if c not in names]
    unknown = [n for n in names if n and n not in columns]
    doubled = sorted({n for n in names if n and names.count(n) > 1})
    for message, columns in (
        (_("見出し（%(row)s 行目）に次の列がありません: %(columns)s"), missing),
        (_("見出し（%(row)s 行目）に知らない列があります: %(columns)s"), unknown),
        (_("見出し（%(row)s 行目）に同じ列が2つあります: %(columns)s"), doubled),
    ):
        if columns:
            raise TransferError(message % {"row": number, "columns": "、".join(columns)})
    index = {n: i for i, n in enumerate(names) if n}
    rows = []
    for number, cells in lines:
        if not any(c.strip() for c in cells):
            continue
        values = {c: _clean(cells[i]) if i < len(cells) else "" for c, i in index.items()}
        rows.append(SourceRow(number, values))
        if max_rows is not None and len(rows) > max_rows:
            raise TransferError(
                _("一度に取り込めるのは %(max)s 行までです。ファイルを分けてください。")
                % {"max": f"{max_rows:,}"}
            )
    return rows


def _clean(cell: str) -> str:
    return cell.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()
