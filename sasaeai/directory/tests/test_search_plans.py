"""The public search at scale: no full scan of the activities, and pages found from indexes
are the pages of the plain ordered query.

A few thousand generated activities stand in for 100,000 (bench/search_bench.py measures those);
the limits that switch strategies are lowered so that every way of answering is exercised.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection

from sasaeai.areas.models import Area, AreaKind
from sasaeai.directory import search_plan, search_query
from sasaeai.directory.forms import SearchForm
from sasaeai.directory.models import (
    Activity,
    Kind,
    Place,
    Schedule,
    Status,
    Visibility,
    copy_to_places,
)
from sasaeai.directory.search import alternatives, normalize, reading_of, title_of, tokens_for
from sasaeai.directory.search_plan import Plan
from sasaeai.directory.search_query import Search
from sasaeai.directory.search_results import public_search
from sasaeai.directory.tests.builders import make_activity

pytestmark = pytest.mark.django_db

ROWS = 3000
NEAR = "35.7845,139.6745"
NAMES = ["いきいきサロン", "ラジオ体操", "お茶会", "見守り隊", "囲碁クラブ", "歌声喫茶", "散歩の会",
         "子ども食堂", "手芸の会", "脳トレ教室"]  # fmt: skip
TEXTS = ["おしゃべりを楽しんでいます。", "お茶とお菓子があります。", "椅子に座って体操をします。",
         "見守りをしています。", "初めての方も歓迎です。"]  # fmt: skip
SEARCHES: list[dict[str, str]] = [
    {},
    {"q": "茶"},
    {"q": "体操"},
    {"q": "たいそう"},  # finds 体操 by its reading (issue 25)
    {"q": "散歩"},  # and its synonym ウォーキング, and their readings: four sets of tokens
    {"q": "さろん"},
    {"q": "いきいきサロン"},
    {"q": "ｻﾛﾝ 見守り"},
    {"q": "ぴよぴよ"},
    {"area": "hasune"},
    {"kind": "salon"},
    {"kind": "light-bulb"},
    {"weekday": "2", "time": "morning", "free": "on", "step_free": "on"},
    {"q": "会", "area": "hasune"},
    {"q": "茶", "kind": "tea", "free": "on"},
    {"near": NEAR, "radius": "2"},
    {"near": NEAR, "radius": "0.5"},
    {"near": NEAR, "radius": "10"},
    {"near": NEAR, "radius": "2", "q": "体操"},
    {"near": NEAR, "radius": "2", "kind": "tea", "weekday": "2"},
    {"near": NEAR, "radius": "1", "q": "体操", "area": "hasune"},
    {"near": NEAR, "radius": "2", "q": "おちゃ"},
    {"q": "みまもり", "area": "hasune"},
]


@pytest.fixture
def town(itabashi: Any) -> Area:
    """ROWS activities over Itabashi's regions, with places, schedules and kinds (seeded)."""
    rng = random.Random(7)
    regions = list(Area.objects.of(itabashi).filter(kind=AreaKind.REGION))
    # Two kinds without a bit (as when a municipality has used them all): filtered by links.
    Kind.objects.of(itabashi).filter(code__in=["tea", "light-bulb"]).update(bit=None)
    kinds = list(Kind.objects.of(itabashi))
    activities, parts = [], []
    for n in range(ROWS):
        region = rng.choice(regions)
        name = rng.choice(NAMES) + ("" if n % 3 else region.name)
        description = "".join(rng.sample(TEXTS, 2))
        days = rng.sample(range(7), 2)
        chosen = rng.sample(kinds, 2)
        text = normalize(" ".join([name, description, region.name, *(k.name for k in chosen)]))
        kana = f"{normalize(name)}{n % 50}"
        # As Activity.index adds them (with a typed reading: not the name's).
        readings = reading_of([description, *(k.name for k in chosen), "会場"])
        activity = Activity(
            municipality=itabashi, area=region, name=name, kana=kana,
            description=description, status=Status.PUBLISHED if n % 10 else Status.DRAFT,
            visibility=Visibility.STAFF if n % 17 == 0 else Visibility.PUBLIC,
            is_free=n % 2 == 0, step_free=n % 3 == 0, weekday_bits=sum(1 << d for d in days),
            kind_bits=sum(k.mask or 0 for k in chosen),
            daypart_bits=rng.choice([1, 2, 4]), search_text=text,
            search_tokens=tokens_for(text, title_of(name, kana), readings),
            last_confirmed=dt.date(2025, 1, 1),
        )  # fmt: skip
        activities.append(activity)
        place = Place(
            name="会場", address="板橋区",
            latitude=(region.latitude or 35.75) + rng.gauss(0, 0.006),
            longitude=(region.longitude or 139.7) + rng.gauss(0, 0.007),
        )  # fmt: skip
        parts.append((chosen, place))
    Activity.objects.bulk_create(activities)
    links, places, schedules = [], [], []
    for activity, (chosen, place) in zip(activities, parts, strict=True):
        links += [Activity.kinds.through(activity_id=activity.pk, kind_id=k.pk) for k in chosen]
        place.activity = activity
        places.append(place)
        schedules.append(Schedule(activity=activity, frequency="weekly", weekdays="1"))
    Activity.kinds.through.objects.bulk_create(links)
    Place.objects.bulk_create(places)
    copy_to_places([a.pk for a in activities])
    Schedule.objects.bulk_create(schedules)
    # Only the tables filled here: on PostgreSQL, ANALYZE writes a table's row count in place,
    # kept after the test's rollback, and a table analyzed while empty would be planned as
    # empty by every later test (a count over the demo's councils then ran for minutes).
    with connection.cursor() as cursor:
        for model in (Area, Kind, Activity, Activity.kinds.through, Place, Schedule):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return itabashi


@contextmanager
def small_limits() -> Iterator[None]:
    """Every threshold lowered, so that with a few thousand rows counts are capped, words count
    as common, tiers are walked, circles are tried and places around count as crowded."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_plan, "COUNT_LIMIT", 60)
        patch.setattr(search_plan, "COMMON_WORDS", 300)
        patch.setattr(search_plan, "COMMON_WORDS_POSTGRES", 300)
        patch.setattr(search_query, "COMMON_KIND", 100)
        patch.setattr(search_plan, "WALK_LIMIT", 400)
        patch.setattr(search_plan, "CROWDED", 100)
        patch.setattr(search_plan, "PLACES_SAMPLE", 1)
        yield


@contextmanager
def as_deployed() -> Iterator[None]:
    yield


LIMITS = {"as deployed": as_deployed, "small limits": small_limits}


def data_for(municipality: Area, params: dict[str, str]) -> dict[str, Any]:
    form = SearchForm(params, municipality=municipality)
    assert form.is_valid(), form.errors
    return form.cleaned_data


@contextmanager
def statements() -> Iterator[list[tuple[str, Any]]]:
    """Every SELECT the search sends to the database, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def record(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, params))
        return execute(sql, params, many, ctx)

    with connection.execute_wrapper(record):
        yield seen


def full_scans(sql: str, params: Any) -> list[str]:
    """Plan steps reading the whole activity table (under its name or any alias).

    SQLite: any SCAN of it, even along an index. PostgreSQL: a Seq Scan of it (run with
    enable_seqscan off on these small tables; see below).
    """
    names = {"directory_activity"} | set(re.findall(r'"directory_activity" "?(\w+)"?', sql))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # "SCAN t" reads the table, "SCAN t USING [COVERING] INDEX i" all of an index;
            # "SEARCH t USING … (a=? …)" reads the part of an index the conditions select.
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            lines = [str(row[3]) for row in cursor.fetchall()]
            return [
                ln for ln in lines if (m := re.match(r"SCAN (\w+)", ln)) and m.group(1) in names
            ]
        cursor.execute("EXPLAIN " + sql, params)
        lines = [row[0] for row in cursor.fetchall()]
    return [line for line in lines if re.search(r"Seq Scan on directory_activity\b", line)]


def test_no_search_reads_the_whole_activity_table(town: Area) -> None:
    seen: list[tuple[str, Any, str]] = []
    for limits, patched in LIMITS.items():
        for params in SEARCHES:
            with patched(), statements() as sent:
                results = public_search(town, data_for(town, params), ("id", "name"))
                results.count()
                list(results[0:20])
                list(results[40:60])
            assert sent
            seen += [(sql, args, f"{limits} {params}") for sql, args in sent]
    if connection.vendor == "postgresql":
        # Tables of a few thousand rows are cheaper to scan whole, and PostgreSQL would; forbid
        # it to see which index it takes (it still scans when no index can answer at all).
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
    try:
        scans = [(search, sql, lines) for sql, args, search in seen
                 if (lines := full_scans(sql, args))]  # fmt: skip
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("RESET enable_seqscan")
    assert not scans, "\n\n".join(f"{s}\n{sql}\n" + "\n".join(lines) for s, sql, lines in scans)


def test_pages_are_those_of_the_plain_ordered_query(town: Area) -> None:
    for limits, patched in LIMITS.items():
        for params in SEARCHES:
            with patched():
                data = data_for(town, params)
                search = Search.from_data(town, data)
                plain = list(search.ordered().values_list("pk", flat=True))
                label = f"{limits} {params}"
                plan = Plan(search)
                # Past the count's limit too: with small limits, pages deep into the tiers.
                for start in (0, 20, 55, 100):
                    page = plan.page_ids(start, start + 20)
                    assert page == plain[start : start + 20], (label, start)
                # The results page reads rows (values) of the same ids, up to its count.
                results = public_search(town, data, ("id", "name"))
                shown = min(len(plain), search_plan.COUNT_LIMIT + 1)
                assert results.count() == len(results) == shown, label
                for start in (0, 20, 55):
                    rows = results[start : start + 20]
                    assert [row["id"] for row in rows] == plain[start : min(start + 20, shown)]
                    assert all(row.keys() == {"id", "name"} for row in rows), label


def test_the_listing_reads_like_a_list_of_its_rows(itabashi: Area) -> None:
    for n in range(5):
        make_activity(f"体操クラブ{n}")
    results = public_search(itabashi, data_for(itabashi, {"q": "体操"}), ("name",))
    rows = [{"name": f"体操クラブ{n}"} for n in range(5)]
    assert len(results) == 5 and list(results) == rows == results[0:99]
    assert results[0] == rows[0] and results[-1] == rows[-1] and results[3:1] == []
    with pytest.raises(IndexError):
        results[5]
    with pytest.raises(ValueError, match="without a step"):
        results[::2]


@pytest.mark.parametrize(("count_limit", "shown"), [(60, 12), (10, 11)])
def test_near_a_crowded_point_an_activity_with_two_places_counts_once(
    itabashi: Area, count_limit: int, shown: int
) -> None:
    """Common words among many places around are counted from the places (PostgreSQL): each
    activity once, however many of its places are there, and no further than the limit
    (COUNT_LIMIT + 1 says "more than COUNT_LIMIT")."""
    for n in range(12):
        activity = make_activity(f"体操クラブ{n:02}", place=(35.7845, 139.6745))
        Place.objects.create(activity=activity, name="別の入口", address="板橋区",
                             latitude=35.7845, longitude=139.6745)  # fmt: skip
    make_activity("囲碁クラブ", place=(35.7845, 139.6745))
    with small_limits(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_plan, "COUNT_LIMIT", count_limit)
        patch.setattr(search_plan, "COMMON_WORDS_POSTGRES", 5)
        patch.setattr(search_plan, "COMMON_WORDS", 5)
        patch.setattr(search_plan, "CROWDED", 10)
        data = data_for(itabashi, {"near": NEAR, "q": "体操"})
        results = public_search(itabashi, data, ("id",))
        assert results.count() == shown
        assert len(results[0:20]) == shown  # a page holds no more than the count says


@pytest.mark.parametrize(("count_limit", "shown"), [(1, 2), (3, 4), (10, 5)])
def test_a_count_of_common_words_counts_every_way_to_write_them(
    itabashi: Area, count_limit: int, shown: int
) -> None:
    """Common words tested row by row are counted as typed first (SQLite): enough of those
    settle the count; too few, and it is made again with their reading and synonyms."""
    for n in range(2):
        make_activity(f"体操クラブ{n}", place=(35.7845, 139.6745))
    for n in range(3):
        make_activity(f"ラジオたいそう{n}", place=(35.7845, 139.6745))
    make_activity("囲碁クラブ", place=(35.7845, 139.6745))
    with small_limits(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_plan, "COUNT_LIMIT", count_limit)
        patch.setattr(search_plan, "COMMON_WORDS_POSTGRES", 1)
        patch.setattr(search_plan, "COMMON_WORDS", 1)
        near = {"near": NEAR, "q": "体操"}
        for params in (near, {**near, "area": "takashimadaira"}):
            data = data_for(itabashi, params)
            results = public_search(itabashi, data, ("name",))
            assert results.count() == shown, params
            names = [row["name"] for row in results[0:20]]
            assert names == ["体操クラブ0", "体操クラブ1", "ラジオたいそう0", "ラジオたいそう1",
                             "ラジオたいそう2"][:shown], params  # fmt: skip


def test_a_synonym_no_activity_holds_is_not_tested(itabashi: Area) -> None:
    """体操 = エクササイズ in Itabashi's list: while no activity holds エクササイズ, SQLite's
    search leaves it out (a probe of the word index); the next search after one does finds it."""
    make_activity("体操クラブ")
    search = Search.from_data(itabashi, data_for(itabashi, {"q": "体操"}))
    sets = [["体操"], ["たい", "いそ", "そう"]]
    if connection.vendor == "postgresql":  # no cheap probe there: every set stays
        sets.insert(1, ["えく", "くさ", "ささ", "さい", "いず"])
    assert alternatives(list(search.tokens)) == sets
    found = public_search(itabashi, data_for(itabashi, {"q": "体操"}), ("name",))
    assert [row["name"] for row in found] == ["体操クラブ"]
    make_activity("エクササイズ教室")
    found = public_search(itabashi, data_for(itabashi, {"q": "体操"}), ("name",))
    assert [row["name"] for row in found] == ["体操クラブ", "エクササイズ教室"]
