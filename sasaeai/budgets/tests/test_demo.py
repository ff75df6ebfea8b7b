"""Demo budgets: every council this year, two closed last year; a second run adds nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sasaeai.budgets.demo import build_budgets
from sasaeai.budgets.models import Budget, Expense, ExpenseStatus
from sasaeai.councils.demo import build_councils
from sasaeai.councils.models import Council
from sasaeai.lib.fiscal import fiscal_year_of

pytestmark = pytest.mark.django_db


def test_demo_budgets(itabashi: object) -> None:
    build_councils(itabashi, 7)  # type: ignore[arg-type]
    build_budgets(itabashi, 7)  # type: ignore[arg-type]
    year = fiscal_year_of(timezone.localdate())
    assert Budget.objects.of_year(year).count() == Council.objects.count() > 0
    closed = Budget.objects.closed()
    assert closed.count() == 2 and set(closed.values_list("fiscal_year", flat=True)) == {year - 1}
    assert not Expense.objects.filter(budget__in=closed, status=ExpenseStatus.PENDING).exists()
    current = Expense.objects.filter(budget__fiscal_year=year)
    for status in ExpenseStatus.values:
        assert current.filter(status=status).exists(), status
    counts = (Budget.objects.count(), Expense.objects.count())
    build_budgets(itabashi, 7)  # type: ignore[arg-type]
    assert (Budget.objects.count(), Expense.objects.count()) == counts
