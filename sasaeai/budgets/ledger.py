"""The year's ledger (出納簿) as .xlsx, laid out for the settlement (精算).

Header (council, region, fiscal year, budget), then approved expenses by date with number,
date, category, item, amount and running balance; subtotals per category; total spent and
remainder. Yen format, A4 portrait fitted to the page width, column titles on every page.
Pending and rejected expenses are not spending: the sheet names the pending ones apart.
"""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

import openpyxl
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from sasaeai.lib.fiscal import year_label
from sasaeai.lib.spreadsheets import set_text

from .models import Budget

YEN = '#,##0"円";[Red]-#,##0"円"'
DATE = "yyyy/m/d"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
THIN = Side(style="thin")
BOX = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
SHADE = PatternFill("solid", fgColor="F2F2F2")
COLUMNS = [("番号", 6), ("日付", 12), ("費目", 12), ("内容", 40), ("金額", 14), ("残額", 14)]


def _text(sheet: Worksheet, row: int, column: int, value: str, font: Font | None = None) -> Any:
    """A text cell that stays text, even when it starts with "=": never a formula."""
    return set_text(sheet.cell(row=row, column=column), value, font)


def _yen(sheet: Worksheet, row: int, column: int, value: int, font: Font | None = None) -> Any:
    cell = sheet.cell(row=row, column=column, value=value)
    cell.number_format = YEN
    if font is not None:
        cell.font = font
    return cell


def write_ledger(budget: Budget) -> bytes:
    council = budget.council
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("出納簿")
    first, last = budget.bounds
    _text(sheet, 1, 1, _("支え合い会議 運営費 出納簿（精算）"), TITLE)
    header = [
        (_("会議"), council.name),
        (_("地域"), council.area.name),
        (_("年度"), f"{year_label(budget.fiscal_year)}　{first:%Y/%m/%d}〜{last:%Y/%m/%d}"),
    ]
    for offset, (label, value) in enumerate(header, start=2):
        _text(sheet, offset, 1, label, BOLD)
        _text(sheet, offset, 3, value)
    _text(sheet, 5, 1, _("予算額"), BOLD)
    _yen(sheet, 5, 3, budget.amount, BOLD)
    state = _("締め済み（%(day)s）") % {"day": f"{timezone.localtime(budget.closed_at):%Y/%m/%d}"} \
        if budget.closed_at else _("締め前")  # fmt: skip
    _text(sheet, 6, 1, _("状態"), BOLD)
    _text(sheet, 6, 3, f"{state}　{_('出力日')} {timezone.localdate():%Y/%m/%d}")

    head_row = 8
    for column, (title, width) in enumerate(COLUMNS, start=1):
        cell = _text(sheet, head_row, column, _(title), BOLD)
        cell.fill, cell.border = SHADE, BOX
        cell.alignment = Alignment(horizontal="center")
        sheet.column_dimensions[cell.column_letter].width = width

    expenses = list(budget.expenses.approved().select_related("category").in_ledger_order())
    balance, subtotals, counts = budget.amount, Counter[str](), Counter[str]()
    row = head_row
    for number, expense in enumerate(expenses, start=1):
        row += 1
        balance -= expense.amount
        subtotals[expense.category.name] += expense.amount
        counts[expense.category.name] += 1
        sheet.cell(row=row, column=1, value=number)
        sheet.cell(row=row, column=2, value=expense.spent_on).number_format = DATE
        _text(sheet, row, 3, expense.category.name)
        _text(sheet, row, 4, expense.item).alignment = Alignment(wrap_text=True)
        _yen(sheet, row, 5, expense.amount)
        _yen(sheet, row, 6, balance)
        for column in range(1, 7):
            sheet.cell(row=row, column=column).border = BOX
    if not expenses:
        row += 1
        _text(sheet, row, 4, _("承認済みの支出はありません。"))

    row += 2
    _text(sheet, row, 1, _("費目別の小計"), BOLD)
    for name, total in sorted(subtotals.items(), key=lambda pair: _order(expenses, pair[0])):
        row += 1
        _text(sheet, row, 3, name)
        _text(sheet, row, 4, _("%(count)s件") % {"count": counts[name]})
        _yen(sheet, row, 5, total)
    spent = sum(e.amount for e in expenses)
    row += 2
    _text(sheet, row, 3, _("支出合計"), BOLD)
    _yen(sheet, row, 5, spent, BOLD)
    row += 1
    _text(sheet, row, 3, _("残額"), BOLD)
    _yen(sheet, row, 5, budget.amount - spent, BOLD)
    pending = budget.expenses.sums()["pending"]
    if pending:
        row += 2
        waiting = budget.expenses.pending().count()
        _text(sheet, row, 1, _("承認待ち %(count)s件（この精算には含めていません）")
              % {"count": waiting})  # fmt: skip
        _yen(sheet, row, 5, pending)
    _print_setup(sheet, head_row, f"{council.name} {year_label(budget.fiscal_year)}")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _order(expenses: list[Any], name: str) -> tuple[int, int]:
    """Categories in the municipality's own order."""
    for expense in expenses:
        if expense.category.name == name:
            return expense.category.sort_order, expense.category.pk
    return 0, 0


def _print_setup(sheet: Worksheet, head_row: int, title: str) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_PORTRAIT
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True  # type: ignore[union-attr]
    sheet.print_title_rows = f"{head_row}:{head_row}"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.oddHeader.center.text = title.replace("&", "&&")
    sheet.oddFooter.center.text = "&P / &N"
    sheet.freeze_panes = sheet.cell(row=head_row + 1, column=1)
