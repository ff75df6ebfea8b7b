"""Council operating budgets (運営費): a budget per council and fiscal year, its expenses,
and the municipality's expense categories (費目).

A year is locked once closed (締め): the models themselves refuse to write into it, so no
view, command or task can change a closed year by accident.
"""

from .budgets import (
    Budget,
    BudgetQuerySet,
    ExpenseCategory,
    YearClosed,
)
from .expenses import Expense, ExpenseQuerySet, ExpenseStatus, receipt_storage

__all__ = [
    "Budget", "BudgetQuerySet", "Expense", "ExpenseCategory", "ExpenseQuerySet",
    "ExpenseStatus", "YearClosed", "receipt_storage",
]  # fmt: skip
