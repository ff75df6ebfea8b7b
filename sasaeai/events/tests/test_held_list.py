"""The list of events held in a 年度 (held_views.py): who may open it, what each reader sees,
and what it says to input it cannot use. That the figure's link lists what it counts is
test_figures.py's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from sasaeai.lib.fiscal import fiscal_year_of
from sasaeai.test import area, load_other_town

from .builders import kind, make_event

pytestmark = pytest.mark.django_db
BASE = "/staff/events/held/"


@pytest.fixture
def events(users: dict) -> int:
    """This 年度: a ward-wide training, a 高島平 training, a 蓮根 liaison meeting, one called
    off, a draft and one still to come. Last 年度: a ward-wide training."""
    now = timezone.now()
    year = fiscal_year_of(timezone.localdate())
    ago = now - dt.timedelta(hours=1)
    make_event(title="区の研修", starts_at=ago)
    make_event("takashimadaira", title="高島平の研修", starts_at=ago)
    make_event("hasune", "block-liaison", title="蓮根の連絡会", starts_at=ago)
    make_event(title="中止の研修", starts_at=ago, cancelled_at=now)
    make_event(title="下書きの研修", starts_at=ago, published=False)
    make_event(title="これからの研修", starts_at=now + dt.timedelta(days=400))
    last = dt.datetime(year - 1, 6, 1, 14, tzinfo=timezone.get_current_timezone())
    make_event(title="昨年度の研修", starts_at=last)
    return year


def titles(client: Client, **query: str | int) -> list[str]:
    response = client.get(BASE, query)
    assert response.status_code == 200
    return sorted(e.title for e in response.context["page"])


def test_the_ward_sees_this_years_events_held_by_area_kind_and_year(
    client: Client, users: dict, events: int
) -> None:
    client.force_login(users["ward"])
    assert titles(client) == ["区の研修", "蓮根の連絡会", "高島平の研修"]
    assert titles(client, area=area("takashimadaira").pk) == ["高島平の研修"]
    assert titles(client, kind=kind("block-liaison").pk) == ["蓮根の連絡会"]
    assert titles(client, year=events - 1) == ["昨年度の研修"]
    page = client.get(BASE).content.decode()
    for words in ("開いた研修・連絡会", "地域", "年度", "種類", "絞り込む", "3 回"):
        assert words in page


def test_an_sc_sees_the_events_meant_for_them(client: Client, users: dict, events: int) -> None:
    client.force_login(users["sc"])
    assert titles(client) == ["区の研修", "高島平の研修"]  # not 蓮根's


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "abc"}, "年度は一覧から選んでください。"),
        ({"year": "1999"}, "年度は一覧から選んでください。"),
        ({"year": "2999"}, "年度は一覧から選んでください。"),
        ({"year": ""}, "年度を選んでください。"),
        ({"kind": "abc"}, "種類は一覧から選んでください。"),
        ({"area": "999999"}, "地域は一覧から選んでください。"),
    ],
)
def test_input_it_cannot_use_is_named_in_japanese_and_this_year_shown(
    client: Client, users: dict, events: int, query: dict, message: str
) -> None:
    client.force_login(users["ward"])
    response = client.get(BASE, query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "入力内容を確認してください。" in page and message in page
    assert len(response.context["page"]) == 3


def test_outsiders_see_nothing_and_others_are_refused(
    client: Client, users: dict, events: int
) -> None:
    assert client.get(BASE).status_code == 302  # to sign in
    client.force_login(users["member"])  # a council member takes no part in SC events
    assert client.get(BASE).status_code == 403
    client.force_login(users["other_admin"])
    assert titles(client) == []


def test_a_kind_of_another_municipality_is_not_offered(
    client: Client, users: dict, events: int
) -> None:
    other_kind = kind("training", load_other_town().code)
    client.force_login(users["ward"])
    page = client.get(BASE, {"kind": other_kind.pk}).content.decode()
    assert "種類は一覧から選んでください。" in page
