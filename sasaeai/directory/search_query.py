"""What a resident's search means: the filters, the words and the order.

A `Search` is one search as a validated SearchForm gives it: the municipality, the filters
(as conditions on the columns the listing indexes hold), the words and their index tokens
(bigrams, see search.py), and the point and radius of "near me". Its results are `members()`,
in the order `ordering()` names: relevance (the words in the name or reading first), then
distance when searching near a point, then the listing order (kana, name, id).

`Search.ordered()` is those results as one plain ordered query: the rows and order that every
page must give (the plan tests compare them), and far slower to page through at scale. How a
search is answered from the indexes, a count and a page at a time, is `search_plan.py`'s;
the result pages that read it are `search_results.py`'s.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Expression,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.lookups import GreaterThan

from sasaeai.areas.models import Area
from sasaeai.lib import memo

from .models import Activity, ActivityQuerySet, Place
from .search import OR, alternatives, held_sets, match_q, normalize, query_tokens, title_tokens

KM_PER_DEGREE = 111.32
DEFAULT_RADIUS_KM = 2.0  # "near me" without a radius
DAYPART_BITS = {"morning": 1, "afternoon": 2, "evening": 4}
LISTING = ("kana", "name", "id")
# A kind with this many activities is common enough to test while walking the listing.
COMMON_KIND = 2000
KIND_LINKS = "SELECT activity_id FROM directory_activity_kinds WHERE kind_id = %s"
# How long the statistics that choose a plan (how common words and kinds are) are remembered.
STATISTICS_SECONDS = 300


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float

    def box(self, radius_km: float) -> tuple[float, float, float, float]:
        dlat = radius_km / KM_PER_DEGREE
        dlng = radius_km / (KM_PER_DEGREE * math.cos(math.radians(self.latitude)))
        return (
            self.latitude - dlat,
            self.latitude + dlat,
            self.longitude - dlng,
            self.longitude + dlng,
        )

    def km_to(self, latitude: float, longitude: float) -> float:
        """Great-circle distance (haversine), in kilometres."""
        p1, p2 = math.radians(self.latitude), math.radians(latitude)
        dp, dl = p2 - p1, math.radians(longitude - self.longitude)
        a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        return 2 * 6371.0 * math.asin(math.sqrt(a))

    def squared(self, path: str = "") -> Expression:
        """A place's squared distance from here on a flat map, in degrees of latitude."""
        return SquaredDistance(F(f"{path}latitude"), F(f"{path}longitude"), point=self)


class SquaredDistance(Func):
    """(latitude - lat0)² + ((longitude - lng0) · cos lat0)²: one node, the point as parameters."""

    output_field = FloatField()

    def __init__(self, latitude: F, longitude: F, *, point: Point) -> None:
        super().__init__(latitude, longitude)
        self.point = point

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        lat, lat_params = compiler.compile(self.source_expressions[0])
        lng, lng_params = compiler.compile(self.source_expressions[1])
        scale = math.cos(math.radians(self.point.latitude))
        sql = f"(({lat} - %s) * ({lat} - %s) + ({lng} - %s) * %s * (({lng} - %s) * %s))"
        lat0, lng0 = self.point.latitude, self.point.longitude
        params = [*lat_params, lat0, *lat_params, lat0, *lng_params, lng0, scale,
                  *lng_params, lng0, scale]  # fmt: skip
        return sql, params


@dataclass(frozen=True, eq=False)
class Search:
    """One resident's search: what its results are, and in what order."""

    municipality: Area
    words: str = ""
    tokens: tuple[str, ...] = ()
    filters: tuple[Q, ...] = ()
    kind: int | None = None
    common_kind: bool = False  # a kind with COMMON_KIND activities or more
    narrow: bool = False  # an area or a less common kind: a few thousand rows at most, indexed
    near: Point | None = None
    radius_km: float = DEFAULT_RADIUS_KM

    # What the filters hold, by name, for `shape()` and `values()`: the areas' ids (a tuple),
    # a kind's, a weekday's or a time of day's bit, or None for a flag. `filters` is made from
    # them (`_filters`).
    specs: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def from_data(cls, municipality: Area, data: dict[str, Any]) -> Search:
        specs: list[tuple[str, Any]] = []
        if area := data.get("area"):
            # The area and everything under it, as ids: a handful, known before the search
            # (and remembered: a change to the area tree clears the memo).
            specs.append(("area", tuple(_area_ids(municipality, area))))
        narrow, common = bool(data.get("area")), False
        kind = data.get("kind")
        if kind is not None and kind.mask is not None:
            # Its bit, in the listing indexes as the weekdays are: a test of each row met.
            specs.append(("kind_bits", kind.mask))
            kind = None
        if kind is not None:
            common = _common_kind(kind.pk)
            narrow = narrow or not common
        if (weekday := data.get("weekday")) not in (None, ""):
            specs.append(("weekday_bits", 1 << int(weekday)))
        if daypart := data.get("time"):
            specs.append(("daypart_bits", DAYPART_BITS[daypart]))
        for flag, column in (("free", "is_free"), ("newcomers", "welcomes_newcomers"),
                             ("step_free", "step_free")):  # fmt: skip
            if data.get(flag):
                specs.append((column, None))
        words = (data.get("q") or "").strip()
        return cls(
            municipality=municipality,
            words=words,
            tokens=tuple(held_sets(query_tokens(words, municipality.code))),
            filters=_filters(specs),
            kind=kind.pk if kind else None,
            common_kind=bool(kind) and common,
            narrow=narrow,
            near=data.get("near"),
            radius_km=data.get("radius") or DEFAULT_RADIUS_KM,
            specs=tuple(specs),
        )

    def shape(self) -> tuple[Any, ...] | None:
        """What, besides the values, shapes the SQL of this search's queries (not near a
        point): the filters present (and how many areas), the kind's role, where OR joins
        the tokens, and which words need case folded; None if it cannot be told."""
        if self.near is not None or (self.filters and not self.specs):
            return None
        specs = tuple((name, len(v) if isinstance(v, tuple) else v is None)
                      for name, v in self.specs)  # fmt: skip
        return (specs, self.kind is not None, self.common_kind, self.narrow, bool(self.words),
                tuple(token == OR for token in self.tokens),
                tuple(caseless for _word, _kana, caseless in self._title_words))  # fmt: skip

    @cached_property
    def values(self) -> tuple[Any, ...]:
        """The values of this search's queries, in the order `standing_in` takes them."""
        values: list[Any] = [self.municipality.pk]
        for _name, value in self.specs:
            values += value if isinstance(value, tuple) else [] if value is None else [value]
        values += [] if self.kind is None else [self.kind]
        values += [token for token in self.tokens if token != OR]
        for word, kana, _caseless in self._title_words:
            values += [word, kana]
        return tuple(values)

    def kinds(self) -> tuple[type, ...]:
        """The type of each of `values`."""
        return tuple(int if isinstance(value, int) else str for value in self.values)

    def standing_in(self, values: tuple[Any, ...]) -> Search:
        """The search of this shape with these values (stand-ins, to write its SQL once)."""
        given = iter(values)
        municipality = Area(pk=next(given))
        municipality._state.adding = False  # a saved row, as far as a filter is concerned
        specs: list[tuple[str, Any]] = []
        for name, value in self.specs:
            if isinstance(value, tuple):
                specs.append((name, tuple(next(given) for _ in value)))
            else:
                specs.append((name, None if value is None else next(given)))
        kind = None if self.kind is None else next(given)
        tokens = tuple(OR if token == OR else next(given) for token in self.tokens)
        title_words = tuple((next(given), next(given), caseless)
                            for _word, _kana, caseless in self._title_words)  # fmt: skip
        found = replace(self, municipality=municipality, words="…" if self.words else "",
                        tokens=tokens, filters=_filters(specs), specs=tuple(specs),
                        kind=kind)  # fmt: skip
        found.__dict__["_title_words"] = title_words
        return found

    def scope(self, *, kind_leads: bool = False) -> ActivityQuerySet:
        """Public activities of the municipality that pass the filters (words and place aside).
        kind_leads: a common kind's list may lead on SQLite too (as counting near a point lets
        it: its list may be shorter than the places around)."""
        found = self._public
        if self.kind is None:
            return found
        links = Activity.kinds.through.objects.filter(kind_id=self.kind).values("activity_id")
        if self.common_kind and not kind_leads and connection.vendor == "sqlite":
            # A common kind: SQLite would start from its long list and sort it all, or read
            # it all where a small circle of places would do; the unary + (SQLite's way to
            # keep a term from leading) makes it a test on each row that another index found.
            sql = f"+directory_activity.id IN ({KIND_LINKS})"
            return found.filter(RawSQL(sql, [self.kind], output_field=BooleanField()))  # noqa: S611
        return found.filter(pk__in=links)

    @cached_property
    def _public(self) -> ActivityQuerySet:
        """The municipality's public activities that pass the filters, built once: each count
        and tier of a search narrows it further (and a narrowed queryset is a copy)."""
        return Activity.objects.of(self.municipality).public().filter(*self.filters)

    def listed_places(self) -> QuerySet[Place]:
        """The places of `scope()`: those of the municipality's public activities, filtered on
        the copies of the activity's columns that each place holds."""
        found = Place.objects.filter(municipality=self.municipality, listed=True)
        found = found.filter(*self.filters)
        if self.kind is not None:
            links = Activity.kinds.through.objects.filter(kind_id=self.kind)
            found = found.filter(activity_id__in=links.values("activity_id"))
        return found

    def members(self) -> ActivityQuerySet:
        """Every result, unordered."""
        found = self.scope()
        if self.tokens:
            found = found.filter(match_q(list(self.tokens), [self.municipality.pk]))
        if self.near:
            found = found.filter(self.within(self.radius_km))
        return found

    def within(self, radius_km: float) -> Q:
        """Activities with a place within `radius_km` of the point."""
        return Q(pk__in=self.placed_within(Place.objects.all(), "", radius_km).values("activity"))

    def placed_within(self, found: QuerySet[Any], path: str, radius_km: float,
                      circle: bool = True, **place: Any) -> Any:  # fmt: skip
        """`found` narrowed to rows whose place (at `path`) is within `radius_km` of the point
        (the box around that circle bounds the index range; circle=False: the box alone) and
        has the values `place` gives (one filter: the same place, when `path` is a join)."""
        assert self.near is not None
        south, north, west, east = self.near.box(radius_km)
        found = found.filter(**{f"{path}{name}": value for name, value in place.items()},
                             **{f"{path}latitude__range": (south, north),
                                f"{path}longitude__range": (west, east)})  # fmt: skip
        if circle:
            limit = (radius_km / KM_PER_DEGREE) ** 2
            found = found.alias(_d=self.near.squared(path)).filter(_d__lte=limit)
        return found

    def relevant(self) -> Q:
        """Every word is in the name or its reading: a test of the listing index's own
        columns, so that a walk along that index needs no other read."""
        relevant = Q()
        for word, kana, caseless in self._title_words:
            in_name = Q(name__contains=word) if caseless else Q(name__icontains=word)
            relevant &= in_name | Q(kana__contains=kana)
        return relevant

    @cached_property
    def _title_words(self) -> tuple[tuple[str, str, bool], ...]:
        """Each word as `relevant` looks for it: in the name, in the reading (normalised), and
        whether it has no letter case (Japanese: no case folding of every name needed)."""
        words = unicodedata.normalize("NFKC", self.words).split()  # ｻﾛﾝ is サロン
        return tuple((word, normalize(word), word.upper() == word.lower()) for word in words)

    def titled(self) -> Search:
        """The search for the words in the name or reading: the first tier of relevance. Its
        tokens are the marked ones of names and readings, so that its matches come from the
        word index (a superset of the relevant rows, which the tier's test then narrows)."""
        titled = replace(
            self,
            words="",
            tokens=tuple(title_tokens(list(self.tokens))),
        )
        _share_public(self, titled)
        return titled

    def first_set(self) -> Search:
        """The search for the first set of its tokens alone (the words as typed, unless no
        activity holds them), without the others that `query_tokens` joined with OR (their
        reading, their synonyms). Its results are some of this search's."""
        first = alternatives(list(self.tokens))[:1]
        alone = replace(self, tokens=tuple(first[0]) if first else ())
        _share_public(self, alone)
        return alone

    def ordering(self) -> list[str]:
        order = ["-relevance"] if self.words else []
        return order + (["distance"] if self.near else []) + list(LISTING)

    def annotate(self, found: QuerySet[Activity]) -> QuerySet[Activity]:
        """Add what the order needs: relevance (1 or 0) and the squared distance of the nearest
        place."""
        if self.words:
            hit = When(self.relevant(), then=Value(1))
            found = found.annotate(relevance=Case(hit, default=0, output_field=IntegerField()))
        if self.near:
            closest = (
                Place.objects.filter(activity=OuterRef("pk"), latitude__isnull=False)
                .annotate(d=self.near.squared())
                .order_by("d")
                .values("d")[:1]
            )
            found = found.annotate(distance=Subquery(closest))
        return found

    def ordered(self) -> QuerySet[Activity]:
        """Every result in search order, as one plain query (see the module's docstring)."""
        return self.annotate(self.members()).order_by(*self.ordering())


def _share_public(search: Search, derived: Search) -> None:
    """A search made from another with the same filters shares its `_public` queryset, if
    built (a prepared query builds none: search_shapes.py)."""
    if "_public" in search.__dict__:
        derived.__dict__["_public"] = search.__dict__["_public"]


def _filters(specs: list[tuple[str, Any]] | tuple[tuple[str, Any], ...]) -> tuple[Q, ...]:
    """The conditions of `Search.specs` on the listing's columns."""
    filters: list[Q] = []
    for name, value in specs:
        if name == "area":
            filters.append(Q(area_id__in=list(value)))
        elif value is None:
            filters.append(Q(**{name: True}))
        else:
            filters.append(Q(GreaterThan(F(name).bitand(value), 0)))
    return tuple(filters)


def _area_ids(municipality: Area, area: Area) -> list[int]:
    def within() -> list[int]:
        return list(Area.objects.of(municipality).within(area).values_list("pk", flat=True))

    return memo.remember(("area-within", municipality.pk, area.pk), within)


def _common_kind(kind: int) -> bool:
    """Has the kind COMMON_KIND activities or more? (A statistic for the plan, remembered.)"""

    def common() -> bool:
        links = Activity.kinds.through.objects.filter(kind_id=kind)
        return links[:COMMON_KIND].count() == COMMON_KIND

    return memo.remember(("kind-common", connection.alias, kind), common, STATISTICS_SECONDS)
