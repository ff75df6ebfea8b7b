"""The report's figures as .xlsx (openpyxl), for the tables the ward keeps in Excel: the
figures beside last year's, the meetings, the route, and (for a block or the ward) the
regions' approved reports. Every text is written as text (lib/spreadsheets.py)."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from sasaeai.lib.spreadsheets import set_text

from .document import Document

BOLD = Font(bold=True)


def xlsx_of(doc: Document) -> bytes:
    book = Workbook()
    d = doc.data
    sheet = book.active
    assert sheet is not None
    sheet.title = _("数字")
    rows: list[list[Any]] = [[f["group"], f["label"], f["last"], f["this"], f["unit"]]
                             for f in d["figures"]]  # fmt: skip
    rows.append([_("参加率"), _("参加率（%）"), d["rate"].get("last"), d["rate"].get("this"), "%"])
    _fill(sheet, [_("分野"), _("数字"), d["last_label"], d["year_label"], _("単位")], rows)
    _fill(
        book.create_sheet(_("会議")),
        [_("回"), _("開催日"), _("話し合ったこと"), _("決まったこと"), _("参加者")],
        [[m["title"], m["date"], "、".join(m["topics"]), "、".join(m["decisions"]),
          m["attendance"]] for m in d["meetings"]],
    )  # fmt: skip
    if d["area"]["kind"] == "region":
        _fill(
            book.create_sheet(_("目標")),
            [_("目標"), _("状態"), _("段階"), _("取組み"), _("着いた通過点"), _("通過点")],
            [[g["title"], g["status_label"], g["stage_label"], g["initiative_label"],
              g["reached"], g["total"]] for g in d["goals"]],
        )  # fmt: skip
    else:
        _fill(
            book.create_sheet(_("地域の報告")),
            [_("地域"), _("版"), _("承認した日")],
            [[r["name"], r["number"], r["approved_on"]] for r in d["regions"]]
            + [[name, None, _("未承認")] for name in d["regions_missing"]],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill(sheet: Any, head: list[str], rows: list[list[Any]]) -> None:
    for column, text in enumerate(head, start=1):
        set_text(sheet.cell(row=1, column=column), str(text), BOLD)
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column)
            if isinstance(value, str):
                set_text(cell, value)
            else:
                cell.value = value
