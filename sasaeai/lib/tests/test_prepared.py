"""Prepared queries (prepared.py) answer what their querysets answer, with each call's values."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sasaeai.areas.models import Area
from sasaeai.directory.models import Activity, Place, Schedule
from sasaeai.directory.tests.builders import make_activity
from sasaeai.lib.prepared import Prepared, PreparedIn
from sasaeai.test import area

pytestmark = pytest.mark.django_db


def _activity(municipality: int, pk: int) -> Any:
    return (
        Activity.objects.filter(municipality_id=municipality, pk=pk)
        .select_related("area", "organization")
        .order_by()
    )


def test_models_with_their_related_objects_for_each_call(itabashi: Any) -> None:
    first = make_activity("朝の体操", step_free=True, capacity=12)
    second = make_activity("いきいきサロン", "narimasu", last_confirmed=dt.date(2026, 4, 1))
    prepared = Prepared(_activity, arity=2)
    municipality = first.municipality_id
    for expected in (first, second, first):
        [found] = prepared(municipality, expected.pk)
        assert found == expected
        assert found.name == expected.name
        # Converted as the ORM converts (SQLite keeps booleans and dates as numbers and text).
        assert found.step_free is expected.step_free
        assert found.last_confirmed == expected.last_confirmed
        with CaptureQueriesContext(connection) as queries:
            assert found.area.name == expected.area.name  # read with it: no query
        assert len(queries) == 0
    other_town = Area.objects.exclude(pk=municipality).filter(kind="municipality").first()
    assert other_town is not None
    assert prepared(other_town.pk, first.pk) == []
    assert prepared(municipality, 2**62) == []


def test_values_of_a_text_column(itabashi: Any) -> None:
    region = area("takashimadaira")
    prepared = Prepared(
        lambda code: Area.objects.filter(code=code).values_list("pk", "name"), arity=1
    )
    assert prepared("takashimadaira") == [(region.pk, region.name)]
    assert prepared("no-such-area") == []


def test_lists_of_keys_of_any_length(itabashi: Any) -> None:
    made = [make_activity(f"活動{n}", place=(35.7 + n / 100, 139.6)) for n in range(4)]
    places = PreparedIn(
        lambda ids: (
            Place.objects.filter(activity_id__in=ids)
            .order_by("id")
            .values_list("activity_id", "latitude")
        )
    )
    for keys in ([made[0].pk], [made[2].pk, made[0].pk], [m.pk for m in made], []):
        expected = list(
            Place.objects.filter(activity_id__in=keys)
            .order_by("id")
            .values_list("activity_id", "latitude")
        )
        assert places(keys) == expected
    assert places([made[1].pk, made[1].pk]) == [(made[1].pk, pytest.approx(35.71))]
    schedules = PreparedIn(lambda ids: Schedule.objects.filter(activity_id__in=ids), longest=2)
    assert schedules([m.pk for m in made]) == list(Schedule.objects.filter(activity__in=made))


def test_a_value_the_sql_does_not_hold_once_is_refused(itabashi: Any) -> None:
    twice = Prepared(
        lambda pk: Activity.objects.filter(pk=pk) | Activity.objects.filter(area_id=pk), arity=1
    )
    with pytest.raises(ValueError, match="one parameter"):
        twice(1)
