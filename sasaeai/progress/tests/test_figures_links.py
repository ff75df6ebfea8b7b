"""The entered figures (participants, population) link to the pages where they are entered,
which show every number the figure adds up, of that area and year alone."""

from __future__ import annotations

import datetime as dt
from itertools import product
from typing import Any

import pytest
from django.test import Client

from sasaeai.directory.tests.builders import make_activity
from sasaeai.lib.indicators import figures
from sasaeai.progress.models import Participation, Population
from sasaeai.test import area

pytestmark = pytest.mark.django_db
YEARS = [2024, 2025]
KEYS = ["progress.participants", "progress.population"]
PLACES = ["takashimadaira", "narimasu", "blk-akatsuka", "hasune", "131199"]


@pytest.fixture
def data(itabashi: Any) -> None:
    """Participants of two activities of 高島平, one of 成増 (赤塚ブロック) and one of 蓮根
    (志村ブロック), and the population of the three regions, differing in each 年度; an ended
    activity of 高島平 with participants in 2024 alone."""
    activities = [
        (make_activity("いきいきサロン"), 25),
        (make_activity("体操の会"), 12),
        (make_activity("成増の食事会", "narimasu"), 30),
        (make_activity("蓮根の体操", "hasune"), 8),
        (make_activity("終わった会", status="ended"), 5),
    ]
    for (activity, n), year in product(activities, YEARS):
        if activity.name != "終わった会" or year == 2024:
            Participation.objects.create(activity=activity, fiscal_year=year,
                                         month=dt.date(year + 1, 3, 1),
                                         participants=n + year - 2024)  # fmt: skip
    for (code, n), year in product([("takashimadaira", 9000), ("narimasu", 7000),
                                    ("hasune", 6000)], YEARS):  # fmt: skip
        Population.objects.create(area=area(code), fiscal_year=year, aged_65_up=n + year,
                                  as_of=dt.date(year, 1, 1))  # fmt: skip


def participants_on(client: Client, link: str) -> int:
    response = client.get(link)
    assert response.status_code == 200
    return sum(row.current.participants for row, _form in response.context["rows"] if row.current)


def population_on(client: Client, link: str) -> int:
    response = client.get(link)
    assert response.status_code == 200
    stored = [figure.aged_65_up for _region, figure, _form in response.context["rows"] if figure]
    assert sum(stored) == response.context["total"]
    return sum(stored)


def test_each_region_s_participants_link_to_its_page_of_exactly_those(
    data: None, client: Client, users: dict
) -> None:
    client.force_login(users["ward"])
    places = [area(code) for code in PLACES]
    found = figures(places, YEARS, keys=KEYS)
    seen = 0
    for place, year in product(places, YEARS):
        link = found.link("progress.participants", place, year)
        if place.kind != "region":  # entered per region: no page lists a block's together
            assert link is None, place.code
            continue
        assert link == f"/staff/progress/{place.code}/participants/?year={year}"
        value = found.value("progress.participants", place, year)
        assert participants_on(client, link) == value, (place.code, year)
        seen += value or 0
    assert seen == (25 + 12 + 5 + 30 + 8) + (26 + 13 + 31 + 9)


def test_the_population_links_to_the_page_of_the_area_s_regions(
    data: None, client: Client, users: dict
) -> None:
    client.force_login(users["ward"])
    places = [area(code) for code in PLACES]
    found = figures(places, YEARS, keys=KEYS)
    for place, year in product(places, YEARS):
        link = found.link("progress.population", place, year)
        assert link == f"/staff/progress/{place.code}/population/?year={year}"
        value = found.value("progress.population", place, year)
        assert population_on(client, link) == value, (place.code, year)
    block = found.value("progress.population", area("blk-akatsuka"), 2025)
    assert block == (9000 + 2025) + (7000 + 2025)  # 高島平 and 成増, not 蓮根


def test_a_region_s_sc_follows_the_links_of_their_own_region(
    data: None, client: Client, users: dict
) -> None:
    region = area("takashimadaira")
    found = figures([region], YEARS, keys=KEYS)
    client.force_login(users["sc"])
    participants = found.link("progress.participants", region, 2025) or ""
    assert participants_on(client, participants) == 26 + 13  # the ended activity: 2024 alone
    population = found.link("progress.population", region, 2024) or ""
    assert population_on(client, population) == 9000 + 2024
