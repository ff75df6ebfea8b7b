import datetime as time_dt
import time
from collections.abc import Iterator
from typing import Any

import pytest

from sasaeai.councils.demo import build_councils
from sasaeai.directory.demo import build_activities
from sasaeai.needs.demo import build_needs
from sasaeai.needs.models import Need, NeedEvent, Status
from sasaeai.test import built_once, load_towns

pytestmark = pytest.mark.django_db
SEED = 20261126
TODAY = time_dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def itabashi(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    """Itabashi with the demo's activities and councils, which the needs are built on: built
    once for the module (a minute of work), each test in a savepoint of it."""

    def build() -> Any:
        ward = load_towns()
        build_activities(ward, SEED, TODAY)
        build_councils(ward, SEED, TODAY)
        return ward

    yield from built_once(django_db_blocker, build)


def snapshot() -> list[tuple[Any, ...]]:
    return list(
        Need.objects.order_by("number_year", "number_seq").values_list(
            "receipt", "area__code", "kind__code", "status", "reported_on", "meeting__date",
            "activity__name", "reporter_name",
        )
    )  # fmt: skip


def test_a_few_hundred_needs_across_regions_and_statuses(itabashi: Any) -> None:
    started = time.monotonic()
    made = build_needs(itabashi, SEED, TODAY)
    assert time.monotonic() - started < 10
    assert 200 <= made <= 400 and build_needs(itabashi, SEED, TODAY) == 0
    needs = Need.objects.of(itabashi)
    assert needs.values("area").distinct().count() == 18
    assert set(needs.values_list("status", flat=True)) == set(Status)
    assert needs.filter(seen_at__isnull=True).exists()  # some 新着 for the demo SC
    assert not needs.filter(reporter_consent=False).exclude(reporter_name="").exists()
    for need in needs.filter(status=Status.MET_BY_ACTIVITY)[:20]:
        assert need.activity is not None and need.activity.area_id == need.area_id
        assert set(need.activity.kinds.all()) & set(need.kind.activity_kinds.all())
    for need in needs.prefetch_related("events")[:100]:
        events = list(need.events.all())
        assert events[0].action == "created" and events[-1].status == need.status
        assert [e.on for e in events] == sorted(e.on for e in events)
        assert all(need.reported_on <= e.on <= TODAY for e in events)
    assert NeedEvent.objects.filter(action="reopened").exists()


def test_same_seed_same_needs(itabashi: Any) -> None:
    from django.db import transaction

    class Rollback(Exception):
        pass

    runs = []
    for _ in range(2):
        try:
            with transaction.atomic():
                build_needs(itabashi, SEED, TODAY)
                runs.append(snapshot())
                raise Rollback
        except Rollback:
            pass
    assert runs[0] == runs[1] and len(runs[0]) > 200


def test_helpers_peer_calls_and_introductions(itabashi: Any) -> None:
    from sasaeai.needs.models import EventAction, Helper, Introduction, PeerCall

    started = time.monotonic()
    build_needs(itabashi, SEED, TODAY)
    assert time.monotonic() - started < 10
    helpers = Helper.objects.of(itabashi)
    assert 18 * 8 <= helpers.count() <= 18 * 16
    assert not helpers.exclude(removed_at=None).exclude(name="").exists()
    assert PeerCall.objects.shown_publicly(itabashi).exists()
    intros = Introduction.objects.filter(area__municipality=itabashi)
    assert intros.filter(activity__isnull=False).exists()
    assert intros.filter(helper__isnull=False).exists()
    assert intros.count() == NeedEvent.objects.filter(action=EventAction.INTRODUCED).count()
    first = list(helpers.order_by("number_seq").values_list("receipt", "name")[:5])
    for model in (Introduction, PeerCall, Helper):
        model.objects.all().delete()
    NeedEvent.objects.filter(action=EventAction.INTRODUCED).delete()
    from sasaeai.needs.helper_demo import build_helpers

    build_helpers(itabashi, SEED, TODAY)
    assert list(helpers.order_by("number_seq").values_list("receipt", "name")[:5]) == first
