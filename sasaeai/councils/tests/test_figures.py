"""The councils' indicators against meetings, attendance, minutes and actions made by hand."""

from __future__ import annotations

import datetime as dt
import re
from itertools import product
from typing import Any

import pytest
from django.test import Client

from sasaeai.councils.models import ActionStatus, Decision, MinutesStatus, Sector
from sasaeai.councils.services import record_attendance
from sasaeai.lib.indicators import figures, registered
from sasaeai.test import area

from .builders import make_action, make_council, make_meeting, make_member, make_minutes

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 6)
YEARS = [2025, 2026]
KEYS = ["councils.meetings", "councils.attendance", "councils.decisions", "councils.actions",
        "councils.actions_done", "councils.actions_open"]  # fmt: skip
MARCH_31, APRIL_1 = dt.date(2026, 3, 31), dt.date(2026, 4, 1)


def decide(meeting: Any, status: str, revision: int, decisions: int) -> None:
    minutes = make_minutes(meeting, status=status, revision=revision)
    for n in range(decisions):
        Decision.objects.create(minutes=minutes, text=f"決定{n}")


@pytest.fixture
def data(itabashi: Any) -> None:
    """高島平: meetings on 31 March and 1 April 2026, 10 June, and 20 December (to come).
    The block (赤塚) meets on 1 May 2026, 蓮根 (志村ブロック) too."""
    council = make_council()
    neighbour = make_member(council, "町会の人", sector=Sector.NEIGHBOURHOOD)
    salon = make_member(council, "サロンの人", sector=Sector.SALON)
    march = make_meeting(council, date=MARCH_31)
    april = make_meeting(council, date=APRIL_1)
    june = make_meeting(council, date=dt.date(2026, 6, 10))
    coming = make_meeting(council, date=dt.date(2026, 12, 20))
    record_attendance(march, [neighbour, salon], {Sector.RESIDENT: 3})  # 5
    record_attendance(april, [neighbour], {Sector.NPO: 1, Sector.RESIDENT: 1})  # 3
    record_attendance(coming, [], {Sector.RESIDENT: 10})  # not held yet
    decide(march, MinutesStatus.APPROVED, 1, 2)
    decide(april, MinutesStatus.SUPERSEDED, 1, 3)  # corrected: its decisions are replaced
    decide(april, MinutesStatus.APPROVED, 2, 1)
    decide(june, MinutesStatus.DRAFT, 1, 1)  # not approved yet
    done, dropped = ActionStatus.DONE, ActionStatus.DROPPED
    make_action(march, status=done, closed_on=MARCH_31)
    make_action(march, status=done, closed_on=APRIL_1)
    make_action(march)  # still open
    make_action(march, status=dropped, closed_on=dt.date(2026, 5, 1))
    make_action(april, status=done, closed_on=dt.date(2026, 6, 1))
    make_action(april)  # still open
    block = make_council("blk-akatsuka")
    record_attendance(
        make_meeting(block, date=dt.date(2026, 5, 1)),
        [make_member(block, "事業所の人", sector=Sector.CARE)],
        {},
    )
    make_meeting(make_council("hasune"), date=dt.date(2026, 5, 1))


def table(code: str, keys: list[str] = KEYS) -> dict[str, list[int | None]]:
    place = area(code)
    found = figures([place], YEARS, keys=keys, today=TODAY)
    return {key: [found.value(key, place, year) for year in YEARS] for key in keys}


def test_a_council_counts_its_meetings_of_each_year(data: None) -> None:
    assert table("takashimadaira") == {
        "councils.meetings": [1, 2],  # 31 March | 1 April, 10 June (20 December is to come)
        "councils.attendance": [5, 3],
        "councils.decisions": [2, 1],  # approved minutes only, the correction's
        "councils.actions": [4, 2],  # agreed at the year's meetings
        "councils.actions_done": [1, 2],  # closed 31 March | 1 April, 1 June (dropped: not done)
        "councils.actions_open": [3, 2],  # on 31 March: closed 1 April, open, dropped 1 May
    }


def test_attendance_by_sector_counts_members_present_and_guests(data: None) -> None:
    keys = [f"councils.attendance.{sector}" for sector in Sector]
    found = table("takashimadaira", keys)
    assert {key.split(".")[-1]: n for key, n in found.items() if n != [0, 0]} == {
        "neighbourhood": [1, 1],
        "salon": [1, 0],
        "resident": [3, 1],
        "npo": [0, 1],
    }
    assert table("blk-akatsuka", ["councils.attendance", "councils.attendance.care"]) == {
        "councils.attendance": [5, 4],
        "councils.attendance.care": [0, 1],
    }


def test_a_block_adds_its_regions_and_its_own_council_the_ward_everything(data: None) -> None:
    assert table("blk-akatsuka", ["councils.meetings"]) == {"councils.meetings": [1, 3]}
    assert table("131199", ["councils.meetings"]) == {"councils.meetings": [1, 4]}


def test_every_sector_has_its_indicator_and_every_figure_links_to_a_list(data: None) -> None:
    mine = {i.key: i for i in registered() if i.key.startswith("councils.")}
    assert {f"councils.attendance.{sector}" for sector in Sector} <= set(mine)
    assert all(indicator.link is not None for indicator in mine.values())


LINKED = ["councils.meetings", "councils.decisions", "councils.actions", "councils.actions_done",
          "councils.actions_open"]  # fmt: skip


def listed(client: Client, link: str) -> int:
    """How many records a year list shows (one page: these are short), checked against the
    count it states."""
    response = client.get(link)
    assert response.status_code == 200
    page = response.content.decode()
    total = int(re.search(r"<p>(\d+) (?:件|回)</p>", page)[1])  # type: ignore[index]
    assert len(response.context["page"]) == total
    return total


def test_each_figure_links_to_the_year_list_of_exactly_what_it_counts(
    data: None, client: Client, users: dict
) -> None:
    client.force_login(users["ward"])
    places = [area(code) for code in ("takashimadaira", "blk-akatsuka", "131199")]
    found = figures(places, YEARS, keys=LINKED)
    for place, key, year in product(places, LINKED, YEARS):
        link = found.link(key, place, year)
        assert link is not None
        assert listed(client, link) == found.value(key, place, year), (place.code, key, year)


def test_the_year_lists_read_the_year_as_the_figures_do(
    data: None, client: Client, users: dict
) -> None:
    region = area("takashimadaira")
    found = figures([region], YEARS, keys=LINKED)
    assert found.link("councils.meetings", region, 2025) == (
        f"/staff/councils/meetings/?area={region.pk}&year=2025"
    )
    assert found.link("councils.actions_open", region, 2025) == (
        f"/staff/councils/actions/?area={region.pk}&year=2025&which=open"
    )
    client.force_login(users["member"])
    counts = {key: listed(client, found.link(key, region, 2025) or "") for key in LINKED}
    assert counts == {
        "councils.meetings": 1, "councils.decisions": 2, "councils.actions": 4,
        "councils.actions_done": 1, "councils.actions_open": 3,
    }  # fmt: skip


ATTENDANCE = ["councils.attendance", *(f"councils.attendance.{sector}" for sector in Sector)]


def people_listed(client: Client, link: str) -> int:
    """The people the meetings on a year list add up to (one page: these are short), checked
    against the total it states."""
    response = client.get(link)
    assert response.status_code == 200
    page = response.content.decode()
    stated = int(re.search(r"の合計（のべ人数）: (\d+) 人</p>", page)[1])  # type: ignore[index]
    assert sum(people or 0 for _meeting, people in response.context["shown"]) == stated
    return stated


def test_attendance_links_to_the_meetings_whose_people_add_up_to_it(
    data: None, client: Client, users: dict
) -> None:
    """In all and by sector, for a region, its block and the ward."""
    client.force_login(users["ward"])
    places = [area(code) for code in ("takashimadaira", "blk-akatsuka", "131199")]
    found = figures(places, YEARS, keys=ATTENDANCE)
    seen = 0
    for place, key, year in product(places, ATTENDANCE, YEARS):
        link = found.link(key, place, year)
        assert link is not None
        value = found.value(key, place, year)
        assert people_listed(client, link) == value, (place.code, key, year)
        seen += value or 0
    assert seen > 30


def test_the_attendance_list_shows_each_meeting_of_the_area_and_year_with_its_people(
    data: None, client: Client, users: dict
) -> None:
    region = area("takashimadaira")
    found = figures([region], YEARS, keys=ATTENDANCE)
    assert found.link("councils.attendance.salon", region, 2025) == (
        f"/staff/councils/meetings/?area={region.pk}&year=2025&sector=salon"
    )
    client.force_login(users["ward"])

    def shown(key: str, year: int) -> list[tuple[str, int | None]]:
        response = client.get(found.link(key, region, year) or "")
        return [(m.date.isoformat(), people) for m, people in response.context["shown"]]

    assert shown("councils.attendance", 2025) == [("2026-03-31", 5)]
    assert shown("councils.attendance.resident", 2025) == [("2026-03-31", 3)]
    assert shown("councils.attendance.salon", 2025) == [("2026-03-31", 1)]
    # 1 April and 10 June (no attendance recorded); not 20 December, nor 赤塚's or 蓮根's
    assert shown("councils.attendance", 2026) == [("2026-04-01", 3), ("2026-06-10", None)]
    assert shown("councils.attendance.npo", 2026) == [("2026-04-01", 1), ("2026-06-10", None)]
    assert shown("councils.attendance.care", 2026) == [("2026-04-01", 0), ("2026-06-10", None)]
