"""Demo institutions are addressed in a town of the area they cover (for a block or the
ward, a town of one of its regions), in the form of a real address; the Itabashi demo says
more of its rehabilitation network, as its guidebook does."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sasaeai.areas.models import Area
from sasaeai.directory.tests.test_demo_addresses import check_address, region_towns
from sasaeai.referrals.demo import build_referrals
from sasaeai.referrals.models import Institution, InstitutionKind

pytestmark = pytest.mark.django_db
SEED = 20261126


def test_every_institution_is_in_a_town_of_its_area(itabashi: Any) -> None:
    build_referrals(itabashi, SEED, dt.date(2026, 11, 26))
    towns = region_towns()
    institutions = Institution.objects.of(itabashi).prefetch_related("areas")
    wrong = []
    for institution in institutions:
        (covered,) = institution.areas.all()
        regions = [covered] if covered.kind == "region" else Area.objects.within(covered).regions()
        theirs = {town: n for region in regions for town, n in towns[region.code].items()}
        if problem := check_address(institution.address, "板橋区", theirs):
            wrong.append((institution.name, institution.address, problem))
    assert institutions.count() > 30 and wrong == []
    takashimadaira = institutions.get(name="おとしより相談センター高島平")
    assert takashimadaira.address.startswith(("板橋区高島平", "板橋区新河岸"))


def test_the_itabashi_demo_names_its_rehabilitation_network(itabashi: Any) -> None:
    build_referrals(itabashi, SEED, dt.date(2026, 11, 26))
    words = InstitutionKind.objects.get(municipality=itabashi, code="rehabilitation").description
    assert (
        words.startswith("理学療法士")
        and words.count("板橋区地域リハビリテーションネットワーク") == 1
    )
