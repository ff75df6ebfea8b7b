"""The ledger export for the settlement, read back with openpyxl."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client

from sasaeai.budgets.models import ExpenseStatus

from .builders import YEAR, make_budget, make_expense

pytestmark = pytest.mark.django_db


def test_ledger_rows_subtotals_and_totals_add_up(client: Client, users: dict) -> None:
    budget = make_budget(amount=50_000)
    make_expense(budget, 3_000, ExpenseStatus.APPROVED, day=dt.date(YEAR, 6, 1), item="会場6月")
    make_expense(budget, 1_200, ExpenseStatus.APPROVED, day=dt.date(YEAR, 4, 20),
                 item="=SUM(A1)", category_name="茶菓代")  # fmt: skip
    make_expense(budget, 2_000, ExpenseStatus.APPROVED, day=dt.date(YEAR, 5, 15), item="会場5月")
    make_expense(budget, 700, ExpenseStatus.PENDING, item="待ち")
    make_expense(budget, 9_000, ExpenseStatus.REJECTED, item="却下")
    client.force_login(users["member"])
    response = client.get(f"/staff/budgets/{budget.council_id}/{YEAR}/ledger.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    flat = [str(v) for row in cells for v in row if v is not None]
    assert "支え合い会議高島平" in flat and "高島平" in flat
    assert any("2026年度（令和8年度）" in v for v in flat)
    assert cells[4][2] == 50_000
    rows = cells[8:11]
    assert [r[0] for r in rows] == [1, 2, 3]
    assert [r[1].date() for r in rows] == [dt.date(YEAR, 4, 20), dt.date(YEAR, 5, 15),
                                            dt.date(YEAR, 6, 1)]  # fmt: skip
    assert [r[4] for r in rows] == [1_200, 2_000, 3_000]
    assert [r[5] for r in rows] == [48_800, 46_800, 43_800]
    assert rows[0][3] == "=SUM(A1)"  # text, never a formula
    by_label = {r[2]: r[4] for r in cells if r[2] in ("会場費", "茶菓代", "支出合計", "残額")
                and isinstance(r[4], int) and r[0] is None}  # fmt: skip
    assert by_label == {"会場費": 5_000, "茶菓代": 1_200, "支出合計": 6_200, "残額": 43_800}
    assert by_label["支出合計"] == sum(r[4] for r in rows)
    assert any("承認待ち 1件" in v for v in flat) and "却下" not in flat
    assert sheet["E9"].number_format.startswith("#,##0")
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.print_title_rows == "$8:$8"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage  # type: ignore[union-attr]


def test_ledger_of_an_empty_year(client: Client, users: dict) -> None:
    budget = make_budget(amount=10_000)
    client.force_login(users["sc"])
    response = client.get(f"/staff/budgets/{budget.council_id}/{YEAR}/ledger.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [v for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert "承認済みの支出はありません。" in values and 10_000 in values
