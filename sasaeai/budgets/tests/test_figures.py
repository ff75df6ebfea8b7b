"""The budgets' indicators against budgets and expenses made by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sasaeai.budgets.models import ExpenseStatus
from sasaeai.councils.tests.builders import make_council
from sasaeai.lib.indicators import figures
from sasaeai.test import area

from .builders import make_budget, make_expense

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 6)
YEARS = [2025, 2026]
KEYS = ["budgets.budget", "budgets.spent"]
APPROVED, PENDING, REJECTED = ExpenseStatus.APPROVED, ExpenseStatus.PENDING, ExpenseStatus.REJECTED


@pytest.fixture
def data(itabashi: Any) -> None:
    """高島平: 100,000 yen in 2025 (35,000 approved, 1,000 waiting, 2,000 rejected), 120,000 in
    2026 (10,000 approved on 1 April). 成増: 80,000 in 2026 (20,000 approved). The block's
    council (赤塚): 50,000 in 2026, nothing spent."""
    council = make_council()
    last = make_budget(council, 100_000, 2025)
    in_2025 = dt.date(2025, 5, 10)
    make_expense(last, 30_000, APPROVED, in_2025)
    make_expense(last, 5_000, APPROVED, dt.date(2026, 3, 31))
    make_expense(last, 1_000, PENDING, in_2025)
    make_expense(last, 2_000, REJECTED, in_2025)
    make_expense(make_budget(council, 120_000, 2026), 10_000, APPROVED, dt.date(2026, 4, 1))
    make_expense(make_budget(make_council("narimasu"), 80_000, 2026), 20_000, APPROVED)
    make_budget(make_council("blk-akatsuka"), 50_000, 2026)


def table(code: str) -> dict[str, list[int | None]]:
    place = area(code)
    found = figures([place], YEARS, keys=KEYS, today=TODAY)
    return {key: [found.value(key, place, year) for year in YEARS] for key in KEYS}


def test_a_council_counts_its_budget_and_what_was_approved_of_it(data: None) -> None:
    assert table("takashimadaira") == {
        "budgets.budget": [100_000, 120_000],
        "budgets.spent": [35_000, 10_000],  # waiting and rejected expenses are not spent
    }


def test_a_block_adds_its_regions_and_its_own_council(data: None) -> None:
    assert table("blk-akatsuka") == {
        "budgets.budget": [100_000, 250_000],
        "budgets.spent": [35_000, 30_000],
    }
    assert table("131199") == table("blk-akatsuka")


def test_the_ward_links_to_the_budget_list_of_the_year(data: None) -> None:
    ward, region = area("131199"), area("takashimadaira")
    found = figures([ward, region], YEARS, keys=KEYS, today=TODAY)
    assert found.link("budgets.spent", ward, 2025) == "/staff/budgets/?year=2025"
    assert found.link("budgets.budget", ward, 2026) == "/staff/budgets/?year=2026"
    assert found.link("budgets.spent", region, 2025) is None  # the list has no area filter
    assert found.indicator("budgets.spent").unit == "円"
