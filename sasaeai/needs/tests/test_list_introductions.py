"""The staff list of introductions (紹介): who sees which, an area, a 年度 and an outcome that
narrow it, and what it says to input it cannot use. That the figures' links list what they
count is test_figures.py's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sasaeai.directory.tests.builders import make_activity
from sasaeai.lib.fiscal import fiscal_year_of
from sasaeai.needs.models import Introduction, Outcome
from sasaeai.test import area, load_other_town

from .builders import make_helper, make_need

pytestmark = pytest.mark.django_db
BASE = "/staff/needs/introductions/"


@pytest.fixture
def introductions(users: dict) -> int:
    """This 年度: 高島平's need introduced to a helper (connected), 高島平's helper introduced to
    an activity, 蓮根's need introduced to an activity. Last 年度: 高島平's need (declined)."""
    today = timezone.localdate()
    year = fiscal_year_of(today)
    takashimadaira, hasune = area("takashimadaira"), area("hasune")
    helper = make_helper(name="板橋 花子")
    salon = make_activity("いきいきサロン")
    Introduction.objects.create(area=takashimadaira, need=make_need(), helper=helper, on=today,
                                outcome=Outcome.CONNECTED)  # fmt: skip
    Introduction.objects.create(area=takashimadaira, helper=helper, activity=salon, on=today)
    Introduction.objects.create(area=hasune, need=make_need("hasune"), activity=salon, on=today)
    Introduction.objects.create(area=takashimadaira, need=make_need(), on=dt.date(year - 1, 6, 1),
                                outcome=Outcome.DECLINED)  # fmt: skip
    return year


def shown(client: Client, **query: Any) -> list[tuple[str, str]]:
    response = client.get(BASE, query)
    assert response.status_code == 200
    return sorted((i.area.name, i.outcome) for i in response.context["page"])


def test_each_reader_sees_the_introductions_of_their_areas(
    client: Client, users: dict, introductions: int
) -> None:
    client.force_login(users["sc"])
    assert shown(client) == [("高島平", "connected"), ("高島平", "declined"), ("高島平", "pending")]
    client.force_login(users["member"])  # a council member reads them
    assert len(shown(client)) == 3
    client.force_login(users["ward"])
    assert len(shown(client)) == 4


def test_a_helper_is_named_by_number_only(client: Client, users: dict, introductions: int) -> None:
    client.force_login(users["member"])
    page = client.get(BASE).content.decode()
    assert "H-" in page and "いきいきサロン" in page
    assert "板橋 花子" not in page and "03-1234-5678" not in page


def test_an_area_a_year_and_an_outcome_narrow_the_list(
    client: Client, users: dict, introductions: int
) -> None:
    year = introductions
    client.force_login(users["ward"])
    assert shown(client, area=area("hasune").pk) == [("蓮根", "pending")]
    assert len(shown(client, year=year)) == 3
    assert shown(client, year=year - 1) == [("高島平", "declined")]
    assert shown(client, area=area("blk-akatsuka").pk, year=year, outcome="connected") == [
        ("高島平", "connected")
    ]
    page = client.get(BASE, {"year": year - 1}).content.decode()
    assert f"{year - 1}年度" in page and "紹介した年度" in page and "結果" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "abc"}, "年度は一覧から選んでください。"),
        ({"year": "1999"}, "年度は一覧から選んでください。"),
        ({"year": "2999"}, "年度は一覧から選んでください。"),
        ({"outcome": "later"}, "結果は一覧から選んでください。"),
        ({"area": "abc"}, "地域は一覧から選んでください。"),
        ({"area": "999999"}, "地域は一覧から選んでください。"),
    ],
)
def test_input_it_cannot_use_is_named_in_japanese_and_narrows_nothing(
    client: Client, users: dict, introductions: int, query: dict, message: str
) -> None:
    client.force_login(users["sc"])
    response = client.get(BASE, {**query, "outcome": query.get("outcome", "connected")})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert len(response.context["page"]) == 3


def test_an_area_of_another_place_is_refused_in_words(
    client: Client, users: dict, introductions: int
) -> None:
    foreign = load_other_town()
    client.force_login(users["sc"])
    for code in ("hasune", foreign.code):
        page = client.get(BASE, {"area": area(code).pk}).content.decode()
        assert "地域は一覧から選んでください。" in page and "蓮根" not in page


def test_outsiders_see_none_and_visitors_are_sent_to_sign_in(
    client: Client, users: dict, introductions: int
) -> None:
    assert client.get(BASE).status_code == 302
    client.force_login(users["other_admin"])
    assert shown(client) == []
