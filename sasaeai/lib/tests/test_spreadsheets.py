"""The rules every spreadsheet keeps (lib/spreadsheets.py): text stays text, characters an .xlsx
cannot hold are dropped, CSV in UTF-8 with BOM or in cp932."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from openpyxl.styles import Font

from sasaeai.lib.spreadsheets import FORMULA_START, csv_value, set_text, text_cell, write_csv

FORMULAS = ["=1+1", '=HYPERLINK("http://example.com")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"]


def written(*values: str, font: Font | None = None) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("表")
    sheet.append([text_cell(sheet, v, font) for v in values])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_back(data: bytes) -> list[openpyxl.cell.cell.Cell]:
    return list(openpyxl.load_workbook(io.BytesIO(data)).worksheets[0][1])


def test_a_text_like_a_formula_stays_text_when_read_back() -> None:
    cells = read_back(written(*FORMULAS))
    # openpyxl reads with lxml (in the lock, for python-docx), which keeps a lone carriage
    # return as it was written; Python's own XML parser gives it back as a line feed.
    assert [c.value for c in cells] == FORMULAS
    assert {c.data_type for c in cells} == {"s"}


def test_a_text_set_in_a_cell_of_an_ordinary_sheet_stays_text_and_keeps_its_font() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    set_text(sheet.cell(row=1, column=1), "=SUM(A1)", Font(bold=True))
    buffer = io.BytesIO()
    book.save(buffer)
    cell = read_back(buffer.getvalue())[0]
    assert (cell.value, cell.data_type, cell.font.b) == ("=SUM(A1)", "s", True)


def test_characters_an_xlsx_cannot_hold_are_dropped() -> None:
    cell = read_back(written("ベル\x07と\x00ヌル\x1f、改行\nとタブ\tは残る"))[0]
    assert cell.value == "ベルとヌル、改行\nとタブ\tは残る"


def test_csv_is_utf8_with_bom_and_quotes_what_excel_would_run() -> None:
    data = write_csv([[*FORMULAS, "'quoted", 3, None, "ふつう"]], columns=["見出し"])
    assert data.startswith(b"\xef\xbb\xbf")
    header, row = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert header == ["見出し"]
    assert row == ["'" + f for f in FORMULAS] + ["''quoted", "3", "", "ふつう"]


@pytest.mark.parametrize("value", ["=1", "+1", "-1", "@a", "\ta", "\ra", "'a"])
def test_every_formula_start_gets_a_quote(value: str) -> None:
    assert value.startswith(FORMULA_START) and csv_value(value) == "'" + value


def test_cp932_output_opens_with_what_windows_shows() -> None:
    data = write_csv([["14:00〜16:00 − ‖ —", "😀", "=1"]], "cp932", columns=["名前", "絵", "式"])
    header, row = csv.reader(io.StringIO(data.decode("cp932"), newline=""))
    assert header == ["名前", "絵", "式"]
    assert row == ["14:00～16:00 － ∥ ―", "?", "'=1"]  # no cp932 code for 😀: a "?"
