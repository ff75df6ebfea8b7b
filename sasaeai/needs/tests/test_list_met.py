"""The staff list of needs over the days they were met (?dated=met), as the figure of needs met
counts them, and what it says to input it cannot use. That the figure's link lists what it
counts is test_figures.py's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from sasaeai.directory.tests.builders import make_activity
from sasaeai.needs import services
from sasaeai.needs.models import Status

from .builders import make_need

pytestmark = pytest.mark.django_db
BASE = "/staff/needs/"
MAY, JUNE, JULY = dt.date(2026, 5, 1), dt.date(2026, 6, 1), dt.date(2026, 7, 1)


@pytest.fixture
def needs(users: dict) -> None:
    """Met in June (an activity), met in June and again in July (a referral, reopened between),
    could not be met in June, raised in June and still open."""
    sc, salon = users["sc"], make_activity("サロン")
    met = make_need(what="6月につないだ", reported_on=MAY)
    services.move(met, Status.MET_BY_ACTIVITY, by=sc, on=JUNE, activity=salon)
    twice = make_need(what="2回つないだ", reported_on=MAY)
    services.move(twice, Status.REFERRED, by=sc, on=JUNE, referred_to="包括")
    services.reopen(twice, by=sc, on=JUNE)
    services.move(twice, Status.NEW_ACTIVITY, by=sc, on=JULY)
    cannot = make_need(what="対応できない", reported_on=MAY)
    services.move(cannot, Status.CANNOT_BE_MET, by=sc, on=JUNE, note="担い手がいない")
    make_need(what="6月に受付", reported_on=JUNE)


def shown(client: Client, **query: Any) -> list[str]:
    response = client.get(BASE, query)
    assert response.status_code == 200
    return sorted(need.what for need in response.context["page"])


def test_the_period_reads_the_day_a_need_was_met(client: Client, users: dict, needs: None) -> None:
    client.force_login(users["sc"])
    june = {"start": "2026-06-01", "end": "2026-06-30"}
    assert shown(client, dated="met", **june) == ["2回つないだ", "6月につないだ"]
    assert shown(client, dated="met", start="2026-07-01") == ["2回つないだ"]  # listed once
    assert shown(client, dated="met") == ["2回つないだ", "6月につないだ"]
    assert shown(client, **june) == ["6月に受付"]  # the day it came in, as before


def test_the_form_says_which_day_the_period_is_about(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    page = client.get(BASE).content.decode()
    assert "期間で見る日" in page and "受け付けた日" in page
    assert "応えた日（活動・新しい活動・専門職につないだ日）" in page


@pytest.mark.parametrize("dated", ["soon", "MET", "１"])
def test_a_day_it_does_not_know_is_named_in_japanese(
    client: Client, users: dict, needs: None, dated: str
) -> None:
    client.force_login(users["sc"])
    response = client.get(BASE, {"dated": dated, "start": "2026-06-01"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "期間で見る日は一覧から選んでください。" in page
    assert len(response.context["page"]) == 4  # nothing narrowed
