"""The directory's indicators against activities made by hand, and the 通いの場 rule."""

from __future__ import annotations

import datetime as dt
import re
from itertools import product
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sasaeai.directory.kayoi import activity_is_kayoi, is_kayoi, meets_monthly
from sasaeai.directory.models import Activity, Kind, Status
from sasaeai.lib.indicators import figures
from sasaeai.test import area

from .builders import make_activity

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 6)
YEARS = [2024, 2025, 2026]
KEYS = ["directory.known", "directory.published", "directory.new", "directory.ended",
        "directory.kayoi"]  # fmt: skip
WEEKLY = {"frequency": "weekly", "weekdays": "2"}
MONTHLY = {"frequency": "monthly_nth", "nth": 2, "weekdays": "2"}


def tokyo(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


def dated(activity: Activity, created: dt.datetime, updated: dt.datetime | None = None) -> None:
    Activity.objects.filter(pk=activity.pk).update(
        created_at=created, updated_at=updated or created
    )


@pytest.fixture
def data(itabashi: Any) -> None:
    """高島平 (赤塚ブロック): A and B in 2025 (B at 23:30 on 31 March), C on 1 April 2026 (every
    other month), D ended on 31 March 2026 and E on 1 April 2026 (both entered in 2024).
    成増 (same block): F, a draft meeting irregularly. The block itself: H, no schedule.
    蓮根 (志村ブロック): G, weekly but with no place."""
    a = make_activity("A", kinds=("salon", "npo"))
    b = make_activity("B", kinds=("salon", "tea"), schedules=[MONTHLY])
    c = make_activity("C", kinds=("shopping",), schedules=[{**MONTHLY, "note": "隔月"}])
    d = make_activity("D", status=Status.ENDED)
    e = make_activity("E", status=Status.ENDED)
    f = make_activity("F", "narimasu", status=Status.DRAFT,
                      schedules=[{"frequency": "irregular"}])  # fmt: skip
    g = make_activity("G", "hasune", place=None)
    h = make_activity("H", "blk-akatsuka", schedules=[])
    dated(a, tokyo(2025, 6, 1, 10))
    dated(b, tokyo(2026, 3, 31, 23, 30))
    dated(c, tokyo(2026, 4, 1, 0, 10))
    dated(d, tokyo(2024, 5, 1, 10), tokyo(2026, 3, 31, 22))
    dated(e, tokyo(2024, 9, 1, 10), tokyo(2026, 4, 1, 9))
    dated(f, tokyo(2025, 10, 1, 10))
    dated(g, tokyo(2025, 4, 1, 0))
    dated(h, tokyo(2025, 5, 1, 10))


def table(code: str) -> dict[str, list[int | None]]:
    region = area(code)
    found = figures([region], YEARS, keys=KEYS, today=TODAY)
    return {key: [found.value(key, region, year) for year in YEARS] for key in KEYS}


def test_a_region_counts_its_own_activities(data: None) -> None:
    assert table("takashimadaira") == {
        "directory.known": [2, 3, 3],  # D, E | A, B, E (D ended on 31 March) | A, B, C
        "directory.published": [None, None, 3],  # A, B, C today; earlier years not recorded
        "directory.new": [2, 2, 1],  # D, E | A, B (31 March 23:30) | C (1 April 00:10)
        "directory.ended": [0, 1, 1],  # D on 31 March | E on 1 April
        "directory.kayoi": [2, 3, 2],  # D, E | A, B, E | A, B (C meets every other month)
    }


def test_a_block_adds_its_regions_and_its_own_the_ward_everything(data: None) -> None:
    assert table("blk-akatsuka") == {
        "directory.known": [2, 5, 5],  # + F (成増) and H (the block's own)
        "directory.published": [None, None, 4],  # + H; F is a draft
        "directory.new": [2, 4, 1],
        "directory.ended": [0, 1, 1],
        "directory.kayoi": [2, 3, 2],  # F meets irregularly, H has no schedule
    }
    assert table("131199") == {
        "directory.known": [2, 6, 6],  # + G (蓮根, entered at 00:00 on 1 April 2025)
        "directory.published": [None, None, 5],
        "directory.new": [2, 5, 1],
        "directory.ended": [0, 1, 1],
        "directory.kayoi": [2, 3, 2],  # G has no place to go to
    }


def test_known_activities_break_down_by_what_they_do(data: None) -> None:
    region = area("takashimadaira")
    found = figures([region], YEARS, keys=["directory.known"], today=TODAY)
    names = {code: str(pk) for code, pk in Kind.objects.values_list("code", "pk")}
    assert [label for _part, label in found.parts("directory.known")] == [
        "サロン",
        "一緒に買い物",
        "お茶飲み仲間",
    ]  # fmt: skip  (the taxonomy's order; the organiser's kind NPO is not a part)
    by_kind = {
        code: [found.value("directory.known", region, year, names[code]) for year in YEARS]
        for code in ("salon", "shopping", "tea")
    }
    assert by_kind == {"salon": [2, 3, 2], "shopping": [0, 0, 1], "tea": [0, 1, 1]}


def listed(client: Client, link: str) -> list[str]:
    """The names on a staff list of activities (one page: these are short), checked against
    the count it shows."""
    names: list[str] = []
    page = client.get(link).content.decode()
    total = int(re.search(r"<p>(\d+) 件</p>", page)[1])  # type: ignore[index]
    names += re.findall(r'class="card__title"><a href="/staff/activities/\d+/">([^<]*)</a>', page)
    assert len(names) == total
    return sorted(names)


def test_published_activities_link_to_the_list_that_shows_them(
    data: None, client: Client, users: dict
) -> None:
    ward = area("131199")
    today = timezone.localdate()
    year = today.year if today.month >= 4 else today.year - 1
    found = figures([ward], [year], keys=KEYS)
    link = found.link("directory.published", ward, year)
    assert link == f"/staff/activities/?area={ward.pk}&status=published"
    client.force_login(users["ward"])
    page = client.get(link).content.decode()
    assert found.value("directory.published", ward, year) == 5
    assert all(f">{name}<" in page for name in "ABCGH") and ">F<" not in page


def test_each_figure_links_to_the_list_of_exactly_what_it_counts(
    data: None, client: Client, users: dict
) -> None:
    """Every figure of every year, for a region, its block and the ward: the list it links to
    shows as many activities as the figure says (the dates of the fixture sit on the 31 March
    and 1 April boundaries, in local time)."""
    client.force_login(users["ward"])
    places = [area(code) for code in ("takashimadaira", "blk-akatsuka", "131199")]
    found = figures(places, YEARS, keys=KEYS)
    seen = 0
    for place, key, year in product(places, KEYS, YEARS):
        value, link = found.value(key, place, year), found.link(key, place, year)
        if value is None:  # a year not begun, or published before this year
            assert link is None
            continue
        assert link is not None, (key, year)
        assert len(listed(client, link)) == value, (place.code, key, year, link)
        seen += value
    assert seen > 30


def test_the_links_read_each_year_as_the_figures_do(
    data: None, client: Client, users: dict
) -> None:
    region = area("takashimadaira")
    found = figures([region], YEARS, keys=KEYS)
    client.force_login(users["sc"])

    def names(key: str, year: int) -> str:
        return "".join(listed(client, found.link(key, region, year) or ""))

    assert found.link("directory.new", region, 2025) == (
        f"/staff/activities/?area={region.pk}&year=2025&in_year=new"
    )
    assert [names("directory.known", y) for y in (2024, 2025)] == ["DE", "ABE"]
    assert [names("directory.new", y) for y in (2024, 2025)] == ["DE", "AB"]
    assert [names("directory.ended", y) for y in (2024, 2025)] == ["", "D"]
    assert found.link("directory.kayoi", region, 2025) == (
        f"/staff/activities/?area={region.pk}&kayoi=1&year=2025&in_year=known"
    )
    assert [names("directory.kayoi", y) for y in (2024, 2025, 2026)] == ["DE", "ABE", "AB"]


def test_known_activities_of_a_kind_link_to_the_list_of_that_kind(
    data: None, client: Client, users: dict
) -> None:
    block = area("blk-akatsuka")
    found = figures([block], YEARS, keys=["directory.known"])
    client.force_login(users["block"])
    shown = {}
    for part, label in found.parts("directory.known"):
        link = found.link("directory.known", block, 2025, part)
        assert link == f"/staff/activities/?area={block.pk}&kind={part}&year=2025&in_year=known"
        shown[label] = "".join(listed(client, link))
        assert len(shown[label]) == found.value("directory.known", block, 2025, part)
    assert shown == {"サロン": "ABEFH", "一緒に買い物": "", "お茶飲み仲間": "B"}


@pytest.mark.parametrize(
    ("frequency", "note", "counts"),
    [
        ("weekly", "", True),
        ("weekly", "隔週", True),  # every other week: still twice a month
        ("monthly_nth", "", True),
        ("monthly_date", "", True),
        ("monthly_nth", "隔月", False),  # every other month
        ("monthly_date", "奇数月", False),
        ("monthly_nth", "３か月に１回", False),
        ("monthly_nth", "2ヶ月ごと", False),
        ("monthly_nth", "年４回", False),
        ("monthly_nth", "年12回（8月は休み）", True),
        ("irregular", "", False),
        ("irregular", "毎週", False),  # the frequency decides, not the note
    ],
)
def test_a_schedule_meets_monthly(frequency: str, note: str, counts: bool) -> None:
    assert meets_monthly(frequency, note) is counts


def test_a_kayoi_needs_a_place_and_one_schedule_that_meets_monthly(itabashi: Any) -> None:
    assert is_kayoi([("irregular", ""), ("weekly", "")])
    assert not is_kayoi([])
    assert not is_kayoi([("weekly", "")], has_place=False)
    assert activity_is_kayoi(make_activity("毎週"))
    assert activity_is_kayoi(make_activity("毎月", schedules=[MONTHLY]))
    assert not activity_is_kayoi(make_activity("隔月", schedules=[{**MONTHLY, "note": "隔月"}]))
    assert not activity_is_kayoi(make_activity("不定期", schedules=[{"frequency": "irregular"}]))
    assert not activity_is_kayoi(make_activity("日程なし", schedules=[]))
    assert not activity_is_kayoi(make_activity("場所なし", place=None))
