"""The demo cases: at least 20, from all 18 regions, in the three stages, most published."""

from __future__ import annotations

import datetime as dt

import pytest

from sasaeai.accounts.models import Role
from sasaeai.areas.models import Area, AreaKind
from sasaeai.directory.kinds import seed_kinds
from sasaeai.test import make_user

from ..demo import build_knowhow
from ..models import Case, CaseStatus

pytestmark = pytest.mark.django_db


def test_the_demo_cases(itabashi: Area) -> None:
    seed_kinds(itabashi)
    make_user("sc@demo.sasaeai.jp", Role.REGION_SC, "takashimadaira")
    make_user("ward@demo.sasaeai.jp", Role.WARD_STAFF, "131199")
    assert build_knowhow(itabashi, dt.date(2026, 12, 1)) >= 20
    cases = Case.objects.of(itabashi)
    regions = set(cases.filter(area__kind=AreaKind.REGION).values_list("area__code", flat=True))
    assert len(regions) == 18
    assert set(cases.values_list("stage", flat=True)) == {1, 2, 3}
    assert cases.published().count() >= 20 and cases.public().exists()
    assert cases.filter(status=CaseStatus.REVIEW).exists()
    assert cases.filter(useful_count__gt=0).exists()
    assert build_knowhow(itabashi) == 0  # once
