"""The public search: words, filters and distance, answered from indexes.

`public_search` returns the matching activities in search order (relevance: the words in the
name or reading first; then distance when searching near a point; then the listing order:
kana, name, id) as a `Listing`, a sequence of `values()` rows that stays cheap to page
through at 100,000 activities in one municipality:

- `count()` stops at COUNT_LIMIT: it returns COUNT_LIMIT + 1 for "more than COUNT_LIMIT";
- a slice (a page) is found with narrow queries that read indexes rather than whole rows,
  then only the page's activities are fetched. Relevance splits the results into two
  tiers, each read in listing order: along the `activity_listing` index, testing each
  activity met for the words while they are common, else from the word index and sorted.
  Near a point, circles of growing radius are tried until one holds the page.

`Search.ordered()` is the same results as one plain ordered query: the rows and order that
every page must give (the plan tests compare them), and far slower to page through at scale.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, overload

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    Expression,
    F,
    FloatField,
    Func,
    IntegerField,
    Min,
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
from .search import (
    match_estimate,
    match_join,
    match_q,
    normalize,
    query_tokens,
    scan_q,
    title_tokens,
    tokens_test,
)

KM_PER_DEGREE = 111.32
DEFAULT_RADIUS_KM = 2.0  # "near me" without a radius
DAYPART_BITS = {"morning": 1, "afternoon": 2, "evening": 4}
LISTING = ("kana", "name", "id")
# Counting stops here: past it, a count says only "more than COUNT_LIMIT" (200 件以上), and
# the pages go no further (ten of them). Nobody reads on that far; they add a word or a filter,
# and a count that stops early is what keeps a search near a point fast in a dense city.
COUNT_LIMIT = 200
# How many activities a search for common words reads in listing order, testing each for the
# words, before it turns to the word index instead.
WALK_LIMIT = 2000
# A kind with this many activities is common enough to test while walking the listing.
COMMON_KIND = 2000
KIND_LINKS = "SELECT activity_id FROM directory_activity_kinds WHERE kind_id = %s"
# Words matching this many activities are common: read row by row rather than from the index.
COMMON_WORDS = 20_000
# On PostgreSQL, fewer: each match the word index finds is a read of its row (to see that it
# is live and public), while a count that reads the rows in listing order stops after about
# 4,000 (COUNT_LIMIT matches).
COMMON_WORDS_POSTGRES = 10_000
# Counting activities near a point from their places: how many places per activity counted are
# read first (most activities have one or two).
PLACES_SAMPLE = 3
# Counting activities near a point from their places joined to the activity (each a row read):
# the sample holds one more place for every PLACES_REPEAT counted, for activities met twice.
PLACES_REPEAT = 4
# Near a point with words, on PostgreSQL: this many places around make each activity's own
# places cheaper to look up than all those around.
CROWDED = 5000
# How long the statistics that choose a plan (how common words and kinds are) are remembered.
STATISTICS_SECONDS = 300
# Near a point: the circles tried, smallest first, before the whole circle (up to half the radius).
RINGS_KM = (0.1, 0.2, 0.4, 0.8, 1.6, 3.2)
# The key that carries each row's id while a page of `values()` rows is put in order.
PAGE_KEY = "_search_order_pk"


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


def public_search(municipality: Area, data: dict[str, Any], fields: Sequence[str]) -> Listing:
    """Published public activities of a municipality matching a validated SearchForm, as
    `values(*fields)` rows in search order."""
    return Listing(Search.from_data(municipality, data), tuple(fields))


@dataclass(frozen=True, eq=False)
class Search:
    """One resident's search, and the ways of answering it from indexes."""

    municipality: Area
    words: str = ""
    tokens: tuple[str, ...] = ()
    filters: tuple[Q, ...] = ()
    kind: int | None = None
    common_kind: bool = False  # a kind with COMMON_KIND activities or more
    narrow: bool = False  # an area or a less common kind: a few thousand rows at most, indexed
    near: Point | None = None
    radius_km: float = DEFAULT_RADIUS_KM

    @classmethod
    def from_data(cls, municipality: Area, data: dict[str, Any]) -> Search:
        filters: list[Q] = []
        if area := data.get("area"):
            # The area and everything under it, as ids: a handful, known before the search
            # (and remembered: a change to the area tree clears the memo).
            filters.append(Q(area_id__in=_area_ids(municipality, area)))
        narrow, common = bool(data.get("area")), False
        kind = data.get("kind")
        if kind is not None and kind.mask is not None:
            # Its bit, in the listing indexes as the weekdays are: a test of each row met.
            filters.append(Q(GreaterThan(F("kind_bits").bitand(kind.mask), 0)))
            kind = None
        if kind is not None:
            common = _common_kind(kind.pk)
            narrow = narrow or not common
        if (weekday := data.get("weekday")) not in (None, ""):
            filters.append(Q(GreaterThan(F("weekday_bits").bitand(1 << int(weekday)), 0)))
        if daypart := data.get("time"):
            filters.append(Q(GreaterThan(F("daypart_bits").bitand(DAYPART_BITS[daypart]), 0)))
        for flag, column in (("free", "is_free"), ("newcomers", "welcomes_newcomers"),
                             ("step_free", "step_free")):  # fmt: skip
            if data.get(flag):
                filters.append(Q(**{column: True}))
        words = (data.get("q") or "").strip()
        return cls(
            municipality=municipality,
            words=words,
            tokens=tuple(query_tokens(words)),
            filters=tuple(filters),
            kind=kind.pk if kind else None,
            common_kind=bool(kind) and common,
            narrow=narrow,
            near=data.get("near"),
            radius_km=data.get("radius") or DEFAULT_RADIUS_KM,
        )

    # --- What the results are -------------------------------------------------------------

    def scope(self) -> ActivityQuerySet:
        """Public activities of the municipality that pass the filters (words and place aside)."""
        return self._scope(kind_leads=False)

    @cached_property
    def _public(self) -> ActivityQuerySet:
        """The municipality's public activities that pass the filters, built once: each count
        and tier of a search narrows it further (and a narrowed queryset is a copy)."""
        return Activity.objects.of(self.municipality).public().filter(*self.filters)

    def _scope(self, *, kind_leads: bool) -> ActivityQuerySet:
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
        return Q(pk__in=self._places(Place.objects.all(), "", radius_km).values("activity"))

    def _places(self, found: QuerySet[Any], path: str, radius_km: float, circle: bool = True,
                **place: Any) -> Any:  # fmt: skip
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
        for word in unicodedata.normalize("NFKC", self.words).split():  # ｻﾛﾝ is サロン
            # Words without letter case (Japanese) need no case folding of every name.
            caseless = word.upper() == word.lower()
            in_name = Q(name__contains=word) if caseless else Q(name__icontains=word)
            relevant &= in_name | Q(kana__contains=normalize(word))
        return relevant

    def titled(self) -> Search:
        """The search for the words in the name or reading: the first tier of relevance. Its
        tokens are the marked ones of names and readings, so that its matches come from the
        word index (a superset of the relevant rows, which the tier's test then narrows)."""
        titled = replace(
            self,
            words="",
            tokens=tuple(title_tokens(list(self.tokens))),
        )
        # Its size is at most the whole search's, and that bound chooses its plans as well as
        # a count would (which, when the name hits are few, reads every one of them).
        titled.__dict__["total"] = self.total
        titled.__dict__["_public"] = self._public  # the same filters
        return titled

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

    # --- Answering from indexes -------------------------------------------------------------

    @cached_property
    def total(self) -> int:
        """How many results there are, counting no further than COUNT_LIMIT + 1."""
        if self._browsing:
            return len(self._head)
        # Counting everything near a point, a kind's list may be shorter than the places around.
        return self._count(self._scope(kind_leads=bool(self.near)), COUNT_LIMIT + 1)

    @property
    def _browsing(self) -> bool:
        """Filters alone: the results are the scope in listing order."""
        return not (self.words or self.tokens or self.near)

    @cached_property
    def _head(self) -> list[int]:
        """Browsing, the first COUNT_LIMIT + 1 results: both the count and every page there
        is, read from the listing in one query (it costs about what counting them does)."""
        return _ids(self.scope().order_by(*LISTING), 0, COUNT_LIMIT + 1)

    def _count(self, found: ActivityQuerySet, limit: int) -> int:
        """How many of `found` hold the words and have a place within the radius,
        counting no further than `limit`.

        Written so that the database can stop at `limit`: the word or place index is joined
        rather than collected first (`id IN (…)`), or an area or kind leads.
        """
        if self.tokens:
            found = self._matching(found)
        if not self.near:
            # Words tested row by row: read the rows along the listing index (in its order),
            # never the table from its start, until `limit` hold them.
            # (An area or a rarer kind leads instead: its index, not the listing's.)
            order = LISTING if self._scanned and not self.narrow else ()
            return found.order_by(*order).values("pk")[:limit].count()
        if not self.tokens:
            # Filters alone (`found` is the scope): each public place carries its activity's
            # filter columns, so the place index answers without reading an activity.
            places = self._places(self.listed_places(), "", self.radius_km).order_by()
            if connection.vendor == "sqlite":  # its DISTINCT stops at `limit`
                return places.values("activity_id").distinct()[:limit].count()
            # The activities of the first places met settle it when they are `limit` or more,
            # or when those were all the places; only else DISTINCT. (PostgreSQL's DISTINCT
            # gathers every place in the box before it counts: 80,000 across a whole city.)
            sample = list(places.values_list("activity_id", flat=True)[: PLACES_SAMPLE * limit])
            if len(set(sample)) >= limit or len(sample) < PLACES_SAMPLE * limit:
                return min(limit, len(set(sample)))
            return places.values("activity_id").distinct()[:limit].count()
        if self.narrow or connection.vendor == "postgresql":
            # The area or kind leads, each of its activities tested for a place nearby; or
            # PostgreSQL, which plans it as a semi-join (its DISTINCT would sort everything).
            places = self._places(Place.objects.filter(activity=OuterRef("pk")), "", self.radius_km)
            if connection.vendor == "postgresql" and (self.narrow or self._crowded()):
                counted = None if self.narrow or not self._scanned else self._count_placed(limit)
                if counted is not None:
                    return counted
                # Thousands of places around: PostgreSQL would hash them all (36,000 in 2 km of
                # a city, 10 ms) where looking up each activity's own places stops early. A
                # subquery with a LIMIT is one it cannot turn into that join. With an area or
                # a rarer kind to lead (a few thousand activities at most), the lookups are
                # what it would do anyway: the places around are not counted first (1.6 ms).
                nearby = Subquery(places.order_by().values("pk")[:1])
                found = found.alias(_nearby=nearby).filter(_nearby__isnull=False)
                return found.order_by().values("pk")[:limit].count()
            return found.filter(Exists(places)).order_by().values("pk")[:limit].count()
        # SQLite: the places in the box lead (their index holds the municipality and
        # the public flag), each joined to its activity and tested, until `limit`. (As
        # `id IN (places)`, SQLite collected every place in the box first: 28,000 in a city.)
        joined = self._places(found, "places__", self.radius_km,
                              municipality=self.municipality, listed=True)  # fmt: skip
        return joined.order_by().values("pk").distinct()[:limit].count()

    def _count_placed(self, limit: int) -> int | None:
        """Common words among thousands of places around (PostgreSQL): counted from the places
        within the radius, each joined to its activity and tested for the words, until `limit`
        distinct activities; None if the places met repeat too many activities to tell.

        Words this common (COMMON_WORDS_POSTGRES activities or more) are in one activity of
        ten in a municipality of Itabashi's size, so a few places are read per activity counted,
        where walking the activities read about ten, each with a lookup of its places (near +
        体操 in Itabashi: 1.2 ms against 5.1 ms)."""
        sample = limit + limit // PLACES_REPEAT
        placed = self._places(self.listed_places(), "", self.radius_km)
        placed = placed.filter(scan_q(list(self.tokens), "activity__"))
        activities = list(placed.order_by().values_list("activity_id", flat=True)[:sample])
        distinct = len(set(activities))
        if distinct >= limit or len(activities) < sample:
            return min(limit, distinct)
        return None

    def _crowded(self) -> bool:
        """Does the box around the circle hold CROWDED listed places of the municipality or
        more? (A measure of density: the box is read from the index alone.)"""
        places = self._places(self.listed_places(), "", self.radius_km, circle=False)
        return places.order_by().values("pk")[:CROWDED].count() == CROWDED

    def _matching(self, found: ActivityQuerySet) -> Any:
        """`found` holding the words: tested row by row while they are common, else from
        the word index, joined so that a limited query stops early; with an area or kind to
        lead, SQLite tests its rows against the list of matches instead."""
        tokens = list(self.tokens)
        if self._scanned:
            # Common words: from the word index, each of thousands of matches would be a read
            # of its row; tested on the rows themselves, a count reads the listing only until
            # it has COUNT_LIMIT + 1 (about 400 rows when every other one matches).
            return found.filter(scan_q(tokens))
        if self.narrow:
            return found.filter(match_q(tokens, [self.municipality.pk], lead=False))
        return match_join(found, tokens, self.municipality.pk)

    @property
    def _scanned(self) -> bool:
        """Are the words tested row by row? (See `_matching`.)"""
        # Filters other than a place leave common words common among the rows they keep:
        # those rows are read one by one anyway, and LIKE tests them for a tenth of the cost.
        # With an area, a rarer kind or the places near a point to lead, SQLite too: its list
        # of matches for common words spans every tenant (hundreds of thousands of ids), while
        # the rows led to are a few thousand, each tested with LIKE in about a microsecond.
        led = connection.vendor == "postgresql" or self.narrow or self.near is not None
        return bool(self.tokens) and led and self.common_words

    @cached_property
    def common_words(self) -> bool:
        """Do the words match COMMON_WORDS activities or more (as the word index counts)?"""
        return self.matches_at_least(self._common_at)

    @property
    def _common_at(self) -> int:
        """How many matches make words common (COMMON_WORDS, or on PostgreSQL fewer)."""
        return COMMON_WORDS_POSTGRES if connection.vendor == "postgresql" else COMMON_WORDS

    def matches_at_least(self, count: int) -> bool:
        """Do the words match `count` activities or more (as the word index counts)? One
        count, up to the largest asked (COMMON_WORDS or WALK_LIMIT), answers them all."""
        return self._estimated_matches >= count

    @cached_property
    def _estimated_matches(self) -> int:
        # Only the choice of plan hangs on it, and the same words come back all day (体操,
        # サロン): remembered for a while, like the database's own statistics.
        def estimate() -> int:
            limit = max(self._common_at, WALK_LIMIT)
            return match_estimate(self.municipality.pk, list(self.tokens), limit)

        key = ("word-estimate", connection.alias, self.municipality.pk, self.tokens)
        return memo.remember(key, estimate, STATISTICS_SECONDS)

    def page_ids(self, start: int, stop: int) -> list[int]:
        """The ids of results [start:stop], in order: tier by tier (relevance)."""
        if self._browsing and stop <= COUNT_LIMIT + 1:
            return self._head[start:stop]
        ids: list[int] = []
        skip, take = start, stop - start
        # In the name first, then the rest; the row test kept in each tier so that a walk in
        # listing order meets only rows of its tier.
        relevant = self.relevant()
        tiers = [(self.titled(), relevant), (self, ~relevant)] if self.words else [(self, Q())]
        for search, tier in tiers:
            if take <= 0:
                break
            found = search.scope().filter(tier)
            sizes: list[int] = []  # the tier's size, when finding its rows told it
            if search.near:
                got = search._nearest(found, skip, take)
            else:
                got = search._listed(found, skip, take, sizes)
            ids += got
            # Fewer than asked: this tier is used up; the next one starts where it ended.
            size = skip + len(got) if got else (sizes or [search._count(found, skip)])[0]
            skip, take = max(0, skip - size), take - len(got)
        return ids

    def _listed(self, found: ActivityQuerySet, skip: int, take: int, sizes: list[int]) -> list[int]:
        """Rows [skip:skip+take] of a tier in listing order (adding its size to `sizes` if it
        counted the tier whole)."""
        if not self.tokens:
            return _ids(found.order_by(*LISTING), skip, take)
        if self._nowhere:
            sizes.append(0)
            return []
        if self.total > COUNT_LIMIT and self._worth_walking():
            # Unless an area or kind leads, first make sure the tier is not so sparse that a
            # walk would read most of the listing: counted from SQLite's word index, this stops
            # early. (On PostgreSQL each match counted is a read of its row: there the count
            # of matches in the whole municipality, remembered, decided.)
            size = self._count(found, skip + take) if self._counts_first() else skip + take
            if size <= skip:
                sizes.append(size)
                return []
            if size == skip + take:
                # Words common enough: walk the tier in listing order, testing each row met.
                got = self._walk(found, skip, take)
                if got is not None:
                    return got
        # Rarer words: from the word index (or the area or kind), then sorted.
        return _ids(self._matching(found).order_by(*LISTING), skip, take)

    @property
    def _nowhere(self) -> bool:
        """Does no activity hold the words, by the word index's count (remembered; on SQLite,
        of every municipality)? E.g. no name holds both サロン and 見守り."""
        return self._estimated_matches == 0

    def _worth_walking(self) -> bool:
        """On PostgreSQL, words in fewer than WALK_LIMIT activities are cheaper fetched from
        the index and sorted than looked for along the listing."""
        postgres = connection.vendor == "postgresql"
        return self.narrow or not postgres or self.matches_at_least(WALK_LIMIT)

    def _counts_first(self) -> bool:
        return not self.narrow and connection.vendor == "sqlite"

    def _walk(self, found: ActivityQuerySet, skip: int, take: int) -> list[int] | None:
        """Rows [skip:skip+take] of `found` holding the words, in listing order, from one query
        that reads `found` along the listing index (at most WALK_LIMIT rows), tests each row it
        meets for the words and stops when it has enough; None if it found fewer.

        The listing index alone tells which rows are in `found` (the tier's test is on its
        columns); only those rows are read, for their tokens. PostgreSQL keeps the listing
        order through the join without sorting (the ORDER BY costs nothing), while SQLite
        would sort all WALK_LIMIT rows: there the rows come in the order the subquery yields
        them, one by one (a co-routine, which CROSS JOIN keeps as the outer loop)."""
        listed = found.order_by(*LISTING).values_list(*LISTING)[:WALK_LIMIT]
        inner, params = listed.query.sql_with_params()
        table = Activity._meta.db_table
        holds, words = tokens_test('"walked"."search_tokens"', list(self.tokens))
        order = ""
        if connection.vendor == "postgresql":
            order = 'ORDER BY "listed"."kana", "listed"."name", "listed"."id"'
        sql = (
            f'SELECT "listed"."id" FROM ({inner}) "listed" CROSS JOIN "{table}" "walked" '  # noqa: S608 - our SQL; the words are parameters
            f'WHERE "walked"."id" = "listed"."id" AND {holds} {order} LIMIT %s OFFSET %s'
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *words, take, skip])
            got = [pk for (pk,) in cursor.fetchall()]
        return got if len(got) == take else None

    def _nearest(self, found: ActivityQuerySet, skip: int, take: int) -> list[int]:
        """Rows [skip:skip+take] of a tier by distance, from the smallest circle holding them."""
        need, smallest = skip + take, 0.0
        for radius in RINGS_KM:
            if radius > self.radius_km / 2:
                break
            # Fewer results than the whole circle holds: skip circles too small to hold `need`
            # of them if they were spread evenly (a circle of radius r holds r²/R² of them).
            spread = self.total * (radius / self.radius_km) ** 2
            if radius < smallest or (self.total <= COUNT_LIMIT and spread < need):
                continue
            # The circle's nearest rows at once (not counted first): a circle that holds too
            # few is small, and one that holds enough holds about four times `need` at most.
            ids = self._ring(found, radius, need)
            if len(ids) == need:
                return ids[skip:]
            # Too few: the next circle tried is one that would hold `need` at this density.
            smallest = radius * math.sqrt(need / max(len(ids), 1))
        found = found.filter(self.within(self.radius_km))
        if self.tokens:
            found = self._matching(found)
        return _ids(self.annotate(found).order_by(F("distance"), *LISTING), skip, take)

    def _ring(self, found: ActivityQuerySet, radius_km: float, need: int) -> list[int]:
        """The first `need` rows of a tier by distance, from those in the circle."""
        if not self.tokens:
            return self._nearest_places(radius_km, need)
        ring = found.filter(self.within(radius_km), scan_q(list(self.tokens)))
        return _ids(self.annotate(ring).order_by(F("distance"), *LISTING), 0, need)

    def _nearest_places(self, radius_km: float, take: int) -> list[int]:
        """`_nearest` for filters alone, from the places in the circle: an activity's nearest
        place is in the circle when any of its places is, so the order is the same."""
        assert self.near is not None
        ring = self._places(self.listed_places(), "", radius_km)
        nearest = (
            ring.values("activity_id")
            .annotate(distance=Min(self.near.squared()))
            .order_by("distance", *(f"activity__{column}" for column in LISTING))
        )
        return [row["activity_id"] for row in nearest[:take]]


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


def _ids(ordered: QuerySet[Activity], skip: int, take: int) -> list[int]:
    return list(ordered.values_list("pk", flat=True)[skip : skip + take])


class Listing:
    """A search's results as a Paginator reads them: `count()` (no further than
    COUNT_LIMIT + 1) and slices, each a list of `values(*fields)` rows in search order. A
    slice finds its ids with `Search.page_ids`, then fetches those rows in one query: the
    ordered query of every result is never built, which cost a page more than its count."""

    def __init__(self, search: Search, fields: tuple[str, ...]) -> None:
        self.search, self.fields = search, fields

    def count(self) -> int:
        return self.search.total

    def __len__(self) -> int:
        return self.search.total

    @overload
    def __getitem__(self, k: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, k: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, k: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(k, int):
            at = k + len(self) if k < 0 else k
            return self[at : at + 1][0]  # IndexError past the end, as a list gives
        start, stop, step = k.indices(len(self))
        if step != 1:
            raise ValueError("a search's results are read in slices without a step")
        if stop <= start:
            return []
        ids = self.search.page_ids(start, stop)
        # Put in search order here: in SQL, the order would need each row's relevance and
        # distance again.
        rows = Activity.objects.filter(pk__in=ids).values(*self.fields, **{PAGE_KEY: F("pk")})
        found = {row.pop(PAGE_KEY): row for row in rows}
        return [found[pk] for pk in ids if pk in found]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self[0 : len(self)])
