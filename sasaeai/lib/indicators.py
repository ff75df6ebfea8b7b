"""Indicators (指標) over the fiscal years (年度), counted from what the apps already record.

Each domain app registers the indicators of its own records in its `figures.py`, from its
AppConfig.ready(); the pages that gather them ask `figures(areas, years)` and read
`Figures.value`, `Figures.link` or `Figures.rows`.

The rules every indicator keeps:

- A count function answers for all the areas and years asked at once, in one query (or a small
  fixed number): counts per path of the record's own area, per year, per part. The roll-up up
  the tree is done here, from the paths: a block counts its regions' records and its own, the
  ward everything under it. So a ward page of 18 regions × 5 years costs what one region's
  single year costs. Indicators that share a count function share its queries: it is called
  once per `figures()` call.
- A moment count (known, open, published) is taken at the end of the year: 31 March, or today
  for the current year. A flow count (new, held, raised, met, sent) is taken within the year,
  from 1 April to that same day. `Indicator.moment` says which; its `note` says what is counted.
- A year that has not begun has no figures (None), nor has a year an indicator cannot tell
  (`Indicator.known`): a count of the present state alone answers for the current year only.
- A breakdown whose kinds are fixed (a TextChoices) is one indicator per kind; one whose kinds
  are data (a municipality's editable taxonomy) is one indicator with parts: the count function
  returns counts per part with the part's label, and the whole separately (an activity of two
  kinds counts once in the whole and once under each kind).

Nothing here knows a domain model: an area is anything with a `pk` and a `path` (`Place`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import Combinable
from django.urls import reverse
from django.utils import timezone

from .paths import is_under, paths_above, under

WHOLE = ""  # the part that is the whole count, not a piece of a breakdown
Counts = dict[tuple[str, int, str], int]  # (path of the record's area, year, part) → count


class Place(Protocol):
    """An area, as far as figures need it."""

    @property
    def pk(self) -> Any: ...

    @property
    def path(self) -> str: ...


@dataclass(frozen=True)
class Scope:
    """What a count function is asked: records under these paths, for these years, as seen on
    `today`."""

    paths: tuple[str, ...]
    years: tuple[int, ...]
    today: dt.date

    @staticmethod
    def start(year: int) -> dt.date:
        return dt.date(year, 4, 1)

    def end(self, year: int) -> dt.date:
        """The day a moment of `year` is taken and its flows end: 31 March, or today."""
        return min(dt.date(year + 1, 3, 31), self.today)

    def includes(self, day: dt.date, year: int) -> bool:
        """Whether `day` lies within `year`, up to its end (Python's side of `during`)."""
        return self.start(year) <= day <= self.end(year)

    def under(self, field: str = "area__path") -> Q:
        """Records whose area (`field`, a path) is one of the paths asked or below one."""
        return under(self.paths, field)

    def during(self, field: str, year: int, *, timed: bool = False) -> Q:
        """`field` (a date, or a moment if `timed`, read in local time) within `year`."""
        start = Q(**{f"{field}__gte": _bound(self.start(year), timed)})
        return start & self.until(field, year, timed=timed)

    def until(self, field: str, year: int, *, timed: bool = False) -> Q:
        """`field` on or before the end of `year` (`end`)."""
        return Q(**{f"{field}__lt": _bound(self.end(year) + dt.timedelta(days=1), timed)})

    def after(self, field: str, year: int, *, timed: bool = False) -> Q:
        """`field` later than the end of `year`: a null `field` is neither before nor after."""
        return Q(**{f"{field}__gte": _bound(self.end(year) + dt.timedelta(days=1), timed)})


def _bound(day: dt.date, timed: bool) -> dt.date | dt.datetime:
    """The first moment of `day` in local time, for a moment field; the day itself else."""
    if not timed:
        return day
    return dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_current_timezone())


def present_only(scope: Scope, year: int) -> bool:
    """For `Indicator.known`: the current year alone, a count of the present state."""
    return scope.end(year) >= scope.today


@dataclass
class Found:
    """What count functions return: counts per indicator key, and the labels of the parts."""

    counts: dict[str, Counts] = field(default_factory=dict)
    parts: dict[str, dict[str, str]] = field(default_factory=dict)  # key → part → label

    def add(self, key: str, path: str, year: int, n: int, part: str = WHOLE) -> None:
        counts = self.counts.setdefault(key, defaultdict(int))
        if n:
            counts[path, year, part] += n

    def name(self, key: str, part: str, label: str) -> None:
        """Name a part of a breakdown; parts are shown in the order they are first named."""
        self.parts.setdefault(key, {}).setdefault(part, label)

    def merge(self, other: Found) -> Found:
        for key, counts in other.counts.items():
            for (path, year, part), n in counts.items():
                self.add(key, path, year, n, part)
        for key, parts in other.parts.items():
            for part, label in parts.items():
                self.name(key, part, label)
        return self


Column = Callable[[int], Q | Combinable]  # a year → which records count (Q), or an aggregate


def tally(
    queryset: QuerySet[Any],
    scope: Scope,
    columns: Mapping[str, Column],
    *,
    path: str = "area__path",
    part: tuple[str, str] | None = None,
    order: Sequence[str] = (),
    distinct: bool = False,
    whole: bool = False,
    scoped: bool = True,
) -> Found:
    """Each column (an indicator key → a Q of the records that count in a year, or an aggregate
    such as a Sum) for each year asked, per record's area path, in one query: a conditional
    count per year and column, grouped by the path (and by the part: its key and label fields,
    in `order`).

    `distinct` where a join repeats the records counted; `whole` to count the whole as the sum
    of the parts, where each record lies in exactly one part; `scoped=False` where the queryset
    is already narrowed to the scope and `path` is another grouping (a person, say)."""
    annotations: dict[str, Any] = {}
    names: dict[str, tuple[str, int]] = {}
    for i, (key, column) in enumerate(columns.items()):
        for year in scope.years:
            made = column(year)
            name = f"n{i}_{year}"
            annotations[name] = (
                Count("pk", filter=made, distinct=distinct) if isinstance(made, Q) else made
            )
            names[name] = (key, year)
    group = [path, *(part or ())]
    if scoped:
        queryset = queryset.filter(scope.under(path))
    rows = queryset.order_by().values(*group).annotate(**annotations).order_by(*order, *group)
    found = Found()
    for key in columns:
        found.counts.setdefault(key, defaultdict(int))
    for row in rows:
        piece = WHOLE
        if part is not None:
            piece = str(row[part[0]])
            for key in columns:
                found.name(key, piece, str(row[part[1]]))
        for name, (key, year) in names.items():
            found.add(key, row[path], year, int(row[name] or 0), piece)
            if whole and part is not None:
                found.add(key, row[path], year, int(row[name] or 0))
    return found


Link = Callable[[Any, int, str], str | None]  # (area, year, part) → the list it counts


@dataclass(frozen=True)
class Indicator:
    """One figure per area and year.

    `key` is the app label and a name ("directory.kayoi"): stable, figures are stored under it.
    `count(scope)` returns a Found holding this key (and perhaps others: indicators that share
    a count function share its queries). `moment`: taken at the end of the year (True) or
    within it (False); `note` says what is counted, in the words shown beside the figure.
    `link(area, year, part)` is the address of the list the figure counts, or None where no list
    can show exactly those records. `known(scope, year)`: the years it can tell (all by default).
    """

    key: str
    group: Any  # the heading it is shown under (a lazy string)
    label: Any
    count: Callable[[Scope], Found]
    moment: bool = False
    note: Any = ""
    link: Link | None = None
    unit: Any = "件"
    known: Callable[[Scope, int], bool] | None = None


def address(view: str, **query: Any) -> str:
    """The URL of a view with a query string, the parameters that are None left out."""
    given = {name: value for name, value in query.items() if value is not None}
    return reverse(view) + (f"?{urlencode(given)}" if given else "")


def is_root(area: Place) -> bool:
    """Whether the area is a municipality: a list without an area filter counts only it."""
    return "/" not in area.path


@dataclass(frozen=True)
class Cell:
    year: int
    value: int | None  # None: the year has not begun, or the indicator cannot tell it
    link: str | None


@dataclass(frozen=True)
class Row:
    """One line of a table: an indicator, or one part of its breakdown, across the years."""

    indicator: Indicator
    part: str
    label: Any
    cells: tuple[Cell, ...]

    @property
    def is_part(self) -> bool:
        return self.part != WHOLE


class Figures:
    """The values of some indicators for some areas and years, rolled up the area tree."""

    def __init__(
        self,
        indicators: Sequence[Indicator],
        areas: Sequence[Place],
        years: Sequence[int],
        scope: Scope,
        found: Found,
    ) -> None:
        self.indicators = list(indicators)
        self.areas = list(areas)
        self.years = list(years)
        self.scope = scope
        self._by_key = {indicator.key: indicator for indicator in self.indicators}
        self._parts = found.parts
        self._values: dict[tuple[str, str, int, str], int] = defaultdict(int)
        asked = {area.path for area in self.areas}
        for key, counts in found.counts.items():
            if key not in self._by_key:
                continue
            for (path, year, part), n in counts.items():
                for line in (path, *paths_above(path)):
                    if line in asked:
                        self._values[key, line, year, part] += n

    def indicator(self, key: str) -> Indicator:
        return self._by_key[key]

    def is_known(self, key: str, year: int) -> bool:
        indicator = self._by_key[key]
        if year not in self.years or self.scope.start(year) > self.scope.today:
            return False
        return indicator.known is None or indicator.known(self.scope, year)

    def value(self, key: str, area: Place, year: int, part: str = WHOLE) -> int | None:
        """The figure of `area` (its records and those of every area below it) in `year`."""
        if not self.is_known(key, year):
            return None
        return self._values.get((key, area.path, year, part), 0)

    def link(self, key: str, area: Place, year: int, part: str = WHOLE) -> str | None:
        """The address of the list the figure counts, if there is one."""
        indicator = self._by_key[key]
        if indicator.link is None or not self.is_known(key, year):
            return None
        return indicator.link(area, year, part)

    def parts(self, key: str) -> list[tuple[str, str]]:
        """The parts of a breakdown (key, label) in their order; none for a plain indicator."""
        return list(self._parts.get(key, {}).items())

    def rows(self, area: Place) -> list[Row]:
        """The area's table: each indicator, in registration order, then its parts."""
        found = []
        for indicator in self.indicators:
            lines = [(WHOLE, indicator.label), *self.parts(indicator.key)]
            for part, label in lines:
                cells = tuple(
                    Cell(
                        year,
                        self.value(indicator.key, area, year, part),
                        self.link(indicator.key, area, year, part),
                    )
                    for year in self.years
                )
                found.append(Row(indicator, part, label, cells))
        return found


def top_paths(paths: Iterable[str]) -> tuple[str, ...]:
    """The paths not under another of them: where the records asked for lie."""
    given = sorted(set(paths))
    return tuple(p for p in given if not any(q != p and is_under(p, q) for q in given))


class Registry:
    """The indicators, in the order they were registered (the apps' order in settings)."""

    def __init__(self) -> None:
        self._indicators: dict[str, Indicator] = {}

    def register(self, *indicators: Indicator) -> None:
        for indicator in indicators:
            known = self._indicators.get(indicator.key)
            if known is not None and known != indicator:
                raise ValueError(f"indicator {indicator.key!r} is registered twice")
            self._indicators[indicator.key] = indicator

    def registered(self) -> list[Indicator]:
        return list(self._indicators.values())

    def figures(
        self,
        areas: Sequence[Place],
        years: Iterable[int],
        *,
        keys: Iterable[str] | None = None,
        today: dt.date | None = None,
    ) -> Figures:
        """The figures of these areas for these years: each count function is called once,
        for all of them together."""
        wanted = set(keys) if keys is not None else None
        indicators = [i for i in self.registered() if wanted is None or i.key in wanted]
        if wanted is not None and (missing := wanted - {i.key for i in indicators}):
            raise KeyError(f"no such indicators: {sorted(missing)}")
        chosen = sorted(set(years))
        scope = Scope(
            top_paths(area.path for area in areas), tuple(chosen), today or timezone.localdate()
        )
        found = Found()
        if areas and chosen:
            counted: list[Callable[[Scope], Found]] = []
            for indicator in indicators:
                if indicator.count not in counted:
                    counted.append(indicator.count)
                    found.merge(indicator.count(scope))
        return Figures(indicators, areas, chosen, scope, found)


_registry = Registry()
register = _registry.register
registered = _registry.registered
figures = _registry.figures
