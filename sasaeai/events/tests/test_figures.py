"""The events' indicators against events and attendance made by hand."""

from __future__ import annotations

import datetime as dt
import re
from itertools import product
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sasaeai.accounts.models import Membership, Role
from sasaeai.events.models import Event, Registration, RegistrationStatus
from sasaeai.lib.indicators import figures
from sasaeai.test import area, make_user

from .builders import at, kind, make_event

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 6)
YEARS = [2025, 2026]
KEYS = ["events.held", "events.attendance"]


def came(event: Event, *people: Any, attended: bool = True, status: str = "registered") -> None:
    for person in people:
        Registration.objects.create(event=event, user=person, status=status, attended=attended)


@pytest.fixture
def data(users: dict) -> None:
    """Ward-wide trainings at 14:00 on 31 March 2026 and at 10:00 on 1 April; the 赤塚 block's
    liaison meeting in May; a 高島平 training in July; one called off and one not published.
    SCs: sc (高島平), block (赤塚ブロック), other_sc (板橋ブロックの板橋) and two, an SC of 高島平
    and 成増 whose home is 成増 (the first by path)."""
    two = make_user("two@example.jp", Role.REGION_SC, "takashimadaira")
    Membership.objects.create(user=two, area=area("narimasu"), role=Role.REGION_SC)
    sc, block, other = users["sc"], users["block"], users["other_sc"]
    march = make_event(starts_at=at(2026, 3, 31, 14))
    april = make_event(starts_at=at(2026, 4, 1, 10))
    liaison = make_event("blk-akatsuka", "block-liaison", starts_at=at(2026, 5, 10))
    region = make_event("takashimadaira", starts_at=at(2026, 7, 1))
    called_off = make_event(starts_at=at(2026, 6, 1), cancelled_at=timezone.now())
    make_event(starts_at=at(2026, 6, 2), published=False)
    came(march, sc)
    came(april, sc, two, other)
    came(liaison, block)
    came(liaison, sc, attended=False)  # registered, absent
    came(called_off, sc)
    came(region, two, status=RegistrationStatus.CANCELLED)


def table(code: str) -> dict[str, list[int | None]]:
    place = area(code)
    found = figures([place], YEARS, keys=KEYS, today=TODAY)
    return {key: [found.value(key, place, year) for year in YEARS] for key in KEYS}


def test_events_count_where_they_are_for_attendance_where_the_sc_works(data: None) -> None:
    assert table("takashimadaira") == {
        "events.held": [0, 1],  # its own training in July
        "events.attendance": [1, 1],  # sc on 31 March | sc on 1 April
    }
    assert table("narimasu") == {"events.held": [0, 0], "events.attendance": [0, 1]}  # two
    assert table("blk-akatsuka") == {
        "events.held": [0, 2],  # + the block's liaison meeting
        "events.attendance": [1, 3],  # + two, + block at the liaison meeting
    }
    assert table("131199") == {
        "events.held": [1, 3],  # 31 March | 1 April, May, July (not called off, not drafts)
        "events.attendance": [1, 4],  # + other_sc on 1 April
    }


def test_events_and_attendance_break_down_by_kind(data: None) -> None:
    ward = area("131199")
    found = figures([ward], YEARS, keys=KEYS, today=TODAY)
    training, liaison = str(kind("training").pk), str(kind("block-liaison").pk)
    assert found.parts("events.attendance") == [
        (training, "第2層SC等研修会"), (liaison, "第2層ブロック連絡会")
    ]  # fmt: skip
    assert [found.value("events.attendance", ward, 2026, p) for p in (training, liaison)] == [3, 1]
    assert [found.value("events.held", ward, 2026, p) for p in (training, liaison)] == [2, 1]


def test_the_ward_links_to_the_attendance_report_of_the_year(data: None) -> None:
    ward, region = area("131199"), area("takashimadaira")
    found = figures([ward, region], YEARS, keys=KEYS, today=TODAY)
    assert found.link("events.attendance", ward, 2025) == "/staff/events/attendance/?year=2025"
    assert found.link("events.attendance", region, 2025) is None  # the report has no area filter


def shown(client: Client, link: str) -> int:
    """How many events the list shows (one page: these are short), checked against the count
    it states."""
    response = client.get(link)
    assert response.status_code == 200
    total = int(re.search(r"<p>(\d+) 回</p>", response.content.decode())[1])  # type: ignore[index]
    assert len(response.context["page"]) == total
    return total


def test_events_held_link_to_the_list_of_exactly_those_events(
    data: None, client: Client, users: dict
) -> None:
    """In all and by kind, for a region, its block and the ward; the ward's staff see them all."""
    client.force_login(users["ward"])
    places = [area(code) for code in ("takashimadaira", "blk-akatsuka", "131199")]
    found = figures(places, YEARS, keys=["events.held"])
    parts = ["", *(part for part, _label in found.parts("events.held"))]
    assert len(parts) == 3
    for place, year, part in product(places, YEARS, parts):
        link = found.link("events.held", place, year, part)
        assert link is not None
        value = found.value("events.held", place, year, part)
        assert shown(client, link) == value, (place.code, year, part)
    ward = places[2]
    assert found.link("events.held", ward, 2025) == f"/staff/events/held/?area={ward.pk}&year=2025"
