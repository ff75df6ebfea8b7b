"""The tally: +1 per tap, undo never below 0, a tap sent twice (same token) counts once, a
closed chart refuses with a Japanese message; htmx gets the grid, without it POST + redirect."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from sasaeai.accounts.models import User
from sasaeai.test import at_once

from .. import chart_services
from ..models import ChartTap
from .chart_builders import count_of, make_chart, tap_data

pytestmark = pytest.mark.django_db


def _url(chart: object) -> str:
    return f"/staff/knowhow/charts/{chart.pk}/tally/"  # type: ignore[attr-defined]


def test_a_tap_adds_one_and_the_page_says_so(client: Client, users: dict[str, User]) -> None:
    chart = make_chart()
    client.force_login(users["sc"])
    response = client.post(_url(chart), tap_data(), follow=True)
    assert response.redirect_chain == [(_url(chart), 302)]
    assert "居場所・欲しい: いま 1 人" in response.content.decode()
    assert count_of(chart) == 1


def test_the_same_token_twice_counts_once(client: Client, users: dict[str, User]) -> None:
    chart = make_chart()
    client.force_login(users["sc"])
    data = tap_data()
    for _twice in range(2):
        response = client.post(_url(chart), data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert "居場所・欲しい: いま 1 人" in response.content.decode()
    client.post(_url(chart), tap_data())  # a new token is a new hand
    assert count_of(chart) == 2
    assert ChartTap.objects.filter(chart=chart).count() == 2


def test_the_grid_fragment_carries_new_tokens(client: Client, users: dict[str, User]) -> None:
    chart = make_chart()
    client.force_login(users["sc"])
    data = tap_data()
    page = client.post(_url(chart), data, HTTP_HX_REQUEST="true").content.decode()
    assert page.startswith('<div id="tally-grid"') and "<html" not in page
    assert page.count('name="token"') == 24 and data["token"] not in page


def test_undo_never_goes_below_zero(client: Client, users: dict[str, User]) -> None:
    chart = make_chart(counts={("gathering", "want"): 1})
    client.force_login(users["sc"])
    client.post(_url(chart), tap_data(action="undo"))
    assert count_of(chart) == 0
    response = client.post(_url(chart), tap_data(action="undo"), follow=True)
    assert "居場所・欲しい は 0 です。これより減らせません。" in response.content.decode()
    assert count_of(chart) == 0


def test_a_closed_chart_refuses_taps(client: Client, users: dict[str, User]) -> None:
    chart = make_chart(counts={("gathering", "want"): 3}, closed=True)
    client.force_login(users["sc"])
    response = client.post(_url(chart), tap_data(), follow=True)
    assert "このチャートは締め切りました。数はもう変えられません。" in response.content.decode()
    fragment = client.post(_url(chart), tap_data(action="undo"), HTTP_HX_REQUEST="true")
    assert "締め切りました" in fragment.content.decode()
    assert 'name="token"' not in fragment.content.decode()
    assert count_of(chart) == 3 and not ChartTap.objects.exists()


def test_garbage_changes_nothing(client: Client, users: dict[str, User]) -> None:
    chart = make_chart()
    client.force_login(users["sc"])
    for bad in ({"row": "x"}, {"token": "not-a-uuid"}, {"action": "double"}, {"answer": ""}):
        response = client.post(_url(chart), {**tap_data(), **bad}, follow=True)
        assert "うまく届きませんでした。もう一度押してください。" in response.content.decode()
    assert count_of(chart) == 0 and not ChartTap.objects.exists()


def test_closing_makes_it_read_only(client: Client, users: dict[str, User]) -> None:
    chart = make_chart()
    client.force_login(users["sc"])
    response = client.post(f"/staff/knowhow/charts/{chart.pk}/close/", follow=True)
    page = response.content.decode()
    assert "締め切りました。結果は地域の記録として残ります。" in page
    assert "手の数を数える" not in page and "締め切る</button>" not in page
    tally = client.get(_url(chart)).content.decode()
    assert "このチャートは締め切りました。" in tally and 'name="token"' not in tally


@pytest.mark.django_db(transaction=True)
def test_the_same_tap_at_the_same_moment_counts_once(itabashi: object) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        print("runs on PostgreSQL only: SQLite's test database is not shared between threads")
        return
    chart = make_chart()
    token = uuid.uuid4()
    results = at_once(4, lambda: chart_services.tap(chart, "gathering", "want", token, "add"))
    assert sorted(r.counted for r in results) == [False, False, False, True]
    assert count_of(chart) == 1
    # Different hands at the same moment all count.
    at_once(4, lambda: chart_services.tap(chart, "paid", "join", uuid.uuid4(), "add"))
    assert count_of(chart, "paid", "join") == 4
