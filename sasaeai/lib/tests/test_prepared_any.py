"""PreparedAny (prepared.py) answers what its querysets answer, for values of any kind wherever
they stand in the SQL: text inside LIKE patterns and word-index queries, dates and times,
the same value twice; and it refuses a query whose SQL hangs on its values."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, Q, Window
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sasaeai.directory.models import Activity, Place
from sasaeai.directory.tests.builders import make_activity
from sasaeai.lib.prepared import PreparedAny, keep_prefetched

pytestmark = pytest.mark.django_db

NAMES = ["割引50%の体操", "割引500円の体操", "a_b の会", "axb の会", "C:\\d の会", 'C:"d の会',
         "It's お茶会", "Its お茶会"]  # fmt: skip


def _names(found: Any) -> list[str]:
    return sorted(activity.name for activity in found)


def test_text_inside_like_patterns_is_escaped_as_the_orm_escapes_it(itabashi: Any) -> None:
    for name in NAMES:
        make_activity(name)
    contains = PreparedAny(lambda word: Activity.objects.filter(name__contains=word), (str,))
    starts = PreparedAny(lambda word: Activity.objects.filter(name__istartswith=word), (str,))
    for word in ["50%", "a_b", "C:\\d", 'C:"d', "It's", "%", "_", "\\", "の会", "体操", "ない"]:
        assert _names(contains(word)) == _names(Activity.objects.filter(name__contains=word))
        assert _names(starts(word)) == _names(Activity.objects.filter(name__istartswith=word))
    assert _names(contains("50%")) == ["割引50%の体操"]
    assert _names(contains("a_b")) == ["a_b の会"]


def test_the_same_value_twice_and_numbers_within_text(itabashi: Any) -> None:
    made = [make_activity(name) for name in NAMES[:4]]
    either = PreparedAny(
        lambda pk, word: Activity.objects.filter(Q(pk=pk) | Q(pk__gt=pk, name__contains=word)),
        (int, str),
    )
    for activity in made:
        for word in ("の会", "体操"):
            plain = Activity.objects.filter(
                Q(pk=activity.pk) | Q(pk__gt=activity.pk, name__contains=word)
            )
            assert _names(either(activity.pk, word)) == _names(plain)


def test_dates_and_times_and_a_count(itabashi: Any) -> None:
    old = make_activity("古い活動", last_confirmed=dt.date(2025, 4, 1))
    new = make_activity("新しい活動", last_confirmed=dt.date(2026, 4, 1))
    since = PreparedAny(
        lambda day, at: Activity.objects.filter(last_confirmed__gte=day, created_at__lte=at),
        (dt.date, dt.datetime),
    )
    now = timezone.now()
    assert since(dt.date(2026, 1, 1), now) == [new]
    assert _names(since(dt.date(2025, 1, 1), now)) == _names([old, new])
    assert since(dt.date(2025, 1, 1), now - dt.timedelta(days=1)) == []
    assert since.count(dt.date(2025, 1, 1), now) == 2


def test_model_rows_with_annotations_related_rows_and_flat_lists(itabashi: Any) -> None:
    made = [make_activity(f"体操{n}") for n in range(3)]
    windowed = PreparedAny(
        lambda word: (
            Activity.objects.filter(name__startswith=word)
            .select_related("area")
            .annotate(in_all=Window(Count("pk")))
            .order_by("pk")[:2]
        ),
        (str,),
    )
    found = windowed("体操")
    assert found == made[:2]
    assert [a.in_all for a in found] == [3, 3]
    with CaptureQueriesContext(connection) as queries:
        assert found[0].area.name == made[0].area.name
    assert len(queries) == 0
    flat = PreparedAny(
        lambda word: Activity.objects.filter(name__contains=word).values_list("pk", flat=True),
        (str,),
    )
    assert sorted(flat("体操")) == [a.pk for a in made]


def test_a_query_whose_sql_hangs_on_its_values_is_refused(itabashi: Any) -> None:
    worked_out = PreparedAny(lambda pk: Activity.objects.filter(pk=pk + 1), (int,))
    with pytest.raises(ValueError, match="must not depend"):
        worked_out(1)
    changed = PreparedAny(lambda word: Activity.objects.filter(name=word.upper()), (str,))
    with pytest.raises(ValueError, match="some other way"):
        changed("a")


def test_kept_related_rows_are_read_without_a_query(itabashi: Any) -> None:
    activity = make_activity("体操", place=(35.7, 139.6))
    places = list(Place.objects.filter(activity=activity))
    keep_prefetched(activity, "places", places)
    with CaptureQueriesContext(connection) as queries:
        assert list(activity.places.all()) == places
        assert places[0].activity is activity
    assert len(queries) == 0
