from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client, RequestFactory

from sasaeai.lib.models import HourlyCount
from sasaeai.lib.ratelimit import HourlyLimit
from sasaeai.test import at_once


@pytest.mark.django_db
def test_each_form_and_address_has_its_own_count() -> None:
    limit = HourlyLimit("test-form", per_hour=2)
    one = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
    other = RequestFactory().post("/", REMOTE_ADDR="192.0.2.2")
    assert not limit.reached(one)
    assert limit.take(one) and limit.take(one)
    assert limit.reached(one)
    assert not limit.take(one)
    assert not limit.reached(other) and limit.take(other)
    assert not HourlyLimit("another-form", per_hour=2).reached(one)


@pytest.mark.django_db
def test_the_count_starts_again_after_the_hour() -> None:
    limit = HourlyLimit("test-form", per_hour=1)
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
    assert limit.take(request) and not limit.take(request)
    HourlyCount.objects.update(until="2000-01-01T00:00:00Z")  # as if the hour had passed
    assert not limit.reached(request)
    assert limit.take(request)
    assert HourlyCount.objects.get().count == 1


THREADS = 12


needs_shared_database = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads need a shared database: PostgreSQL"
)


@needs_shared_database
@pytest.mark.django_db(transaction=True)
def test_sendings_at_the_same_moment_get_no_more_than_the_limit() -> None:
    limit = HourlyLimit("test-form", per_hour=5)
    results = at_once(
        THREADS, lambda: limit.take(RequestFactory().post("/", REMOTE_ADDR="192.0.2.9"))
    )
    assert sorted(results) == [False] * 7 + [True] * 5


@needs_shared_database
@pytest.mark.django_db(transaction=True)
def test_twelve_need_forms_at_once_store_five(itabashi: Any) -> None:
    from sasaeai.needs.models import Need

    form = {"area": "takashimadaira", "kind": "shopping", "what": "重い物を運べず困っています。"}
    statuses = at_once(THREADS, lambda: Client().post("/needs/new/", form).status_code)
    assert sorted(statuses) == [302] * 5 + [429] * 7
    assert Need.objects.count() == 5
