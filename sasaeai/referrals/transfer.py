"""Institutions in and out of spreadsheets, as for activities (docs/import-format.md).

Files are read and written by the spreadsheet readers and writers of sasaeai.lib.import_files
with this format's columns (.xlsx, and CSV in UTF-8 with or without BOM, or cp932); each row
is checked by InstitutionForm, the same form the staff page uses, so a row is good exactly
when the page would accept it. An export writes every value in the form the import reads, so
it re-imports unchanged.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from sasaeai.areas.models import Area
from sasaeai.lib import import_files
from sasaeai.lib.import_files import NO, YES, SourceRow, parse_flag
from sasaeai.lib.imports import ImportReport

from .institution_forms import InstitutionForm, coverable_areas
from .models import Institution, InstitutionKind

# The headers are the file format itself, so they are not translated.
COLUMNS = ["id", "種類", "名称", "よみがな", "所在地", "緯度", "経度", "電話番号", "受付時間",
           "相談できること", "担当する地域", "公開"]  # fmt: skip
FIELDS = {"名称": "name", "よみがな": "kana", "所在地": "address", "緯度": "latitude",
          "経度": "longitude", "電話番号": "phone", "受付時間": "hours",
          "相談できること": "helps_with"}  # fmt: skip
COLUMN_OF = {**{f: c for c, f in FIELDS.items()}, "kind": "種類", "areas": "担当する地域",
             "is_public": "公開"}  # fmt: skip
SEPARATOR = "、"
MAX_ROWS = 2_000
SHEET = "専門機関"


@dataclass
class RowResult:
    number: int
    name: str
    institution_id: int | None = None
    is_new: bool = True
    changed: bool = True
    errors: list[str] = field(default_factory=list)
    form: Any = None

    @property
    def record_id(self) -> int | None:
        """The record the row made or updated (the result page names it)."""
        return self.institution_id

    @property
    def ok(self) -> bool:
        return not self.errors


# --- Reading and writing -----------------------------------------------------------------


def read(data: bytes, name: str = "", *, max_rows: int | None = MAX_ROWS) -> list[SourceRow]:
    """The data rows of an .xlsx or CSV file of institutions; TransferError when unreadable."""
    return import_files.read_file(data, name, columns=COLUMNS, max_rows=max_rows)


def write(rows: Iterable[list[Any]], fmt: str) -> bytes:
    """Institutions' rows (export_rows) as a file of format `fmt` (xlsx, csv or cp932)."""
    return import_files.write(rows, fmt, columns=COLUMNS, sheet=SHEET)


# --- Checking and saving -------------------------------------------------------------------


class _Lookup:
    """Kinds, areas and institutions of the municipality, read once for the whole file."""

    def __init__(self, municipality: Area) -> None:
        self.municipality = municipality
        kinds = list(InstitutionKind.objects.filter(municipality=municipality))
        self.kinds: dict[str, list[InstitutionKind]] = {}
        for kind in kinds:
            # The name before its（…）will do too: おとしより相談センター
            for key in {kind.code, kind.name, kind.name.split("（")[0]}:
                self.kinds.setdefault(key, []).append(kind)
        self.areas: dict[str, Area] = {}
        for area in coverable_areas(municipality).order_by("-kind", "path"):
            self.areas.setdefault(area.name, area)
            self.areas[area.code] = area
        self.institutions = {
            i.pk: i for i in Institution.objects.of(municipality).prefetch_related("areas")
        }


def _data(row: SourceRow, lookup: _Lookup, instance: Institution, fail: Any) -> dict[str, Any]:
    values = row.values
    data: dict[str, Any] = {f: values[c] for c, f in FIELDS.items()}
    kinds = lookup.kinds.get(values["種類"], [])
    if not values["種類"]:
        fail("種類", _("種類を書いてください。"))
    elif not kinds:
        fail("種類", _("「%(w)s」という種類はありません。") % {"w": values["種類"]})
    elif len({k.pk for k in kinds}) > 1:
        fail("種類", _("同じ名前の種類が複数あります。コードで書いてください。"))
    data["kind"] = kinds[0].pk if kinds else ""
    areas = []
    for word in filter(None, (w.strip() for w in values["担当する地域"].replace(",", SEPARATOR)
                              .split(SEPARATOR))):  # fmt: skip
        if word in lookup.areas:
            areas.append(lookup.areas[word].pk)
        else:
            fail("担当する地域", _("「%(w)s」という地域はありません。") % {"w": word})
    data["areas"] = areas
    try:
        flag = parse_flag(values["公開"])
    except ValueError as error:
        fail("公開", str(error))
        flag = None
    if flag is None:
        flag = instance.is_public  # a new one is public, an existing one stays as it is
    if flag:
        data["is_public"] = "on"
    return data


def _snapshot(institution: Institution) -> dict[str, Any]:
    """The values a row may change, taken before the form writes the row's onto the instance."""
    values = {f: getattr(institution, f) for f in InstitutionForm.Meta.fields if f != "areas"}
    return {**values, "areas": {a.pk for a in institution.areas.all()}}


def _same(before: dict[str, Any], cleaned: dict[str, Any]) -> bool:
    after = {**cleaned, "areas": {a.pk for a in cleaned["areas"]}}
    return all(before[name] == after[name] for name in before)


def check(municipality: Area, rows: list[SourceRow]) -> list[RowResult]:
    lookup = _Lookup(municipality)
    results = []
    seen: set[str] = set()
    for row in rows:
        result = RowResult(row.number, row.values["名称"])

        def fail(column: str, reason: str, result: RowResult = result) -> None:
            result.errors.append(f"{column}: {reason}")

        instance = Institution(municipality=municipality)
        before: dict[str, Any] = {}
        key = unicodedata.normalize("NFKC", row.values["id"])
        if key:
            existing = lookup.institutions.get(int(key)) if key.isdigit() else None
            if existing is None:
                fail("id", _("この自治体に id %(id)s の機関はありません。") % {"id": key})
            elif key in seen:
                fail("id", _("同じ id が前の行にもあります。"))
            else:
                instance, result.is_new, result.institution_id = existing, False, existing.pk
                before = _snapshot(existing)
            seen.add(key)
        form = InstitutionForm(_data(row, lookup, instance, fail), instance=instance,
                               municipality=municipality)  # fmt: skip
        if not form.is_valid():
            for name, errors in form.errors.items():
                if name != "kind":  # already said above, in the file's own words
                    for error in errors:
                        fail(COLUMN_OF.get(name, name), str(error))
        elif not result.errors:
            result.changed = result.is_new or not _same(before, form.cleaned_data)
            result.form = form
        results.append(result)
    return results


def import_rows(
    municipality: Area, rows: list[SourceRow], *, commit: bool, all_or_nothing: bool
) -> ImportReport[RowResult]:
    """Check every row, then (if `commit`) save the good ones in one transaction; with
    `all_or_nothing`, one bad row means nothing is written. Unchanged rows are not written."""
    report = ImportReport(check(municipality, rows))
    if not commit or not report.good or (all_or_nothing and report.bad):
        return report
    with transaction.atomic():
        for result in report.good:
            if result.changed:
                result.institution_id = result.form.save().pk
    report.committed = True
    return report


# --- Writing -----------------------------------------------------------------------------


def export_rows(institutions: QuerySet[Institution]) -> Iterator[list[Any]]:
    """The rows of these institutions, in COLUMNS order, as `read` and `check` take them."""
    municipalities = institutions.order_by().values("municipality")
    names = list(
        InstitutionKind.objects.filter(municipality__in=municipalities).values_list(
            "name", flat=True
        )
    )
    for i in institutions.select_related("kind").prefetch_related("areas").order_by("pk"):
        kind = i.kind.name if names.count(i.kind.name) == 1 else i.kind.code
        yield [
            i.pk, kind, i.name, i.kana, i.address, i.latitude, i.longitude, i.phone, i.hours,
            i.helps_with, SEPARATOR.join(a.code for a in i.areas.all()),
            YES if i.is_public else NO,
        ]  # fmt: skip
