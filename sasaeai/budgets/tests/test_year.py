"""The year page: the budget set, approvals, rejection with a reason, closing the year."""

from __future__ import annotations

import pytest
from django.test import Client

from sasaeai.budgets.models import Budget, ExpenseStatus
from sasaeai.councils.tests.builders import make_council

from .builders import YEAR, make_budget, make_expense

pytestmark = pytest.mark.django_db
BASE = "/staff/budgets/"


def test_block_sets_the_budget_in_full_width_digits(client: Client, users: dict) -> None:
    council = make_council()
    client.force_login(users["block"])
    response = client.post(f"{BASE}{council.pk}/{YEAR}/budget/", {"amount": "２００，０００"})
    assert response.status_code == 302
    assert Budget.objects.get().amount == 200_000
    client.post(f"{BASE}{council.pk}/{YEAR}/budget/", {"amount": "150,000", "note": "減額"})
    assert Budget.objects.get().amount == 150_000
    page = client.post(f"{BASE}{council.pk}/{YEAR}/budget/", {"amount": "1.5"}).content.decode()
    assert "小数点は使えません" in page and Budget.objects.get().amount == 150_000


def test_year_page_shows_sums_and_pending_apart(client: Client, users: dict) -> None:
    budget = make_budget(amount=100_000)
    make_expense(budget, 30_000, ExpenseStatus.APPROVED, item="会場")
    make_expense(budget, 2_500, ExpenseStatus.PENDING, item="お茶")
    make_expense(budget, 9_000, ExpenseStatus.REJECTED, item="懇親会", reason="対象外です")
    client.force_login(users["member"])
    page = client.get(f"{BASE}{budget.council_id}/{YEAR}/").content.decode()
    assert "100,000" in page and "30,000" in page and "70,000" in page and "2,500" in page
    assert "対象外です" in page and "予算の 30% を使いました" in page
    assert "承認する" not in page and "支出を記録する" not in page  # a member only reads


def test_ward_approves_and_rejects_with_a_reason(client: Client, users: dict) -> None:
    budget = make_budget()
    first, second = make_expense(budget, item="会場"), make_expense(budget, item="懇親会")
    client.force_login(users["ward"])
    page = client.get(f"{BASE}{budget.council_id}/{YEAR}/").content.decode()
    assert "承認する" in page and "却下の理由" in page
    client.post(f"{BASE}expenses/{first.pk}/decide/", {"decision": "approve"})
    response = client.post(f"{BASE}expenses/{second.pk}/decide/", {"decision": "reject"},
                           follow=True)  # fmt: skip
    assert "却下するときは理由を書いてください" in response.content.decode()
    second.refresh_from_db()
    assert second.status == ExpenseStatus.PENDING
    client.post(f"{BASE}expenses/{second.pk}/decide/", {"decision": "reject", "reason": "対象外"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, second.reason) == ("approved", "rejected", "対象外")
    assert first.decided_by == users["ward"]


def test_close_waits_for_pending_then_locks(client: Client, users: dict) -> None:
    budget = make_budget()
    waiting = make_expense(budget)
    client.force_login(users["ward"])
    close = f"{BASE}{budget.council_id}/{YEAR}/close/"
    assert "承認待ちの支出が1件あります" in client.get(close).content.decode()
    page = client.post(close, follow=True).content.decode()
    assert "承認待ちの支出が1件あります" in page and not Budget.objects.get().is_closed
    client.post(f"{BASE}expenses/{waiting.pk}/decide/", {"decision": "approve"})
    page = client.post(close, follow=True).content.decode()
    assert "2026年度（令和8年度）を締めました" in page and Budget.objects.get().is_closed


def test_list_links_years(client: Client, users: dict) -> None:
    make_budget(amount=120_000)
    client.force_login(users["sc"])
    page = client.get(f"{BASE}?year={YEAR}").content.decode()
    assert "2026年度（令和8年度）" in page and "120,000円" in page
    assert "前の年度（2025年度）" in page and "費目の設定" not in page
    client.force_login(users["ward"])
    assert "費目の設定" in client.get(f"{BASE}?year={YEAR}").content.decode()
    assert client.get(f"{BASE}?year=abc").status_code == 200
    assert client.get(f"{BASE}1/1999/").status_code == 404
