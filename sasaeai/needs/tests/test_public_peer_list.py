"""The public 仲間募集 list narrows by region, kind of activity, weekday and who is sought,
with a plain GET form (no JavaScript), and pages; bad input is named and narrows nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sasaeai.core import context_processors
from sasaeai.directory.tests.builders import make_activity
from sasaeai.needs.models import PeerCall
from sasaeai.needs.peer_views import PER_PAGE

pytestmark = pytest.mark.django_db
URL = "/needs/peers/"
MONDAY = [{"frequency": "weekly", "weekdays": "0", "opens_at": dt.time(10),
           "closes_at": dt.time(12)}]  # fmt: skip


@pytest.fixture
def calls(itabashi: Any) -> dict[str, PeerCall]:
    salon = make_activity("高島平サロン")  # Wednesdays
    shopping = make_activity("蓮根お買い物クラブ", "hasune", kinds=("shopping",),
                             schedules=MONDAY)  # fmt: skip
    return {
        "salon": PeerCall.objects.create(
            activity=salon, what="お茶を出す係", looking_for="helpers"
        ),
        "shopping": PeerCall.objects.create(activity=shopping, what="いっしょに買い物する仲間"),
    }


def shown(client: Client, **query: str) -> str:
    response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode()


def test_without_filters_every_open_call_is_listed(client: Client, calls: dict) -> None:
    text = shown(client)
    assert "お茶を出す係" in text and "いっしょに買い物する仲間" in text
    assert "2 件の募集" in text and "条件をやめる" not in text
    assert '<form method="get" action="/needs/peers/"' in text  # works without JavaScript


def test_by_region(client: Client, calls: dict) -> None:
    text = shown(client, area="hasune")
    assert "いっしょに買い物する仲間" in text and "お茶を出す係" not in text
    assert '<option value="hasune" selected>' in text and "条件をやめる" in text


def test_by_kind(client: Client, calls: dict) -> None:
    text = shown(client, kind="salon")
    assert "お茶を出す係" in text and "いっしょに買い物する仲間" not in text


def test_by_weekday(client: Client, calls: dict) -> None:
    monday = shown(client, weekday="0")
    assert "いっしょに買い物する仲間" in monday and "お茶を出す係" not in monday
    assert "お茶を出す係" in shown(client, weekday="2")
    assert "この条件に合う募集はいまありません" in shown(client, weekday="6")


def test_by_who_is_sought(client: Client, calls: dict) -> None:
    text = shown(client, looking_for="helpers")
    assert "お茶を出す係" in text and "いっしょに買い物する仲間" not in text


def test_filters_combine(client: Client, calls: dict) -> None:
    assert "この条件に合う募集はいまありません" in shown(client, area="hasune", kind="salon")


def test_bad_filters_are_named_and_narrow_nothing(client: Client, calls: dict) -> None:
    text = shown(client, area="nowhere", weekday="9", kind="<b>", page="x")
    assert "地域は一覧から選んでください。" in text and "曜日は一覧から選んでください。" in text
    assert "活動の種類は一覧から選んでください。" in text
    assert "お茶を出す係" in text and "いっしょに買い物する仲間" in text
    good_and_bad = shown(client, area="hasune", weekday="9")
    assert "いっしょに買い物する仲間" in good_and_bad and "お茶を出す係" not in good_and_bad


def test_pages_keep_the_filters(client: Client, calls: dict) -> None:
    activity = calls["salon"].activity
    PeerCall.objects.bulk_create(
        PeerCall(activity=activity, area_id=activity.area_id, what=f"係その{n:02d}")
        for n in range(PER_PAGE + 5)
    )
    first = shown(client, area="takashimadaira")
    assert f"{PER_PAGE + 6} 件の募集" in first and "1 / 2 ページ" in first
    assert "?area=takashimadaira&amp;page=2" in first
    second = shown(client, area="takashimadaira", page="2")
    assert "2 / 2 ページ" in second and second.count('<li class="card">') == 6
    assert "2 / 2 ページ" in shown(client, area="takashimadaira", page="99")  # the last
    assert "2 / 2 ページ" in shown(client, area="takashimadaira", page="-1")  # the last too
    assert "1 / 2 ページ" in shown(client, area="takashimadaira", page="2x")


def test_the_queries_do_not_grow_with_the_calls(
    client: Client, calls: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The footer's desk is kept half a second; making sixty calls may take longer than that on
    # a busy machine, and the desk read again is not a query that grows with the calls.
    monkeypatch.setattr(context_processors, "DESK_SECONDS", 60.0)

    def count(**query: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            shown(client, **query)
        return len(queries)

    count()  # the first request reads what every later one finds remembered
    few = count(kind="salon", weekday="2", area="takashimadaira")
    activities = [make_activity(f"サロン{n}") for n in range(3)]
    PeerCall.objects.bulk_create(
        PeerCall(activity=a, area_id=a.area_id, what=f"係{n}")
        for n in range(60) for a in activities
    )  # fmt: skip
    assert count(kind="salon", weekday="2", area="takashimadaira") == few
    assert count() <= few
