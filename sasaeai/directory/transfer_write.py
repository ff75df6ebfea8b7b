"""Writing a spreadsheet (activities' COLUMNS unless told others), in the form the reader takes
back unchanged: .xlsx with every text as text, or CSV (UTF-8 with BOM, or cp932) with a quote
before what Excel would run as a formula (the rules of sasaeai.lib.spreadsheets)."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

import openpyxl
from django.db import models
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from sasaeai.lib import spreadsheets

from .models import Activity, Kind
from .transfer_format import COLUMNS, KIND_SEPARATORS, NO, YES


def export_rows(activities: models.QuerySet[Activity]) -> Iterator[list[Any]]:
    """The rows of these activities, in COLUMNS order, as the importer reads them back."""
    municipalities = activities.order_by().values_list("municipality_id", flat=True).distinct()
    labels = _kind_labels(Kind.objects.filter(municipality_id__in=list(municipalities)))
    activities = activities.select_related("area", "organization").prefetch_related(
        "kinds", "places", "schedules"
    )
    for a in activities.order_by("pk").iterator(chunk_size=500):
        place = next(iter(a.places.all()), None)
        yield [
            a.pk, a.area.code, a.name, a.kana, a.description,
            "、".join(labels.get(k.pk, k.code) for k in a.kinds.all()),
            a.organization.name if a.organization else "",
            a.get_status_display(), a.get_visibility_display(), a.fee, _yes(a.is_free),
            a.audience, a.capacity, _yes(a.welcomes_newcomers), a.how_to_join,
            _yes(a.step_free), _yes(a.accessible_toilet), _yes(a.pick_up), a.contact_name,
            a.contact_phone, a.contact_email, _yes(a.contact_public),
            *([place.name, place.postal_code, place.address, place.latitude, place.longitude]
              if place else [""] * 5),
            "\n".join(s.in_words() for s in a.schedules.all()),
            a.last_confirmed.isoformat() if a.last_confirmed else "",
        ]  # fmt: skip


def _kind_labels(kinds: models.QuerySet[Kind]) -> dict[int, str]:
    """A kind by its name, or by its code where the name would not read back as that kind."""
    kinds_list = list(kinds)
    names = Counter((k.municipality_id, k.name) for k in kinds_list)
    return {
        k.pk: k.code
        if names[(k.municipality_id, k.name)] > 1 or KIND_SEPARATORS.search(k.name)
        else k.name
        for k in kinds_list
    }


def _yes(flag: bool) -> str:
    return YES if flag else NO


def write(
    rows: Iterable[list[Any]], fmt: str, *, columns: list[str] = COLUMNS, sheet: str = "活動"
) -> bytes:
    """The header `columns` and the rows as a file of format `fmt` (a key of FORMATS); `sheet`
    names the .xlsx sheet."""
    if fmt == "xlsx":
        return write_xlsx(rows, columns=columns, sheet=sheet)
    return write_csv(rows, "cp932" if fmt == "cp932" else "utf-8-sig", columns=columns)


def write_xlsx(
    rows: Iterable[list[Any]], *, columns: list[str] = COLUMNS, sheet: str = "活動"
) -> bytes:
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


def write_csv(
    rows: Iterable[list[Any]], encoding: str = "utf-8-sig", *, columns: list[str] = COLUMNS
) -> bytes:
    return spreadsheets.write_csv(rows, encoding, columns=columns)
