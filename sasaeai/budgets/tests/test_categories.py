"""Categories are the municipality's own: added, renamed, taken out of use."""

from __future__ import annotations

import pytest
from django.test import Client

from sasaeai.budgets.models import ExpenseCategory, ExpenseStatus
from sasaeai.test import area

from .builders import category, make_budget, make_expense

pytestmark = pytest.mark.django_db
BASE = "/staff/budgets/categories/"


def test_ward_adds_renames_and_retires_a_category(client: Client, users: dict) -> None:
    client.force_login(users["ward"])
    page = client.get(BASE).content.decode()
    assert "会場費" in page and "交通費" in page
    client.post(BASE, {"name": "保険料", "sort_order": "85", "is_active": "on"})
    new = ExpenseCategory.objects.get(name="保険料")
    assert new.municipality == area("131199")
    page = client.post(BASE, {"name": "保険料", "sort_order": "1"}).content.decode()
    assert "同じ名前の費目がすでにあります" in page
    client.post(f"{BASE}{new.pk}/", {"name": "ボランティア保険料", "sort_order": "85"})
    new.refresh_from_db()
    assert new.name == "ボランティア保険料" and not new.is_active


def test_a_retired_category_is_not_offered_but_old_expenses_keep_it(
    client: Client, users: dict
) -> None:
    budget = make_budget()
    expense = make_expense(budget, 500, ExpenseStatus.PENDING, category_name="その他")
    category("その他").__class__.objects.filter(name="その他").update(is_active=False)
    client.force_login(users["sc"])
    page = client.get(f"/staff/budgets/{budget.council_id}/2026/expenses/new/").content.decode()
    assert ">その他<" not in page
    page = client.get(f"/staff/budgets/expenses/{expense.pk}/").content.decode()
    assert ">その他<" in page
