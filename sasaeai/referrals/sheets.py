"""Writing a header and rows to .xlsx or CSV (UTF-8 with BOM, or cp932), cell by cell the way
the activity export does (sasaeai.directory.transfer_write), for any columns."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

import openpyxl
from django.http import HttpResponse
from openpyxl.styles import Font

from sasaeai.directory.transfer_format import CP932_FIXES, FORMATS
from sasaeai.directory.transfer_write import _csv_value, _xlsx_cell

# Characters Python's cp932 cannot write, written as the ones Windows shows for them (the
# directory's CP932_FIXES covers the dash only); transfer.read folds them back.
CP932_MORE = str.maketrans({"\u301c": "\uff5e", "\u2212": "\uff0d", "\u2016": "\u2225"})
CP932_BACK = str.maketrans({"\uff5e": "\u301c", "\uff0d": "\u2212", "\u2225": "\u2016"})


def write(header: list[str], rows: Iterable[list[Any]], fmt: str, sheet: str) -> bytes:
    """The header and rows as a file of format `fmt` (xlsx, csv or cp932)."""
    if fmt == "xlsx":
        book = openpyxl.Workbook(write_only=True)
        page = book.create_sheet(sheet)
        page.freeze_panes = "A2"
        page.append([_xlsx_cell(page, c, Font(bold=True)) for c in header])
        for row in rows:
            page.append([_xlsx_cell(page, v) for v in row])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    for row in rows:
        writer.writerow(_csv_value(v) for v in row)
    if fmt == "cp932":
        fixed = text.getvalue().translate(CP932_FIXES).translate(CP932_MORE)
        return fixed.encode("cp932", errors="replace")
    return text.getvalue().encode("utf-8-sig")


def download(content: bytes, fmt: str, stem: str) -> HttpResponse:
    extension, content_type = FORMATS[fmt]
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{stem}.{extension}"'
    return response
