"""Two staff change the same budget or expense at once: the second to save is told,
nothing of theirs is written, the first's values stay."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from sasaeai.audit.models import AuditEntry
from sasaeai.budgets import services
from sasaeai.budgets.models import Budget, Expense
from sasaeai.councils.tests.builders import make_council
from sasaeai.lib import optimistic
from sasaeai.test import at_once

from .builders import YEAR, category, make_budget, make_expense

pytestmark = pytest.mark.django_db
BASE = "/staff/budgets/"
TOLD = "ほかの人が先に保存しました"


def version_of(client: Client, user: Any, url: str) -> str:
    client.force_login(user)
    found = re.search(r'name="version" value="([^"]+)"', client.get(url).content.decode())
    assert found, "the form carries the version it was read with"
    return found.group(1)


def saved_now(page: str) -> str:
    """The panel that shows what is saved now."""
    found = re.search(r'id="stale-heading".*?</section>', page, re.S)
    assert found, "the page shows what is saved now"
    return found.group(0)


def test_the_second_to_set_the_budget_is_told(users: dict) -> None:
    budget = make_budget(amount=100_000)
    url = f"{BASE}{budget.council_id}/{YEAR}/budget/"
    block, ward = Client(), Client()
    first, second = version_of(block, users["block"], url), version_of(ward, users["ward"], url)
    entries = AuditEntry.objects.filter(model="budgets.Budget", object_id=str(budget.pk))
    before = entries.count()

    assert block.post(url, {"version": first, "amount": "120,000"}).status_code == 302
    response = ward.post(url, {"version": second, "amount": "90,000", "note": "減額"})

    page = response.content.decode()
    assert response.status_code == 409
    assert TOLD in page and 'value="90,000"' in page and "120,000" in saved_now(page)
    budget.refresh_from_db()
    assert budget.amount == 120_000 and budget.note == ""
    assert entries.count() == before + 1


def test_two_who_both_set_a_new_budget_the_second_is_told(users: dict) -> None:
    council = make_council()
    url = f"{BASE}{council.pk}/{YEAR}/budget/"
    block, ward = Client(), Client()
    first, second = version_of(block, users["block"], url), version_of(ward, users["ward"], url)
    assert first == second == optimistic.NEW
    assert block.post(url, {"version": first, "amount": "200,000"}).status_code == 302
    response = ward.post(url, {"version": second, "amount": "150,000"})
    assert response.status_code == 409 and TOLD in response.content.decode()
    assert Budget.objects.get().amount == 200_000


def test_the_second_to_change_an_expense_is_told(users: dict) -> None:
    expense = make_expense(make_budget(), 1_000, item="会場使用料")
    url = f"{BASE}expenses/{expense.pk}/"
    sc, block = Client(), Client()
    first, second = version_of(sc, users["sc"], url), version_of(block, users["block"], url)
    data = {"spent_on": "2026-05-10", "category": str(category().pk), "item": "会場使用料"}

    assert sc.post(url, {**data, "version": first, "amount": "1,200"}).status_code == 302
    response = block.post(url, {**data, "version": second, "amount": "800"})

    page = response.content.decode()
    assert response.status_code == 409
    assert TOLD in page and 'value="800"' in page and "1,200" in saved_now(page)
    expense.refresh_from_db()
    assert expense.amount == 1_200


def test_an_expense_decided_since_it_was_opened_is_not_changed(users: dict) -> None:
    expense = make_expense(make_budget(), 1_000)
    url = f"{BASE}expenses/{expense.pk}/"
    client = Client()
    read = version_of(client, users["sc"], url)
    services.decide(expense, user=users["ward"], approve=False, reason="領収書がありません")
    data = {"spent_on": "2026-05-10", "category": str(category().pk), "item": "会場使用料",
            "amount": "900", "version": read}  # fmt: skip
    assert client.post(url, data).status_code == 409
    expense.refresh_from_db()
    assert expense.amount == 1_000 and expense.reason == "領収書がありません"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads need a shared database: PostgreSQL"
)
def test_two_budget_saves_at_the_same_moment_exactly_one_wins(itabashi: Any) -> None:
    budget = make_budget(amount=100_000)
    read = budget.updated_at
    amounts = itertools.count(110_000, 10_000)

    def save() -> int | str:
        amount = next(amounts)
        try:
            services.set_budget(budget.council, YEAR, amount, version=read)
        except optimistic.Stale:
            return "told"
        return amount

    results = at_once(4, save)
    won = [amount for amount in results if amount != "told"]
    assert len(won) == 1 and results.count("told") == 3
    assert Budget.objects.get().amount == won[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads need a shared database: PostgreSQL"
)
def test_two_expense_saves_at_the_same_moment_exactly_one_wins(itabashi: Any) -> None:
    expense = make_expense(make_budget(), 1_000)
    read = expense.updated_at
    amounts = itertools.count(2_000, 1_000)

    def save() -> int | str:
        mine = Expense.objects.get(pk=expense.pk)
        amount = next(amounts)
        try:
            services.update_expense(mine, amount=amount, version=read)
        except optimistic.Stale:
            return "told"
        return amount

    results = at_once(4, save)
    won = [amount for amount in results if amount != "told"]
    assert len(won) == 1 and results.count("told") == 3
    assert Expense.objects.get().amount == won[0]
