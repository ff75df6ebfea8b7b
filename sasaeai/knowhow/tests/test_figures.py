"""The data box: the 65+ population from the progress app where it has the area's figure."""

from __future__ import annotations

import datetime as dt

import pytest

from sasaeai.accounts.models import User
from sasaeai.progress.models import Population
from sasaeai.test import area

from .builders import make_case

pytestmark = pytest.mark.django_db


def test_figures_come_from_progress(users: dict[str, User]) -> None:
    Population.objects.create(
        area=area("takashimadaira"), fiscal_year=2025, aged_65_up=15200,
        as_of=dt.date(2025, 4, 1),
    )  # fmt: skip
    case = make_case(by=users["sc"], happened_on=dt.date(2026, 6, 1), population=45000)
    assert case.aged_65_up == 15200 and case.figures_as_of == dt.date(2025, 4, 1)
    assert str(case.computed_rate) == "33.8"
    # Typed figures win; a region without figures stays empty; a block needs all its regions.
    typed = make_case(by=users["sc"], aged_65_up=100, population=400)
    assert typed.aged_65_up == 100 and str(typed.computed_rate) == "25.0"
    assert make_case("tokumaru", by=users["block"]).aged_65_up is None
    assert make_case("blk-akatsuka", by=users["block"]).aged_65_up is None
