"""The staff list of activities narrowed by kind, 通いの場 and 年度, and what it says to input
it cannot use (list_filters.py). That each figure's link lists what it counts is
test_figures.py's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from sasaeai.directory.models import Activity, Kind, Status
from sasaeai.lib.fiscal import fiscal_year_of
from sasaeai.test import load_other_town

from .builders import make_activity

pytestmark = pytest.mark.django_db
BASE = "/staff/activities/"
MONTHLY = {"frequency": "monthly_nth", "nth": 2, "weekdays": "2"}


def names(client: Client, **query: str) -> list[str]:
    response = client.get(BASE, query)
    assert response.status_code == 200
    return sorted(a.name for a in response.context["page"])


def test_the_form_offers_the_new_filters_in_plain_japanese(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    page = client.get(BASE).content.decode()
    for words in ("活動の種類", "通いの場だけ", "場所があり、月1回以上の日程がある活動です。",
                  "年度で見る活動", "年度末（今年度は今日）にあった活動", "年度中に登録した活動",
                  "年度中に終了した活動", "指定しない"):  # fmt: skip
        assert words in page
    this_year = fiscal_year_of(timezone.localdate())
    assert f'<option value="{this_year}">{this_year}年度（令和' in page
    assert f'<option value="{this_year + 1}"' not in page  # a year not begun


def test_kind_narrows_to_the_activities_of_that_kind(client: Client, users: dict) -> None:
    make_activity("サロン", kinds=("salon",))
    make_activity("買い物", kinds=("shopping", "tea"))
    shopping = Kind.objects.get(municipality__code="131199", code="shopping")
    client.force_login(users["sc"])
    assert names(client, kind=str(shopping.pk)) == ["買い物"]


def test_kayoi_keeps_the_activities_that_meet_monthly_at_a_place(
    client: Client, users: dict
) -> None:
    make_activity("毎週")
    make_activity("毎月", schedules=[MONTHLY])
    make_activity("隔月", schedules=[{**MONTHLY, "note": "隔月"}])
    make_activity("年４回", schedules=[{**MONTHLY, "note": "年４回"}])  # full-width: NFKC
    make_activity("不定期", schedules=[{"frequency": "irregular"}])
    make_activity("場所なし", place=None)
    client.force_login(users["sc"])
    assert names(client, kayoi="1") == ["毎月", "毎週"]
    assert names(client, kayoi="1", q="毎月") == ["毎月"]
    assert len(names(client, kayoi="0")) == 6


def test_a_year_reads_known_new_or_ended(client: Client, users: dict) -> None:
    year = fiscal_year_of(timezone.localdate())
    make_activity("続いている")
    make_activity("終わった", status=Status.ENDED)
    last_year = make_activity("昨年度から")
    start = dt.datetime(year, 4, 1, tzinfo=timezone.get_current_timezone())
    Activity.objects.filter(pk=last_year.pk).update(created_at=start - dt.timedelta(hours=1))
    client.force_login(users["sc"])
    assert names(client, year=str(year)) == ["昨年度から", "続いている"]
    assert names(client, year=str(year), in_year="known") == ["昨年度から", "続いている"]
    assert names(client, year=str(year), in_year="new") == ["終わった", "続いている"]
    assert names(client, year=str(year), in_year="ended") == ["終わった"]
    assert names(client, year=str(year - 1), in_year="new") == ["昨年度から"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"kind": "999999"}, "活動の種類は一覧から選んでください。"),
        ({"kind": "salon"}, "活動の種類は一覧から選んでください。"),
        ({"year": "abc"}, "年度は一覧から選んでください。"),
        ({"year": "1999"}, "年度は一覧から選んでください。"),
        ({"year": "2999"}, "年度は一覧から選んでください。"),
        ({"year": "２０２５"}, "年度は一覧から選んでください。"),
        ({"in_year": "soon"}, "年度で見る活動は一覧から選んでください。"),
        ({"in_year": "new"}, "年度を選んでください。"),
        ({"in_year": "ended", "year": ""}, "年度を選んでください。"),
    ],
)
def test_input_it_cannot_use_is_named_in_japanese(
    client: Client, users: dict, query: dict[str, str], message: str
) -> None:
    make_activity("サロン")
    client.force_login(users["sc"])
    response = client.get(BASE, query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "入力内容を確認してください。" in page and message in page
    assert [a.name for a in response.context["page"]] == ["サロン"]  # nothing narrowed


def test_a_kind_of_another_municipality_is_not_offered(client: Client, users: dict) -> None:
    other = load_other_town()
    foreign = Kind.objects.filter(municipality=other).first()
    assert foreign is not None
    client.force_login(users["sc"])
    page = client.get(BASE, {"kind": str(foreign.pk)}).content.decode()
    assert "活動の種類は一覧から選んでください。" in page


def test_words_are_read_as_the_public_search_reads_them(client: Client, users: dict) -> None:
    """Their reading and the municipality's synonyms (data/synonyms/131199.csv) too; another
    municipality's staff search with their own list (none: みどり町 has no file)."""
    load_other_town()
    make_activity("健康麻雀の会")
    make_activity("朝のお散歩仲間")
    make_activity("囲碁の会")
    make_activity("川べりの散歩", area_code="minami-jhs")
    client.force_login(users["sc"])
    assert names(client, q="マージャン") == ["健康麻雀の会"]
    assert names(client, q="ウォーキング") == ["朝のお散歩仲間"]  # a synonym of 散歩
    assert names(client, q="さんぽ") == ["朝のお散歩仲間"]  # the reading of 散歩
    client.force_login(users["other_admin"])
    assert names(client, q="散歩") == ["川べりの散歩"]
    assert names(client, q="ウォーキング") == []
