"""The rules themselves: what counts as spent, approval, and the lock of a closed year."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from sasaeai.budgets import services
from sasaeai.budgets.models import Budget, Expense, ExpenseStatus, YearClosed

from .builders import YEAR, category, make_budget, make_expense

pytestmark = pytest.mark.django_db


def test_only_approved_count_as_spent_and_pending_shown_apart(users: dict) -> None:
    budget = make_budget(amount=50_000)
    make_expense(budget, 12_000, ExpenseStatus.APPROVED)
    make_expense(budget, 8_500, ExpenseStatus.APPROVED)
    make_expense(budget, 3_000, ExpenseStatus.PENDING)
    make_expense(budget, 9_999, ExpenseStatus.REJECTED)
    other = make_budget(amount=1, year=YEAR - 1, council=budget.council)
    make_expense(other, 40_000, ExpenseStatus.APPROVED, day=dt.date(YEAR - 1, 6, 1))
    summary = services.summary(budget)
    assert (summary.amount, summary.approved, summary.pending) == (50_000, 20_500, 3_000)
    assert summary.balance == 29_500
    assert summary.balance_if_all_approved == 26_500
    assert summary.percent_spent == 41


def test_the_summaries_of_many_budgets_come_in_one_query(
    users: dict, django_assert_num_queries: Any
) -> None:
    spent = make_budget(amount=50_000)
    make_expense(spent, 12_000, ExpenseStatus.APPROVED)
    make_expense(spent, 3_000, ExpenseStatus.PENDING)
    make_expense(spent, 9_999, ExpenseStatus.REJECTED)
    untouched = make_budget(amount=7_000, year=YEAR - 1, council=spent.council)
    budgets = [spent, untouched]
    with django_assert_num_queries(1):
        summaries = services.summaries(budgets)
    assert summaries == {budget.pk: services.summary(budget) for budget in budgets}
    assert summaries[untouched.pk] == services.Summary(7_000, 0, 0)


def test_warning_levels_past_90_and_100_percent() -> None:
    assert services.warning_level(100_000, 90_000) == ""
    assert services.warning_level(100_000, 90_001) == "near"
    assert services.warning_level(100_000, 100_000) == "near"
    assert services.warning_level(100_000, 100_001) == "over"
    assert services.warning_level(0, 1) == "over"
    summary = services.Summary(amount=10_000, approved=8_000, pending=500)
    assert summary.after(600) == (900, "near")
    assert summary.after(2_000) == (-500, "over")
    assert summary.after(1_000, replacing=500) == (1_000, "")  # 9,000 of 10,000: not past 90 %


def test_record_approve_reject(users: dict) -> None:
    budget = make_budget()
    expense = services.record_expense(
        budget, user=users["sc"], spent_on=dt.date(YEAR, 7, 1), item="茶菓",
        category=category("茶菓代"), amount=1_200,
    )  # fmt: skip
    assert expense.status == ExpenseStatus.PENDING and expense.created_by == users["sc"]
    services.decide(expense, user=users["ward"], approve=True)
    expense.refresh_from_db()
    assert expense.status == ExpenseStatus.APPROVED and expense.decided_by == users["ward"]
    with pytest.raises(ValidationError, match="すでに承認または却下"):
        services.decide(expense, user=users["ward"], approve=False, reason="x")
    second = make_expense(budget)
    with pytest.raises(ValidationError, match="理由を書いて"):
        services.decide(second, user=users["ward"], approve=False, reason="  ")
    services.decide(second, user=users["ward"], approve=False, reason="領収書がありません")
    second.refresh_from_db()
    assert second.status == ExpenseStatus.REJECTED and second.reason == "領収書がありません"
    # A rejected expense, once corrected, waits for approval again.
    services.update_expense(second, item="会場費（訂正）")
    second.refresh_from_db()
    assert (second.status, second.reason, second.item) == ("pending", "", "会場費（訂正）")


def test_expense_date_must_fall_in_the_fiscal_year(users: dict) -> None:
    budget = make_budget()
    for day in (dt.date(YEAR, 3, 31), dt.date(YEAR + 1, 4, 1)):
        with pytest.raises(ValidationError, match="2026年度（令和8年度）の中"):
            services.record_expense(budget, user=users["sc"], spent_on=day, item="x",
                                    category=category(), amount=100)  # fmt: skip
    assert not Expense.objects.exists()
    services.record_expense(budget, user=users["sc"], spent_on=dt.date(YEAR + 1, 3, 31),
                            item="x", category=category(), amount=100)  # fmt: skip


def test_closing_needs_no_pending_expenses(users: dict) -> None:
    budget = make_budget()
    waiting = make_expense(budget)
    with pytest.raises(ValidationError, match="承認待ちの支出が1件"):
        services.close_year(budget, user=users["ward"])
    assert not Budget.objects.get().is_closed
    services.decide(waiting, user=users["ward"], approve=True)
    services.close_year(budget, user=users["ward"])
    assert Budget.objects.get().closed_by == users["ward"]


def test_nothing_changes_in_a_closed_year_through_the_services(users: dict) -> None:
    budget = make_budget()
    approved = make_expense(budget, 5_000, ExpenseStatus.APPROVED)
    rejected = make_expense(budget, 700, ExpenseStatus.REJECTED)
    services.close_year(budget, user=users["ward"])
    before = list(Expense.objects.values_list("pk", "amount", "status", "item"))
    attempts = [
        lambda: services.record_expense(budget, user=users["sc"], spent_on=dt.date(YEAR, 8, 1),
                                        item="x", category=category(), amount=1),
        lambda: services.update_expense(rejected, item="y"),
        lambda: services.delete_expense(rejected),
        lambda: services.decide(rejected, user=users["ward"], approve=True),
        lambda: services.set_budget(budget.council, YEAR, 999),
        lambda: services.close_year(budget, user=users["ward"]),
    ]  # fmt: skip
    for attempt in attempts:
        with pytest.raises(YearClosed, match="2026年度（令和8年度）は締め済みです"):
            attempt()
    assert list(Expense.objects.values_list("pk", "amount", "status", "item")) == before
    assert Budget.objects.get().amount == 100_000
    assert approved.pk


def test_the_models_refuse_a_closed_year_too(users: dict) -> None:
    """Code that skips the services (a shell, a script) still cannot write into the year."""
    budget = make_budget()
    expense = make_expense(budget, 5_000, ExpenseStatus.APPROVED)
    services.close_year(budget, user=users["ward"])
    expense.amount = 1
    with pytest.raises(YearClosed):
        expense.save()
    with pytest.raises(YearClosed):
        expense.delete()
    with pytest.raises(YearClosed):
        make_expense(budget)
    closed = Budget.objects.get()
    closed.amount = 1
    with pytest.raises(YearClosed):
        closed.save()
    with pytest.raises(YearClosed):
        closed.delete()
    assert Expense.objects.get().amount == 5_000 and Budget.objects.get().amount == 100_000


def test_categories_are_seeded_once_per_municipality(users: dict) -> None:
    from sasaeai.test import area

    itabashi = area("131199")
    services.seed_categories(itabashi)
    names = list(services.categories_for(itabashi).values_list("name", flat=True))
    assert names == services.DEFAULT_CATEGORIES
    services.categories_for(itabashi).filter(name="その他").update(is_active=False)
    services.seed_categories(itabashi)
    assert "その他" not in services.categories_for(itabashi).values_list("name", flat=True)
    assert services.categories_for(area("999991")).count() == 8
