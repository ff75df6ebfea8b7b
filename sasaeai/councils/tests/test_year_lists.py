"""The lists of a 年度 across councils (year_views.py): who sees what, the year they show,
and what they say to input they cannot use. That each figure's link lists what it counts is
test_figures.py's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sasaeai.councils.models import ActionStatus, Decision, MinutesStatus, Sector
from sasaeai.councils.services import record_attendance
from sasaeai.lib.fiscal import fiscal_year_of
from sasaeai.test import area, load_other_town

from .builders import make_action, make_council, make_meeting, make_member, make_minutes

pytestmark = pytest.mark.django_db
LISTS = ["/staff/councils/meetings/", "/staff/councils/decisions/", "/staff/councils/actions/"]


@pytest.fixture
def meetings(users: dict) -> dict[str, Any]:
    """A meeting of 高島平 and one of 蓮根 this 年度 (with a decision and an action each), and
    one of 高島平 last 年度."""
    today = timezone.localdate()
    last_year = dt.date(fiscal_year_of(today) - 1, 6, 1)
    found: dict[str, Any] = {}
    for code, name, day in [("takashimadaira", "高島平", today), ("hasune", "蓮根", today),
                            ("takashimadaira", "昨年度", last_year)]:  # fmt: skip
        council = make_council(code) if name != "昨年度" else found["高島平"].council
        meeting = make_meeting(council, date=day)
        minutes = make_minutes(meeting, status=MinutesStatus.APPROVED)
        Decision.objects.create(minutes=minutes, text=f"{name}で決めたこと")
        make_action(meeting, what=f"{name}のやること")
        found[name] = meeting
    return found


def test_each_list_shows_this_year_and_what_its_reader_may_see(
    client: Client, users: dict, meetings: dict
) -> None:
    client.force_login(users["sc"])
    for url in LISTS:
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert "絞り込む" in page and "年度" in page
        assert len(response.context["page"]) == 1, url  # 高島平's this year; not 蓮根's
        assert "蓮根" not in page and "昨年度" not in page
    client.force_login(users["ward"])
    assert all(len(client.get(url).context["page"]) == 2 for url in LISTS)


def test_an_area_and_a_year_narrow_the_lists(client: Client, users: dict, meetings: dict) -> None:
    client.force_login(users["ward"])
    last_year = str(fiscal_year_of(timezone.localdate()) - 1)
    query = {"area": str(area("takashimadaira").pk), "year": last_year}
    rows = [list(client.get(url, query).context["page"]) for url in LISTS]
    assert rows[0] == [meetings["昨年度"]]
    assert [d.text for d in rows[1]] == ["昨年度で決めたこと"]
    assert [a.what for a in rows[2]] == ["昨年度のやること"]
    by_area = client.get(LISTS[0], {"area": area("hasune").pk}).context["page"]
    assert list(by_area) == [meetings["蓮根"]]


def test_the_actions_list_reads_the_year_three_ways(
    client: Client, users: dict, meetings: dict
) -> None:
    today = timezone.localdate()
    make_action(meetings["昨年度"], what="今年度に完了", status=ActionStatus.DONE, closed_on=today)
    client.force_login(users["sc"])
    this_year, last_year = fiscal_year_of(today), fiscal_year_of(today) - 1

    def shown(year: int, which: str) -> list[str]:
        query = {"year": str(year), "which": which}
        return sorted(a.what for a in client.get(LISTS[2], query).context["page"])

    assert shown(last_year, "decided") == ["今年度に完了", "昨年度のやること"]
    assert shown(last_year, "open") == ["今年度に完了", "昨年度のやること"]  # done after 31 March
    assert shown(this_year, "done") == ["今年度に完了"]
    assert shown(this_year, "open") == ["昨年度のやること", "高島平のやること"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "abc"}, "年度は一覧から選んでください。"),
        ({"year": "1999"}, "年度は一覧から選んでください。"),
        ({"year": "2999"}, "年度は一覧から選んでください。"),
        ({"year": ""}, "年度を選んでください。"),
        ({"area": "abc"}, "地域は一覧から選んでください。"),
        ({"area": "999999"}, "地域は一覧から選んでください。"),
        ({"which": "later"}, "どのやることかは一覧から選んでください。"),
        ({"sector": "martians"}, "参加者の分野は一覧から選んでください。"),
    ],
)
def test_input_it_cannot_use_is_named_in_japanese_and_this_year_shown(
    client: Client, users: dict, meetings: dict, query: dict, message: str
) -> None:
    client.force_login(users["sc"])
    response = client.get(LISTS[2] if "sector" not in query else LISTS[0], query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "入力内容を確認してください。" in page and message in page
    assert [str(row) for row in response.context["page"]] == [
        str(meetings["高島平"] if "sector" in query else "高島平のやること")
    ]


def test_the_meetings_list_shows_who_came_in_all_or_of_one_sector(
    client: Client, users: dict, meetings: dict
) -> None:
    council = meetings["高島平"].council
    salon = make_member(council, "サロンの人", sector=Sector.SALON)
    record_attendance(meetings["高島平"], [salon, make_member(council)], {Sector.SALON: 2})
    client.force_login(users["sc"])
    page = client.get(LISTS[0]).content.decode()
    assert "参加者の合計（のべ人数）: 4 人" in page and "参加者の分野" in page
    response = client.get(LISTS[0], {"sector": "salon"})
    page = response.content.decode()
    assert "サロンの参加者の合計（のべ人数）: 3 人" in page and "参加者（サロン）" in page
    assert [people for _meeting, people in response.context["shown"]] == [3]
    client.force_login(users["ward"])
    response = client.get(LISTS[0], {"sector": "npo"})  # 蓮根's: no attendance recorded
    assert sorted(map(str, (people for _m, people in response.context["shown"]))) == ["0", "None"]
    assert "記録なし" in response.content.decode()


def test_an_area_of_another_place_is_refused_in_words(
    client: Client, users: dict, meetings: dict
) -> None:
    foreign = load_other_town()
    client.force_login(users["sc"])
    for code in ("hasune", foreign.code):
        page = client.get(LISTS[0], {"area": area(code).pk}).content.decode()
        assert "地域は一覧から選んでください。" in page and "蓮根" not in page


def test_outsiders_see_no_meeting_and_visitors_are_sent_to_sign_in(
    client: Client, users: dict, meetings: dict
) -> None:
    for url in LISTS:
        assert client.get(url).status_code == 302
    client.force_login(users["other_admin"])
    for url in LISTS:
        response = client.get(url)
        assert response.status_code == 200 and len(response.context["page"]) == 0
