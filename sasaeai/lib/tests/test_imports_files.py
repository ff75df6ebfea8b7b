"""The spreadsheet readers and writers for any columns, and the cp932 character rule they share
(lib/import_files.py)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from sasaeai.lib import import_files, spreadsheets

PEOPLE = ["番号", "名前", "メモ"]


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "cp932"])
def test_other_columns_are_written_and_read_back(fmt: str) -> None:
    rows = [[1, "=危ない名前", "一行目\n二行目〜"], [2, "", "'引用"]]
    data = import_files.write(rows, fmt, columns=PEOPLE, sheet="人")
    read = import_files.read_file(
        data, f"people.{'xlsx' if fmt == 'xlsx' else 'csv'}", columns=PEOPLE
    )
    assert [(r.number, r.values) for r in read] == [
        (2, {"番号": "1", "名前": "=危ない名前", "メモ": "一行目\n二行目〜"}),
        (3, {"番号": "2", "名前": "", "メモ": "'引用"}),
    ]


def test_the_xlsx_sheet_is_named_and_holds_the_header() -> None:
    data = import_files.write_xlsx([], columns=PEOPLE, sheet="人")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["人"]
    assert [list(r) for r in book.worksheets[0].iter_rows(values_only=True)] == [PEOPLE]
    assert spreadsheets.write_csv([], columns=PEOPLE) == "\ufeff番号,名前,メモ\r\n".encode()


def test_too_many_rows_of_other_columns_are_refused() -> None:
    data = import_files.write([[n, "", ""] for n in range(3)], "csv", columns=PEOPLE, sheet="人")
    with pytest.raises(import_files.TransferError, match="2 行までです"):
        import_files.read_file(data, "a.csv", max_rows=2, columns=PEOPLE)


# --- cp932 -------------------------------------------------------------------------------------


def test_cp932_writes_what_windows_shows_and_reads_it_back() -> None:
    text = "14:00〜16:00 − ‖ —"
    data = import_files.write([[text, "", ""]], "cp932", columns=PEOPLE, sheet="人")
    assert "14:00～16:00 － ∥ ―" in data.decode("cp932")  # no ? for any of them
    (row,) = import_files.read_file(data, "a.csv", columns=PEOPLE)
    assert row.values["番号"] == "14:00〜16:00 − ‖ ―"  # — has no code of its own in cp932


def test_utf8_files_keep_the_full_width_tilde_as_it_is() -> None:
    data = import_files.write([["～ －", "", ""]], "csv", columns=PEOPLE, sheet="人")
    (row,) = import_files.read_file(data, "a.csv", columns=PEOPLE)
    assert row.values["番号"] == "～ －"
