"""The population aged 65+ of a 年度 from a 町丁目 table (.xlsx, or CSV in UTF-8 with or without
BOM, or cp932), read by sasaeai.lib.import_files and reported by lib.imports as every import is.

Columns: 町丁目, 65歳以上人口 and, optionally, 基準日. Each 町丁目 is an area of kind `unit` of
the municipality (by its name or code) whose parent is a region; the counts are summed per
region. A row may also name a region itself (by name or code), for an area file without units
(Itabashi's today). A region's figure is replaced by the file's sum; regions the file does not
name keep theirs.

All or nothing, always: a sum of a region with one bad row left out would be a wrong figure,
not a smaller one. A bad row (an unknown 町丁目, a count that is not a number of 0 or more, a
bad 基準日, a 町丁目 named twice, a region named both itself and through its 町丁目) or a
closed 年度 gives each row its reason, in Japanese, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from sasaeai.areas.models import Area, AreaKind
from sasaeai.lib import import_files
from sasaeai.lib.fiscal import year_label
from sasaeai.lib.import_files import SourceRow, TransferError
from sasaeai.lib.imports import ImportReport

from . import entry_lookups, population
from .entry_forms import MAX_POPULATION, check_as_of, default_as_of, parse_count, parse_date
from .models import Population, PopulationSource
from .participation import YearClosed

# The headers are the file format itself, so they are not translated.
UNIT, COUNT, AS_OF = "町丁目", "65歳以上人口", "基準日"
COLUMNS = [UNIT, COUNT]
ALL_COLUMNS = [UNIT, COUNT, AS_OF]
MAX_ROWS = 5_000
SHEET = "65歳以上人口"


@dataclass
class RowResult:
    number: int
    name: str
    region: Area | None = None
    count: int = 0
    as_of: dt.date | None = None
    # The first row of a region carries whether the region's figure is new or changes.
    is_new: bool = False
    changed: bool = False
    population_id: int | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def record_id(self) -> int | None:
        return self.population_id

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class RegionTotal:
    """What the file makes of one region: the sum of its rows, and what is stored now."""

    region: Area
    count: int
    as_of: dt.date
    rows: int
    stored: Population | None

    @property
    def changed(self) -> bool:
        return self.stored is None or (self.stored.aged_65_up, self.stored.as_of) != (
            self.count,
            self.as_of,
        )


# --- Reading ----------------------------------------------------------------------------------


def read(data: bytes, name: str = "", *, max_rows: int | None = MAX_ROWS) -> list[SourceRow]:
    """The rows of a 町丁目 table, with or without its 基準日 column (then every row's 基準日
    is empty); TransferError, its message in Japanese, when the file cannot be read."""
    try:
        return import_files.read_file(data, name, columns=ALL_COLUMNS, max_rows=max_rows)
    except TransferError as with_date:
        try:
            rows = import_files.read_file(data, name, columns=COLUMNS, max_rows=max_rows)
        except TransferError as without_date:
            # Say what is wrong with the header the file has: with 基準日 in it, the first.
            raise (with_date if AS_OF in str(without_date) else without_date) from None
    for row in rows:
        row.values[AS_OF] = ""
    return rows


def write(fmt: str, municipality: Area) -> bytes:
    """A template: the header and one row per unit of the municipality (or, where it has
    none, per region), with the counts left to fill in."""
    places = Area.objects.of(municipality).filter(kind=AreaKind.UNIT)
    if not places.exists():
        places = Area.objects.of(municipality).regions()
    rows = [[p.name, "", ""] for p in places.order_by("sort_order", "path")]
    return import_files.write(rows, fmt, columns=ALL_COLUMNS, sheet=SHEET)


# --- Checking and saving ----------------------------------------------------------------------


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


class _Places:
    """The municipality's units and regions by name and by code, read once for the file."""

    def __init__(self, municipality: Area) -> None:
        areas = Area.objects.of(municipality).filter(kind__in=[AreaKind.UNIT, AreaKind.REGION])
        self.by_name: dict[str, dict[str, list[Area]]] = {AreaKind.UNIT: {}, AreaKind.REGION: {}}
        self.by_code: dict[str, Area] = {}
        regions = {}
        for area in areas.select_related("parent"):
            self.by_name[area.kind].setdefault(_key(area.name), []).append(area)
            self.by_code[area.code.lower()] = area
            if area.kind == AreaKind.REGION:
                regions[area.pk] = area
        self.regions = regions

    def find(self, text: str) -> tuple[Area | None, str]:
        """The unit or region a row names (a unit first: the file is a 町丁目 table), or the
        reason it names none."""
        key = _key(text)
        for kind in (AreaKind.UNIT, AreaKind.REGION):
            found = self.by_name[kind].get(key, [])
            if len(found) > 1:
                return None, _("同じ名前の町丁目（地域）が複数あります。コードで書いてください。")
            if found:
                return found[0], ""
        area = self.by_code.get(key.lower())
        if area is not None:
            return area, ""
        return None, _("「%(name)s」という町丁目（または地域）はこの自治体にありません。") % {
            "name": key
        }

    def region_of(self, area: Area) -> Area | None:
        if area.kind == AreaKind.REGION:
            return area
        return self.regions.get(area.parent_id or 0)


def check(municipality: Area, year: int, rows: list[SourceRow]) -> list[RowResult]:
    """Every row's result: its region, count and 基準日, or its reasons."""
    places = _Places(municipality)
    closed = entry_lookups.is_closed(municipality, year)
    results = []
    seen: dict[int, int] = {}  # area id → the row that named it
    named: dict[int, tuple[bool, int]] = {}  # region id → (named itself, the row)
    days: dict[int, dt.date] = {}  # region id → the 基準日 of its first row
    for row in rows:
        values = row.values
        result = RowResult(row.number, values[UNIT])

        def fail(column: str, reason: str, result: RowResult = result) -> None:
            result.errors.append(f"{column}: {reason}" if column else reason)

        if closed:
            fail("", _("%(year)sは締められているため、取り込めません。")
                 % {"year": year_label(year)})  # fmt: skip
        area, reason = places.find(values[UNIT]) if values[UNIT] else (None, "")
        if not values[UNIT]:
            fail(UNIT, _("町丁目を書いてください。"))
        elif area is None:
            fail(UNIT, reason)
        elif (region := places.region_of(area)) is None:
            fail(UNIT, _("「%(name)s」はどの地域に属するかがわかりません。") % {"name": area.name})
        else:
            result.region = region
            if area.pk in seen:
                fail(UNIT, _("同じ町丁目が %(row)s 行目にもあります。") % {"row": seen[area.pk]})
            seen.setdefault(area.pk, row.number)
            itself = area.kind == AreaKind.REGION
            first = named.setdefault(region.pk, (itself, row.number))
            if first[0] != itself:
                fail(UNIT, _("地域「%(region)s」は、地域の行（または町丁目の行）が %(row)s 行目にも"
                             "あります。地域か町丁目のどちらかで書いてください。")
                     % {"region": region.name, "row": first[1]})  # fmt: skip
        try:
            result.count = parse_count(values[COUNT], MAX_POPULATION)
        except ValueError as error:
            empty = not values[COUNT].strip()
            fail(COUNT, _("65歳以上人口を書いてください。") if empty else str(error))
        try:
            result.as_of = parse_date(values[AS_OF]) if values[AS_OF] else default_as_of(year)
            check_as_of(result.as_of, year)
        except ValueError as error:
            fail(AS_OF, str(error))
            result.as_of = None
        if result.region is not None and result.as_of is not None:
            first_day = days.setdefault(result.region.pk, result.as_of)
            if first_day != result.as_of:
                fail(AS_OF, _("同じ地域（%(region)s）の行で基準日が違います（%(day)s）。")
                     % {"region": result.region.name, "day": first_day.isoformat()})  # fmt: skip
        results.append(result)
    return results


def totals(municipality: Area, year: int, results: list[RowResult]) -> list[RegionTotal]:
    """The good rows summed per region, in the area file's order, with what is stored now."""
    found: dict[int, RegionTotal] = {}
    for result in results:
        if result.ok and result.region is not None and result.as_of is not None:
            total = found.get(result.region.pk)
            if total is None:
                found[result.region.pk] = RegionTotal(
                    result.region, result.count, result.as_of, 1, None
                )
            else:
                total.count += result.count
                total.rows += 1
    stored = population.current([t.region for t in found.values()], year)
    for total in found.values():
        total.stored = stored.get(total.region.pk)
    return sorted(found.values(), key=lambda t: (t.region.sort_order, t.region.path))


def import_rows(
    municipality: Area, year: int, rows: list[SourceRow], *, commit: bool
) -> ImportReport[RowResult]:
    """Check every row and (if `commit` and every row is good) replace the figure of each
    region the file names, in one transaction."""
    results = check(municipality, year, rows)
    report = ImportReport(results)
    summed = totals(municipality, year, results)
    _mark(results, summed)
    if not commit or not report.good or report.bad:
        return report
    figures: dict[Area, Any] = {t.region: (t.count, t.as_of) for t in summed}
    try:
        population.save(municipality, year, figures, PopulationSource.IMPORTED)
    except YearClosed:  # closed between the check and the write
        for result in results:
            result.errors.append(_("%(year)sは締められているため、取り込めません。")
                                 % {"year": year_label(year)})  # fmt: skip
        return report
    ids = dict(
        Population.objects.filter(area__in=list(figures), fiscal_year=year).values_list(
            "area_id", "pk"
        )
    )
    for result in results:
        result.population_id = ids.get(result.region.pk) if result.region else None
    report.committed = True
    return report


def _mark(results: list[RowResult], summed: list[RegionTotal]) -> None:
    """The first row of each region says whether the region's figure is new or changes, so
    that the report counts regions, not rows."""
    by_region = {t.region.pk: t for t in summed}
    carried: set[int] = set()
    for result in results:
        if result.region is None or result.region.pk not in by_region:
            continue
        total = by_region[result.region.pk]
        if result.region.pk not in carried:
            carried.add(result.region.pk)
            result.is_new, result.changed = total.stored is None, total.changed
        if total.stored is not None:
            result.population_id = total.stored.pk
