"""How a `Search` is answered from the indexes: counting, walking the listing, circles of places.

A `Plan` gives one search's count, which stops at COUNT_LIMIT (COUNT_LIMIT + 1 for "more than
COUNT_LIMIT"), and the ids of any of its pages (`page_ids`), found with narrow queries that
read indexes rather than whole rows (the pages themselves are search_results.py's). Relevance
splits the results into two tiers, each read in listing order: along the `activity_listing`
index, testing each activity met for the words while they are common, else from the word
index (SQLite FTS5, PostgreSQL tsvector) and sorted. Near a point, circles of growing radius
are tried until one holds the page.

The plan chooses among those ways for one search, from statistics of the words and kinds
(remembered for a while, like the database's own); what the results are does not depend on
the choice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import Exists, F, Min, OuterRef, QuerySet, Subquery

from sasaeai.lib import memo
from sasaeai.lib.prepared import PreparedAny

from .models import Activity, ActivityQuerySet, Place
from .search import OR, match_estimate, scan_q, tokens_test
from .search_query import LISTING, STATISTICS_SECONDS, Search
from .search_shapes import Tier, counting, matching, ordered_ids, prepared, walked

# Counting stops here: past it, a count says only "more than COUNT_LIMIT" (200 件以上), and
# the pages go no further (ten of them). Nobody reads on that far; they add a word or a filter,
# and a count that stops early is what keeps a search near a point fast in a dense city.
COUNT_LIMIT = 200
# How many activities a search for common words reads in listing order, testing each for the
# words, before it turns to the word index instead.
WALK_LIMIT = 2000
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
# Near a point: the circles tried, smallest first, before the whole circle (up to half the radius).
RINGS_KM = (0.1, 0.2, 0.4, 0.8, 1.6, 3.2)


@dataclass(frozen=True, eq=False)
class Plan:
    """The ways of answering one search from indexes: its count, and its pages' ids."""

    search: Search
    # How `search` was made from the one the resident typed (the parent of each Tier):
    # "titled", "first_set", in that order.
    derived: tuple[str, ...] = ()

    @cached_property
    def total(self) -> int:
        """How many results there are, counting no further than COUNT_LIMIT + 1."""
        if self._browsing:
            return len(self._head)
        # Counting everything near a point, a kind's list may be shorter than the places around.
        search = self.search
        return self._count(Tier(search, kind_leads=bool(search.near)), COUNT_LIMIT + 1)

    @property
    def _browsing(self) -> bool:
        """Filters alone: the results are the scope in listing order."""
        return not (self.search.words or self.search.tokens or self.search.near)

    @cached_property
    def _head(self) -> list[int]:
        """Browsing, the first COUNT_LIMIT + 1 results: both the count and every page there
        is, read from the listing in one query (it costs about what counting them does)."""
        return self._ids_of(Tier(self.search), 0, COUNT_LIMIT + 1, words=False)

    def titled(self) -> Plan:
        """The plan of the first tier of relevance (`Search.titled`). Its size is at most the
        whole search's, and that bound chooses its plans as well as a count would (which, when
        the name hits are few, reads every one of them)."""
        total = self.total
        titled = Plan(self.search.titled(), (*self.derived, "titled"))
        titled.__dict__["total"] = total
        return titled

    def _count(self, found: Tier, limit: int) -> int:
        """How many of `found` hold the words and have a place within the radius,
        counting no further than `limit`.

        Words that may also be written other ways (their reading, a synonym: sets of tokens
        joined by OR) and are tested row by row cost a test of every set on each row that
        holds none, most of the rows met. So the first set (the words as typed) is counted
        first, alone: if `limit` rows hold it, as many hold one set or another, and the count
        is done without testing any row for the other sets (near + 体操 among 100,000
        activities on SQLite: 6.4 ms → 2.4 ms; 2.6 ms before the readings). Only a count that
        falls short is made again with every set.
        """
        first = self._first_set
        if first is not None and first._count_all(found, limit) >= limit:
            return limit
        return self._count_all(found, limit)

    @cached_property
    def _first_set(self) -> Plan | None:
        """The plan of the first set of tokens alone (`Search.first_set`), making the same
        choices as this one; None unless the words have other sets and are tested row by row,
        on SQLite (where PostgreSQL tests them, a plan for one set may differ: near + 体操 on
        one set took 15 ms instead of 4, with parallel workers)."""
        if OR not in self.search.tokens or not self._scanned or connection.vendor != "sqlite":
            return None
        first = Plan(self.search.first_set(), (*self.derived, "first_set"))
        first.__dict__["_estimated_matches"] = self._estimated_matches
        return first

    def _count_all(self, tier: Tier, limit: int) -> int:
        """`_count`, testing the rows for every set of tokens.

        Written so that the database can stop at `limit`: the word or place index is joined
        rather than collected first (`id IN (…)`), or an area or kind leads.
        """
        search = self.search
        if not search.near:
            query = self._prepared(tier, ("count", limit))
            if query is not None:
                return query.count(*tier.parent.values)
            return counting(search, tier.found, self._scanned, limit).count()
        found = tier.found
        if search.tokens:
            found = self._matching(found)
        if not search.tokens:
            # Filters alone (`found` is the scope): each public place carries its activity's
            # filter columns, so the place index answers without reading an activity.
            places = search.placed_within(search.listed_places(), "", search.radius_km)
            places = places.order_by()
            if connection.vendor == "sqlite":  # its DISTINCT stops at `limit`
                return places.values("activity_id").distinct()[:limit].count()
            # The activities of the first places met settle it when they are `limit` or more,
            # or when those were all the places; only else DISTINCT. (PostgreSQL's DISTINCT
            # gathers every place in the box before it counts: 80,000 across a whole city.)
            sample = list(places.values_list("activity_id", flat=True)[: PLACES_SAMPLE * limit])
            if len(set(sample)) >= limit or len(sample) < PLACES_SAMPLE * limit:
                return min(limit, len(set(sample)))
            return places.values("activity_id").distinct()[:limit].count()
        if search.narrow or connection.vendor == "postgresql":
            # The area or kind leads, each of its activities tested for a place nearby; or
            # PostgreSQL, which plans it as a semi-join (its DISTINCT would sort everything).
            own = Place.objects.filter(activity=OuterRef("pk"))
            places = search.placed_within(own, "", search.radius_km)
            if connection.vendor == "postgresql" and (search.narrow or self._crowded()):
                counted = None if search.narrow or not self._scanned else self._count_placed(limit)
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
        joined = search.placed_within(found, "places__", search.radius_km,
                                      municipality=search.municipality, listed=True)  # fmt: skip
        return joined.order_by().values("pk").distinct()[:limit].count()

    def _count_placed(self, limit: int) -> int | None:
        """Common words among thousands of places around (PostgreSQL): counted from the places
        within the radius, each joined to its activity and tested for the words, until `limit`
        distinct activities; None if the places met repeat too many activities to tell.

        Words this common (COMMON_WORDS_POSTGRES activities or more) are in one activity of
        ten in a municipality of Itabashi's size, so a few places are read per activity counted,
        where walking the activities read about ten, each with a lookup of its places (near +
        体操 in Itabashi: 1.2 ms against 5.1 ms)."""
        search = self.search
        sample = limit + limit // PLACES_REPEAT
        placed = search.placed_within(search.listed_places(), "", search.radius_km)
        placed = placed.filter(scan_q(list(search.tokens), "activity__"))
        activities = list(placed.order_by().values_list("activity_id", flat=True)[:sample])
        distinct = len(set(activities))
        if distinct >= limit or len(activities) < sample:
            return min(limit, distinct)
        return None

    def _crowded(self) -> bool:
        """Does the box around the circle hold CROWDED listed places of the municipality or
        more? (A measure of density: the box is read from the index alone.)"""
        search = self.search
        places = search.placed_within(search.listed_places(), "", search.radius_km, circle=False)
        return places.order_by().values("pk")[:CROWDED].count() == CROWDED

    def _matching(self, found: ActivityQuerySet) -> Any:
        return matching(self.search, found, self._scanned)

    def _ids_of(self, tier: Tier, skip: int, take: int, *, words: bool) -> list[int]:
        """Rows [skip:skip+take] of a tier in listing order, holding the words if `words`."""
        query = self._prepared(tier, ("ids", skip, take, words))
        if query is not None:
            return query(*tier.parent.values)
        return list(ordered_ids(self.search, tier.found, self._scanned, words, skip, take))

    def _prepared(self, tier: Tier, query: tuple[Any, ...]) -> PreparedAny[Any] | None:
        """This plan's query on `tier`, its SQL written once per shape (search_shapes.py)."""
        return prepared(tier, self.derived, bool(self.search.tokens) and self._scanned, query)

    @property
    def _scanned(self) -> bool:
        """Are the words tested row by row? (See `_matching`.)"""
        # Filters other than a place leave common words common among the rows they keep:
        # those rows are read one by one anyway, and LIKE tests them for a tenth of the cost.
        # With an area, a rarer kind or the places near a point to lead, SQLite too: its list
        # of matches for common words spans every tenant (hundreds of thousands of ids), while
        # the rows led to are a few thousand, each tested with LIKE in about a microsecond.
        search = self.search
        led = connection.vendor == "postgresql" or search.narrow or search.near is not None
        return bool(search.tokens) and led and self.common_words

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
        search = self.search

        def estimate() -> int:
            limit = max(self._common_at, WALK_LIMIT)
            return match_estimate(search.municipality.pk, list(search.tokens), limit)

        key = ("word-estimate", connection.alias, search.municipality.pk, search.tokens)
        return memo.remember(key, estimate, STATISTICS_SECONDS)

    def page_ids(self, start: int, stop: int) -> list[int]:
        """The ids of results [start:stop], in order: tier by tier (relevance)."""
        if self._browsing and stop <= COUNT_LIMIT + 1:
            return self._head[start:stop]
        ids: list[int] = []
        skip, take = start, stop - start
        # In the name first, then the rest; the row test kept in each tier so that a walk in
        # listing order meets only rows of its tier.
        search = self.search
        tiers = (
            [(self.titled(), Tier(search, 1)), (self, Tier(search, 2))]
            if search.words
            else [(self, Tier(search))]
        )
        for plan, tier in tiers:
            if take <= 0:
                break
            sizes: list[int] = []  # the tier's size, when finding its rows told it
            if plan.search.near:
                got = plan._nearest(tier.found, skip, take)
            else:
                got = plan._listed(tier, skip, take, sizes)
            ids += got
            # Fewer than asked: this tier is used up; the next one starts where it ended.
            size = skip + len(got) if got else (sizes or [plan._count(tier, skip)])[0]
            skip, take = max(0, skip - size), take - len(got)
        return ids

    def _listed(self, tier: Tier, skip: int, take: int, sizes: list[int]) -> list[int]:
        """Rows [skip:skip+take] of a tier in listing order (adding its size to `sizes` if it
        counted the tier whole)."""
        if not self.search.tokens:
            return self._ids_of(tier, skip, take, words=False)
        if self._nowhere:
            sizes.append(0)
            return []
        if self.total > COUNT_LIMIT and self._worth_walking():
            # Unless an area or kind leads, first make sure the tier is not so sparse that a
            # walk would read most of the listing: counted from SQLite's word index, this stops
            # early. (On PostgreSQL each match counted is a read of its row: there the count
            # of matches in the whole municipality, remembered, decided.)
            size = self._count(tier, skip + take) if self._counts_first() else skip + take
            if size <= skip:
                sizes.append(size)
                return []
            if size == skip + take:
                # Words common enough: walk the tier in listing order, testing each row met.
                got = self._walk(tier, skip, take)
                if got is not None:
                    return got
        # Rarer words: from the word index (or the area or kind), then sorted.
        return self._ids_of(tier, skip, take, words=True)

    @property
    def _nowhere(self) -> bool:
        """Does no activity hold the words, by the word index's count (remembered; on SQLite,
        of every municipality)? E.g. no name holds both サロン and 見守り."""
        return self._estimated_matches == 0

    def _worth_walking(self) -> bool:
        """On PostgreSQL, words in fewer than WALK_LIMIT activities are cheaper fetched from
        the index and sorted than looked for along the listing."""
        postgres = connection.vendor == "postgresql"
        return self.search.narrow or not postgres or self.matches_at_least(WALK_LIMIT)

    def _counts_first(self) -> bool:
        return not self.search.narrow and connection.vendor == "sqlite"

    def _walk(self, tier: Tier, skip: int, take: int) -> list[int] | None:
        """Rows [skip:skip+take] of `found` holding the words, in listing order, from one query
        that reads `found` along the listing index (at most WALK_LIMIT rows), tests each row it
        meets for the words and stops when it has enough; None if it found fewer.

        The listing index alone tells which rows are in `found` (the tier's test is on its
        columns); only those rows are read, for their tokens. PostgreSQL keeps the listing
        order through the join without sorting (the ORDER BY costs nothing), while SQLite
        would sort all WALK_LIMIT rows: there the rows come in the order the subquery yields
        them, one by one (a co-routine, which CROSS JOIN keeps as the outer loop)."""
        query = self._prepared(tier, ("walk", WALK_LIMIT))
        if query is not None:
            inner, params = query.sql_with_params(*tier.parent.values)
        else:
            inner, params = walked(tier.found, WALK_LIMIT).query.sql_with_params()
        table = Activity._meta.db_table
        holds, words = tokens_test('"walked"."search_tokens"', list(self.search.tokens))
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
        search = self.search
        need, smallest = skip + take, 0.0
        for radius in RINGS_KM:
            if radius > search.radius_km / 2:
                break
            # Fewer results than the whole circle holds: skip circles too small to hold `need`
            # of them if they were spread evenly (a circle of radius r holds r²/R² of them).
            spread = self.total * (radius / search.radius_km) ** 2
            if radius < smallest or (self.total <= COUNT_LIMIT and spread < need):
                continue
            # The circle's nearest rows at once (not counted first): a circle that holds too
            # few is small, and one that holds enough holds about four times `need` at most.
            ids = self._ring(found, radius, need)
            if len(ids) == need:
                return ids[skip:]
            # Too few: the next circle tried is one that would hold `need` at this density.
            smallest = radius * math.sqrt(need / max(len(ids), 1))
        found = found.filter(search.within(search.radius_km))
        if search.tokens:
            found = self._matching(found)
        return _ids(search.annotate(found).order_by(F("distance"), *LISTING), skip, take)

    def _ring(self, found: ActivityQuerySet, radius_km: float, need: int) -> list[int]:
        """The first `need` rows of a tier by distance, from those in the circle."""
        search = self.search
        if not search.tokens:
            return self._nearest_places(radius_km, need)
        ring = found.filter(search.within(radius_km), scan_q(list(search.tokens)))
        return _ids(search.annotate(ring).order_by(F("distance"), *LISTING), 0, need)

    def _nearest_places(self, radius_km: float, take: int) -> list[int]:
        """`_nearest` for filters alone, from the places in the circle: an activity's nearest
        place is in the circle when any of its places is, so the order is the same."""
        search = self.search
        assert search.near is not None
        ring = search.placed_within(search.listed_places(), "", radius_km)
        nearest = (
            ring.values("activity_id")
            .annotate(distance=Min(search.near.squared()))
            .order_by("distance", *(f"activity__{column}" for column in LISTING))
        )
        return [row["activity_id"] for row in nearest[:take]]


def _ids(ordered: QuerySet[Activity], skip: int, take: int) -> list[int]:
    return list(ordered.values_list("pk", flat=True)[skip : skip + take])
