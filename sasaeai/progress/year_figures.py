"""An area's figures over the years, as a page shows them: every registered indicator (each
app counts its own records, lib/indicators.py) for five 年度, with 参加率 worked out from the
entered participants and population. A closed 年度 shows the figures frozen when it was
closed (YearClosure.figures), not today's count; the others are counted now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from sasaeai.areas.models import Area
from sasaeai.lib import indicators
from sasaeai.lib.fiscal import year_label

from .models import YearClosure

YEARS = 5  # shown side by side: the year asked and the four before it
PARTICIPANTS, POPULATION = "progress.participants", "progress.population"
# The figures drawn as charts on an area's page (the table has them all).
CHARTED = [
    "councils.meetings", "directory.known", "directory.kayoi", "needs.raised", "needs.met",
    PARTICIPANTS,
]  # fmt: skip


def cell_key(key: str, part: str) -> str:
    return f"{key}:{part}" if part else key


@dataclass(frozen=True)
class Cell:
    year: int
    value: int | None  # None: not counted (a year not begun, or one the figure cannot tell)
    link: str | None
    frozen: bool  # from the closed year's record


@dataclass(frozen=True)
class Bar:
    """One year's bar of a chart (SVG units: 400 × 190, the base line at 150)."""

    x: int
    y: int
    height: int
    cell: Cell


BAR_TOP, BAR_BASE, BAR_STEP = 110, 150, 76


@dataclass(frozen=True)
class Line:
    key: str  # the indicator's
    part: str  # a part of its breakdown, or "" for the whole
    group: str
    label: str
    note: str
    unit: str
    is_part: bool
    cells: tuple[Cell, ...]

    @property
    def top(self) -> int:
        return max((c.value or 0 for c in self.cells), default=0)

    def bars(self) -> list[Bar]:
        top = self.top or 1
        found = []
        for i, cell in enumerate(self.cells):
            height = round(BAR_TOP * (cell.value or 0) / top)
            found.append(Bar(24 + i * BAR_STEP, BAR_BASE - height, height, cell))
        return found


@dataclass(frozen=True)
class Rate:
    """参加率 of a year: kept as its numerator and denominator."""

    year: int
    participants: int | None
    population: int | None

    @property
    def percent(self) -> float | None:
        if not self.participants or not self.population:
            return None
        return round(100 * self.participants / self.population, 1)


@dataclass(frozen=True)
class Table:
    area: Area
    years: list[int]
    closed: set[int]
    lines: list[Line]
    rates: list[Rate]

    def year_labels(self) -> list[tuple[int, str]]:
        return [(year, year_label(year)) for year in self.years]

    def charted(self) -> list[Line]:
        by_key = {line.key: line for line in self.lines if not line.is_part}
        return [by_key[key] for key in CHARTED if key in by_key]


def closures(municipality: Area, years: Sequence[int]) -> dict[int, YearClosure]:
    found = YearClosure.objects.in_force().filter(municipality=municipality, fiscal_year__in=years)
    return {closure.fiscal_year: closure for closure in found}


def tables(areas: Sequence[Area], last_year: int, today: dt.date | None = None) -> list[Table]:
    """Each area's table for the five 年度 up to `last_year`, in one count for all of them."""
    if not areas:
        return []
    municipality = areas[0].municipality or areas[0]
    years = list(range(last_year - YEARS + 1, last_year + 1))
    closed = closures(municipality, years)
    live = indicators.figures(areas, [y for y in years if y not in closed], today=today)
    return [_table(area, years, closed, live) for area in areas]


def _table(
    area: Area, years: list[int], closed: dict[int, YearClosure], live: indicators.Figures
) -> Table:
    lines = []
    for row in _row_shapes(live, closed):
        cells = []
        for year in years:
            if year in closed:
                frozen = closed[year].figures.get("values", {}).get(area.path, {})
                value = frozen.get(cell_key(row["key"], row["part"]))
                cells.append(Cell(year, value, None, True))
            else:
                value = live.value(row["key"], area, year, row["part"])
                link = live.link(row["key"], area, year, row["part"])
                cells.append(Cell(year, value, link, False))
        lines.append(Line(cells=tuple(cells), **row))
    by_key = {line.key: line for line in lines if not line.is_part}
    rates = [
        Rate(year, _at(by_key.get(PARTICIPANTS), year), _at(by_key.get(POPULATION), year))
        for year in years
    ]
    return Table(area, years, set(closed), lines, rates)


def _at(line: Line | None, year: int) -> int | None:
    if line is None:
        return None
    return next((c.value for c in line.cells if c.year == year), None)


def _row_shapes(live: indicators.Figures, closed: dict[int, YearClosure]) -> list[dict[str, Any]]:
    """The lines of the table: every registered indicator and its parts, then any part a
    closed year froze that is no longer counted (a kind since removed)."""
    shapes: list[dict[str, Any]] = []
    seen: set[str] = set()
    for indicator in live.indicators:
        for part, label in [("", indicator.label), *live.parts(indicator.key)]:
            seen.add(cell_key(indicator.key, part))
            shapes.append(_shape(indicator, part, label))
    by_key = {i.key: i for i in live.indicators}
    for closure in closed.values():
        for name, label in closure.figures.get("labels", {}).items():
            key, _sep, part = name.partition(":")
            if name not in seen and key in by_key:
                seen.add(name)
                shapes.append(_shape(by_key[key], part, label))
    return shapes


def _shape(indicator: indicators.Indicator, part: str, label: str) -> dict[str, Any]:
    return {
        "key": indicator.key,
        "part": part,
        "group": str(indicator.group),
        "label": str(label),
        "note": str(indicator.note),
        "unit": str(indicator.unit),
        "is_part": bool(part),
    }


def snapshot(municipality: Area, year: int, today: dt.date | None = None) -> dict[str, Any]:
    """Every area's figures of `year` as they are counted now, to freeze in a YearClosure."""
    areas = list(Area.objects.filter(pk=municipality.pk) | Area.objects.of(municipality))
    live = indicators.figures(areas, [year], today=today)
    values: dict[str, dict[str, int]] = {}
    labels: dict[str, str] = {}
    for area in areas:
        row: dict[str, int] = {}
        for indicator in live.indicators:
            for part, label in [("", indicator.label), *live.parts(indicator.key)]:
                value = live.value(indicator.key, area, year, part)
                if value is not None:
                    row[cell_key(indicator.key, part)] = value
                labels[cell_key(indicator.key, part)] = str(label)
        values[area.path] = row
    return {"values": values, "labels": labels, "counted_on": str(today or timezone.localdate())}


@transaction.atomic
def close_year(municipality: Area, year: int, *, by: Any) -> YearClosure:
    """Freeze `year`'s figures for the whole municipality (once: closing a closed year does
    nothing)."""
    Area.objects.select_for_update().filter(pk=municipality.pk).get()  # one closer at a time
    found = YearClosure.objects.in_force().filter(municipality=municipality, fiscal_year=year)
    if (closure := found.first()) is not None:
        return closure
    return YearClosure.objects.create(
        municipality=municipality, fiscal_year=year, closed_by=by if by else None,
        figures=snapshot(municipality, year),
    )  # fmt: skip


@transaction.atomic
def reopen_year(closure: YearClosure, *, by: Any, reason: str) -> YearClosure:
    closure.reopened_at = timezone.now()
    closure.reopened_by = by
    closure.reopen_reason = reason.strip()
    closure.save()
    return closure


def is_closed(municipality: Area, year: int) -> bool:
    return (
        YearClosure.objects.in_force().filter(municipality=municipality, fiscal_year=year).exists()
    )


# A few figures beside each region's small mountain on a block's or the ward's page.
HEADLINE = ["councils.meetings", "directory.kayoi", "needs.raised", PARTICIPANTS]


def headlines(areas: Sequence[Area], year: int) -> dict[int, list[tuple[str, str, int | None]]]:
    """Each area's headline figures of `year` (label, unit, value), by area id."""
    if not areas:
        return {}
    municipality = areas[0].municipality or areas[0]
    closure = closures(municipality, [year]).get(year)
    live = None if closure else indicators.figures(areas, [year], keys=HEADLINE)
    labels = {i.key: (str(i.label), str(i.unit)) for i in indicators.registered()}
    found: dict[int, list[tuple[str, str, int | None]]] = {}
    for area in areas:
        row = []
        for key in HEADLINE:
            if closure is not None:
                value = closure.figures.get("values", {}).get(area.path, {}).get(key)
            else:
                value = live.value(key, area, year) if live else None
            row.append((*labels[key], value))
        found[area.pk] = row
    return found
