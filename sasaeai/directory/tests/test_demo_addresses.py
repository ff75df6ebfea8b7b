"""Every demo place is addressed in a town (町) of its own region, in the form of a real
address: 板橋区高島平3-12-28, 板橋区熊野町12-5, or a town and 丁目 where no number is given
(板橋区小豆沢二丁目付近 for a shopping street)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from sasaeai.directory.demo import build_activities, load_data
from sasaeai.directory.models import Place

pytestmark = pytest.mark.django_db
SEED = 20261126
TODAY = dt.date(2026, 11, 26)
KANJI = "一二三四五六七八九"
AFTER_TOWN = re.compile(
    rf"(?P<numbers>\d+(-\d+){{1,2}})|((?P<chome>[{KANJI}])丁目)?(付近|（詳しくはお問い合わせください）)?"
)


def region_towns() -> dict[str, dict[str, int]]:
    """Each region's towns (by the region's code) with how many 丁目 each has (0: none)."""
    regions = load_data()["regions"]
    return {
        code: {town[0]: (town[2] if len(town) > 2 else 0) for town in region["towns"]}
        for code, region in regions.items()
    }


def check_address(address: str, city: str, towns: dict[str, int]) -> str:
    """The problem with `address` as an address in one of `towns`, or ""."""
    if not address.startswith(city):
        return "not in the city"
    rest = address.removeprefix(city)
    found = sorted((t for t in towns if rest.startswith(t)), key=len, reverse=True)
    if not found:
        return "not in a town of its region"
    town = found[0]
    form = AFTER_TOWN.fullmatch(rest.removeprefix(town))
    if form is None:
        return "not in the form of an address"
    chomes = towns[town]
    if form["numbers"]:
        parts = [int(n) for n in form["numbers"].split("-")]
        if chomes and (len(parts) != 3 or not 1 <= parts[0] <= chomes):
            return f"{town} has 丁目 1 to {chomes}"
        if not chomes and len(parts) != 2:
            return f"{town} has no 丁目"
    elif form["chome"] and (not chomes or KANJI.index(form["chome"]) + 1 > chomes):
        return f"{town} has no such 丁目"
    return ""


def test_the_checks_find_what_is_wrong() -> None:
    towns = region_towns()["kumano"] | {"高島平": 9}
    assert check_address("板橋区熊野町12-5", "板橋区", towns) == ""
    assert check_address("板橋区高島平3-12-28", "板橋区", towns) == ""
    assert check_address("板橋区高島平三丁目付近", "板橋区", towns) == ""
    assert check_address("板橋区中丸町（詳しくはお問い合わせください）", "板橋区", towns) == ""
    assert check_address("板橋区熊野町二丁目", "板橋区", towns) == "熊野町 has no such 丁目"
    assert check_address("板橋区熊野3-4-5", "板橋区", towns) == "not in a town of its region"
    assert check_address("板橋区熊野町1-2-3", "板橋区", towns) == "熊野町 has no 丁目"
    assert check_address("板橋区高島平12-5", "板橋区", towns) == "高島平 has 丁目 1 to 9"
    assert check_address("板橋区蓮根2-1-1", "板橋区", towns) == "not in a town of its region"
    assert check_address("練馬区熊野町12-5", "板橋区", towns) == "not in the city"


def test_every_demo_place_is_in_a_town_of_its_region(itabashi: Any) -> None:
    build_activities(itabashi, SEED, TODAY)
    towns = region_towns()
    places = Place.objects.filter(activity__area__municipality=itabashi)
    wrong = [
        (address, code, problem)
        for address, code in places.values_list("address", "activity__area__code")
        if (problem := check_address(address, "板橋区", towns[code]))
    ]
    assert places.count() > 500
    assert wrong == []
    numbered = places.filter(address__regex=r"\d+-\d+$").count()
    assert numbered > places.count() / 2  # most places have a full address
