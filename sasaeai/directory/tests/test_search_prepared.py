"""The search's count and pages come from SQL written once per shape of search (which filters,
how many words, where OR joins their tokens), sent with each search's own values: searches of
one shape with other values, and of other shapes, find what the plain ordered query finds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db.models.sql.compiler import SQLCompiler

from sasaeai.areas.models import Area
from sasaeai.directory import search_plan, search_shapes
from sasaeai.directory.forms import SearchForm
from sasaeai.directory.models import Activity
from sasaeai.directory.search_plan import COUNT_LIMIT, Plan
from sasaeai.directory.search_query import Search
from sasaeai.directory.search_results import public_search
from sasaeai.directory.tests.builders import make_activity

pytestmark = pytest.mark.django_db

MONDAY = [{"frequency": "weekly", "weekdays": "1"}]
THURSDAY = [
    {"frequency": "weekly", "weekdays": "4", "opens_at": dt.time(10), "closes_at": dt.time(11)}
]

# Each line: searches of one shape with other values.
SHAPES: list[list[dict[str, str]]] = [
    [{"q": "体操"}, {"q": "サロン"}, {"q": "茶"}, {"q": "ぴよぴよ"}],
    [{"q": "体操", "weekday": "1"}, {"q": "サロン", "weekday": "4"}],
    [{"q": "体操 会"}, {"q": "お茶 会"}],
    [{"q": "Tea"}, {"q": "Yoga"}],
    [{"q": "50%"}, {"q": "a_b"}],
    [{"area": "takashimadaira"}, {"area": "narimasu"}],
    [{"kind": "salon"}, {"kind": "exercise"}, {"kind": "tea"}],
    [{"weekday": "1", "free": "on"}, {"weekday": "4", "free": "on"}],
    [
        {"q": "会", "area": "takashimadaira", "time": "morning"},
        {"q": "体操", "area": "narimasu", "time": "afternoon"},
    ],
    [{}],
]


@pytest.fixture
def town(itabashi: Area) -> Area:
    make_activity("ラジオ体操の会", kinds=("exercise",), schedules=MONDAY, is_free=True)
    make_activity("いきいきサロン", kinds=("salon",), schedules=THURSDAY)
    make_activity("お茶の会", "narimasu", kinds=("tea", "salon"), schedules=MONDAY)
    make_activity("体操クラブ", "narimasu", kinds=("exercise",), schedules=THURSDAY)
    make_activity("Tea party", kinds=("tea",), schedules=MONDAY, is_free=True)
    make_activity("割引50%の会", kinds=("salon",), schedules=THURSDAY)
    make_activity("割引500円の会", kinds=("salon",), schedules=MONDAY)
    make_activity("a_b の会", "narimasu", kinds=("hobby",), schedules=MONDAY)
    make_activity("axb の会", kinds=("hobby",), schedules=THURSDAY)
    for n in range(25):  # past a page: page 2 is read too
        make_activity(f"たいそう教室{n:02}", "narimasu", kinds=("exercise",), schedules=THURSDAY)
    return itabashi


def _data(town: Area, params: dict[str, str]) -> dict[str, Any]:
    form = SearchForm(params, municipality=town)
    assert form.is_valid(), form.errors
    return form.cleaned_data


@contextmanager
def activity_sql_written() -> Iterator[tuple[list[str], list[Any]]]:
    """The statements about activities whose SQL the ORM writes meanwhile, and the shapes of
    the prepared queries asked for."""
    written: list[str] = []
    shapes: list[Any] = []
    as_sql, prepared = SQLCompiler.as_sql, search_plan.Plan._prepared

    def spy(compiler: SQLCompiler, *args: Any, **kwargs: Any) -> Any:
        found = as_sql(compiler, *args, **kwargs)
        if compiler.query.model is Activity:
            written.append(found[0])
        return found

    def asked(plan: Any, tier: Any, query: Any) -> Any:
        shapes.append((tier.parent.shape(), plan.derived, tier.tier, query))
        return prepared(plan, tier, query)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SQLCompiler, "as_sql", spy)
        patch.setattr(search_plan.Plan, "_prepared", asked)
        yield written, shapes


def test_searches_of_one_shape_and_of_others_find_what_the_plain_query_finds(town: Area) -> None:
    search_shapes._PREPARED.clear()
    seen: set[Any] = set()
    reused = 0
    for shape in SHAPES:
        for params in shape:
            data = _data(town, params)
            plain = list(Search.from_data(town, data).ordered().values_list("pk", flat=True))
            with activity_sql_written() as (written, shapes):
                plan = Plan(Search.from_data(town, data))
                assert plan.total == min(len(plain), COUNT_LIMIT + 1), params
                for start in (0, 20):
                    assert plan.page_ids(start, start + 20) == plain[start : start + 20], params
            assert shapes, params
            if seen.issuperset(map(repr, shapes)):
                # Every query of this search was prepared for another one, with other values.
                assert written == [], params
                reused += 1
            seen.update(map(repr, shapes))
            # And the results page reads the same rows.
            found = public_search(town, data, ("id", "name"))
            assert found.count() == min(len(plain), COUNT_LIMIT + 1), params
            assert [row["id"] for row in found[0:20]] == plain[:20], params
    assert reused >= 6
    assert None not in search_shapes._PREPARED.values()
