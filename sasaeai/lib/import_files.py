"""Spreadsheet files to rows and rows to files, for any columns: .xlsx, and CSV in UTF-8 (with
or without BOM) or cp932. The activities' and the institutions' imports and exports
(directory.transfer, referrals.transfer) and the referral statistics (referrals.sheets) use it.

Reading: the header row names the columns (in any order, exactly the `columns` asked for);
every other non-empty row becomes a SourceRow of cleaned cell texts. A file that cannot be read
as a whole raises TransferError, its message in Japanese. A cp932 file's ～ － ∥ are read back as
the 〜 − ‖ that a cp932 export writes as them (sasaeai.lib.spreadsheets.CP932_BACK).

An upload is at most 10 MB, but an .xlsx is a zip of XML that can unpack to far more, and
openpyxl believes what the file declares (issue 21). So a file may make the reader do no more
than the largest file it accepts would: the zip is checked before openpyxl opens it, a sheet
is read only as wide as its header, and empty rows count toward the row limit.

Writing keeps the rules of sasaeai.lib.spreadsheets (a text is never a formula), so what an
export writes, the reader takes back unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any
from xml.parsers import expat

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from sasaeai.lib import spreadsheets
from sasaeai.lib.spreadsheets import CP932_BACK, FORMULA_START

# A yes/no cell: an export writes YES or NO, an import also takes what people type for them.
YES, NO = "はい", "いいえ"
FLAGS = {YES: True, NO: False, "○": True, "×": False, "1": True, "0": False, "true": True,
         "false": False, "yes": True, "no": False, "あり": True, "なし": False}  # fmt: skip


class TransferError(Exception):
    """The file as a whole cannot be read; the message says why, in Japanese."""


@dataclass
class SourceRow:
    number: int  # the row number as the spreadsheet shows it (the header is row 1)
    values: dict[str, str]


def parse_flag(text: str) -> bool | None:
    """A yes/no cell (FLAGS) as True or False, an empty one as None; ValueError otherwise."""
    if not text:
        return None
    flag = FLAGS.get(unicodedata.normalize("NFKC", text).lower())
    if flag is None:
        raise ValueError(_("「はい」か「いいえ」で書いてください。"))
    return flag


# --- Reading ----------------------------------------------------------------------------------

# Our own export of 10,000 activities unpacks to 16 MB, at 16 to 1.
MAX_UNPACKED = 50 * 1024 * 1024
# Apache POI's defaults: a part of more than 100 KB may unpack to at most 100 times its size.
MAX_RATIO, RATIO_GRACE = 100, 100 * 1024
MAX_PARTS = 1_000
# Parsing costs openpyxl a few microseconds for every XML element, and a shared string keeps
# an element in memory until the end. A file of max_rows rows needs fewer than six elements a
# cell (the cell and its value, a shared string and its reading (ふりがな); our own export
# needs two), a shared string a cell at most, and some room for styles, a theme and a short
# second sheet.
ELEMENTS_PER_CELL, SPARE_ELEMENTS, SPARE_STRINGS = 6, 100_000, 10_000
# The header is looked for in the first MAX_COLUMNS columns; then only its columns are read.
MAX_COLUMNS = 100
# Empty rows (missing ones too) a file may have beside its max_rows rows.
BLANK_ROWS = 10_000
CHUNK = 64 * 1024


def read_file(
    data: bytes,
    name: str = "",
    *,
    columns: list[str],
    max_rows: int | None = None,
    optional: Collection[str] = (),
) -> list[SourceRow]:
    """The data rows of an .xlsx or CSV file whose header names exactly `columns` (those in
    `optional` may be left out: a file made before they existed; its rows then lack them); raises
    TransferError when the file is unreadable or has more than `max_rows` rows (or more than
    BLANK_ROWS empty ones besides), or is an .xlsx that holds far more than such a file needs."""
    table: Iterable[list[str]]
    if data.startswith(b"PK\x03\x04"):
        cells = None if max_rows is None else (max_rows + 1) * len(columns)
        table = _xlsx_table(data, cells)
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
    return _rows(table, max_rows, columns, optional)


def _xlsx_table(data: bytes, cells: int | None) -> Iterator[list[str]]:
    """The first sheet's rows, read as they are needed: a huge sheet fails at the row limit.
    A file that holds more than `cells` cells would need is refused before it is parsed."""
    try:
        _check_archive(data, cells)
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            # openpyxl pads every row to the <dimension> the sheet declares (up to 16,384
            # columns and 1,048,576 rows): read the header in the first MAX_COLUMNS columns,
            # then only as many columns as the header has.
            sheet.reset_dimensions()
            number = 0
            for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
                number += 1
                header = _texts(row)
                yield header
                if any(c.strip() for c in header):
                    break
            else:
                return
            width = max(i for i, c in enumerate(header, 1) if c.strip())
            for row in sheet.iter_rows(min_row=number + 1, max_col=width, values_only=True):
                yield _texts(row)
        finally:
            book.close()
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        zlib.error,  # a broken part
        EOFError,  # a part cut short
        NotImplementedError,  # a compression method zipfile does not know
        RuntimeError,  # an encrypted part
        KeyError,
        IndexError,
        OSError,
        SyntaxError,
    ):
        raise TransferError(_("Excel ファイル（.xlsx）として読み込めませんでした。")) from None


def _texts(row: tuple[Any, ...]) -> list[str]:
    # A missing row is all None: it costs nothing, however many there are.
    return [_cell(v) for v in row] if row.count(None) < len(row) else []


def _check_archive(data: bytes, cells: int | None) -> None:
    """Refuse an .xlsx that unpacks to too much, or (for a file of at most `cells` cells) holds
    more XML than those cells need; also a part that declares a DTD: Excel never writes one, and
    its entities multiply text. What a part really unpacks to is cut off at its declared size
    (zipfile then fails the checksum), so the declared sizes are the ones to check."""
    too_much = TransferError(
        _(
            "ファイルの中身が多すぎるため読み込めませんでした。"
            "取り込む表のシートだけを残すか、ファイルを分けてください。"
        )
    )
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
        if (
            len(parts) > MAX_PARTS
            or sum(p.file_size for p in parts) > MAX_UNPACKED
            or any(p.file_size > max(RATIO_GRACE, MAX_RATIO * p.compress_size) for p in parts)
        ):
            raise too_much
        if cells is None:
            return
        elements, strings = cells * ELEMENTS_PER_CELL + SPARE_ELEMENTS, cells + SPARE_STRINGS

        def count(name: str, attributes: Any) -> None:
            nonlocal elements, strings
            elements -= 1
            if name == "si" or name.endswith(":si"):  # a shared string, with or without prefix
                strings -= 1
            if elements < 0 or strings < 0:
                raise too_much

        for part in parts:
            with archive.open(part) as stream:
                _parse(stream, count)


def _parse(stream: IO[bytes], count: Callable[[str, Any], None]) -> None:
    """Run expat over `stream`, calling `count` for every element. A part that is not XML, or
    stops being XML, is counted as far as it goes: openpyxl stops at the same place."""
    parser = expat.ParserCreate()
    parser.StartElementHandler = count
    parser.StartDoctypeDeclHandler = _refuse_doctype
    try:
        while chunk := stream.read(CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        pass


def _refuse_doctype(*declaration: Any) -> None:
    raise TransferError(_("Excel ファイル（.xlsx）として読み込めませんでした。"))


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


def _csv_table(data: bytes) -> Iterator[list[str]]:
    """The rows, read as they are needed: a file of millions of empty lines fails at the limit."""
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
        for row in csv.reader(io.StringIO(text, newline="")):
            yield [_unquote(c) for c in row[:MAX_COLUMNS]]
    except csv.Error:
        raise TransferError(_("CSV ファイルとして読み込めませんでした。")) from None


def _unquote(cell: str) -> str:
    """Undo the quote an export puts before a cell Excel would run as a formula."""
    return cell[1:] if cell[:1] == "'" and cell[1:2] in FORMULA_START else cell


def _rows(
    table: Iterable[list[str]], max_rows: int | None, columns: list[str], optional: Collection[str]
) -> list[SourceRow]:
    lines = _numbered(table, max_rows)
    first = next(((n, cells) for n, cells in lines if any(c.strip() for c in cells)), None)
    if first is None:
        raise TransferError(_("見出しの行がありません。"))
    number, header = first
    names = [unicodedata.normalize("NFKC", c).strip() for c in header]
    names = ["id" if n.lower() == "id" else n for n in names]
    missing = [c for c in columns if c not in names and c not in optional]
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


def _numbered(table: Iterable[list[str]], max_rows: int | None) -> Iterator[tuple[int, list[str]]]:
    """The lines of `table` with their numbers, empty ones too: past max_rows + BLANK_ROWS of
    them the file has too many empty rows, however few have something in them."""
    for number, cells in enumerate(table, start=1):
        if max_rows is not None and number > max_rows + BLANK_ROWS:
            raise TransferError(
                _(
                    "一度に取り込めるのは %(max)s 行までです。空の行が多すぎます。"
                    "何も書いていない行を削除してください。"
                )
                % {"max": f"{max_rows:,}"}
            )
        yield number, cells


def _clean(cell: str) -> str:
    return cell.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()


# --- Writing ----------------------------------------------------------------------------------


def write(rows: Iterable[list[Any]], fmt: str, *, columns: list[str], sheet: str) -> bytes:
    """The header `columns` and the rows as a file of format `fmt` (a key of
    spreadsheets.FORMATS); `sheet` names the .xlsx sheet."""
    if fmt == "xlsx":
        return write_xlsx(rows, columns=columns, sheet=sheet)
    return spreadsheets.write_csv(rows, "cp932" if fmt == "cp932" else "utf-8-sig", columns=columns)


def write_xlsx(rows: Iterable[list[Any]], *, columns: list[str], sheet: str) -> bytes:
    """An .xlsx of one sheet, its bold header row frozen above the rows."""
    book = openpyxl.Workbook(write_only=True)
    page = book.create_sheet(sheet)
    page.freeze_panes = "A2"
    page.append([_xlsx_cell(page, c, Font(bold=True)) for c in columns])
    for row in rows:
        page.append([_xlsx_cell(page, v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet: Any, value: Any, font: Font | None = None) -> Any:
    if not isinstance(value, str):
        return WriteOnlyCell(sheet, value=value)
    return spreadsheets.text_cell(sheet, value, font)
