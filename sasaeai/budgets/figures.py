"""The budgets' indicators (lib/indicators.py): the councils' operating budgets (運営費) and
what was spent of them, in yen, per 年度.

Both belong to the budget's council's area and to the budget's own year; spent is the approved
expenses (those waiting for approval, or rejected, are not spent). The budget list is the
whole municipality's for one year (no area filter): only the ward's figures link to it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from sasaeai.lib.indicators import Found, Indicator, Scope, address, is_root, register, tally

from .models import Budget, ExpenseStatus

GROUP = _("運営費")


def count(scope: Scope) -> Found:
    """Budgets, then spending: two queries, as the amount summed beside the expenses' join
    would be counted once per expense."""
    budgets = tally(
        Budget.objects.all(),
        scope,
        {"budgets.budget": lambda year: Sum("amount", filter=Q(fiscal_year=year))},
        path="council__area__path",
    )
    spent = tally(
        Budget.objects.all(),
        scope,
        {
            "budgets.spent": lambda year: Sum(
                "expenses__amount",
                filter=Q(fiscal_year=year, expenses__status=ExpenseStatus.APPROVED),
            )
        },
        path="council__area__path",
    )
    return budgets.merge(spent)


def _list(area: Any, year: int, part: str) -> str | None:
    return address("budgets_staff:list", year=year) if is_root(area) else None


register(
    Indicator(
        "budgets.budget", GROUP, _("予算"), count, unit=_("円"), link=_list,
        note=_("年度の運営費の予算額の合計"),
    ),
    Indicator(
        "budgets.spent", GROUP, _("使った額"), count, unit=_("円"), link=_list,
        note=_("年度の運営費のうち、承認された支出の合計"),
    ),
)  # fmt: skip
