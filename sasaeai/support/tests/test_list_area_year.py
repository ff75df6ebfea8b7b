"""The request list narrowed by area and 年度 (asked in it, or unfinished at its end), and what
it says to input it cannot use. That each figure's link lists what it counts is
test_figures.py's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sasaeai.lib.fiscal import fiscal_year_of
from sasaeai.support.models import Status, SupportRequest
from sasaeai.test import area, load_other_town

from .builders import council_of, make_request

pytestmark = pytest.mark.django_db
BASE = "/staff/support/"


@pytest.fixture
def requests_(users: dict) -> int:
    """This 年度: one of 高島平 (waiting), one of 成増 (waiting). Last 年度: one of 高島平,
    finished this 年度."""
    year = fiscal_year_of(timezone.localdate())
    make_request(council_of("takashimadaira"), title="高島平の今年度")
    make_request(council_of("narimasu"), title="成増の今年度")
    old = make_request(council_of("takashimadaira"), title="高島平の昨年度")
    tz = timezone.get_current_timezone()
    SupportRequest.objects.filter(pk=old.pk).update(
        opened_at=dt.datetime(year - 1, 6, 1, 10, tzinfo=tz), status=Status.DONE,
        accepted_at=dt.datetime(year - 1, 6, 2, 10, tzinfo=tz),
        closed_at=dt.datetime(year, 4, 2, 10, tzinfo=tz),
    )  # fmt: skip
    return year


def titles(client: Client, **query: Any) -> list[str]:
    response = client.get(BASE, query)
    assert response.status_code == 200
    return sorted(r.title for r in response.context["page"])


def test_area_and_year_narrow_the_list(client: Client, users: dict, requests_: int) -> None:
    year = requests_
    client.force_login(users["ward"])
    mine = area("takashimadaira").pk
    assert titles(client, area=mine, status="") == ["高島平の今年度", "高島平の昨年度"]
    assert titles(client, area=area("blk-akatsuka").pk, status="", year=year) == [
        "成増の今年度", "高島平の今年度",
    ]  # fmt: skip
    assert titles(client, status="", year=year - 1) == ["高島平の昨年度"]
    assert titles(client, status="", year=year - 1, in_year="asked") == ["高島平の昨年度"]
    assert titles(client, status="", year=year - 1, in_year="open") == ["高島平の昨年度"]
    assert titles(client, status="", year=year, in_year="open") == [
        "成増の今年度",
        "高島平の今年度",
    ]
    assert titles(client) == ["成増の今年度", "高島平の今年度"]  # unfinished ones, as before


def test_the_form_offers_area_and_year_in_plain_japanese(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    page = client.get(BASE).content.decode()
    for words in ("地域", "年度", "年度で見る依頼", "年度中に受けた依頼",
                  "年度末（今年度は今日）に終わっていなかった依頼"):  # fmt: skip
        assert words in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "abc"}, "年度は一覧から選んでください。"),
        ({"year": "1999"}, "年度は一覧から選んでください。"),
        ({"year": "2999"}, "年度は一覧から選んでください。"),
        ({"in_year": "soon"}, "年度で見る依頼は一覧から選んでください。"),
        ({"area": "abc"}, "地域は一覧から選んでください。"),
        ({"area": "999999"}, "地域は一覧から選んでください。"),
    ],
)
def test_input_it_cannot_use_is_named_in_japanese(
    client: Client, users: dict, requests_: int, query: dict, message: str
) -> None:
    client.force_login(users["ward"])
    response = client.get(BASE, {"status": "", **query})
    assert response.status_code == 200
    page = response.content.decode()
    assert "入力内容を確認してください。" in page and message in page
    assert len(response.context["page"]) == 2  # the list's default: the unfinished ones


def test_an_area_beyond_ones_reach_is_refused(client: Client, users: dict, requests_: int) -> None:
    foreign = load_other_town()
    client.force_login(users["sc"])
    for place in (area("narimasu"), foreign):
        page = client.get(BASE, {"area": place.pk}).content.decode()
        assert "地域は一覧から選んでください。" in page and "成増の今年度" not in page
