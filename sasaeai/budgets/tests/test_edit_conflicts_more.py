"""Two staff rename the same expense category (費目) at once: the second to save is told,
nothing of theirs is written, and a second press after looking saves (lib/optimistic.py)."""

from __future__ import annotations

import pytest

from sasaeai.budgets.models import ExpenseCategory
from sasaeai.lib.tests.conflicts import second_saver_is_told

from .builders import category

pytestmark = pytest.mark.django_db


def test_the_second_saver_of_a_category_is_told(users: dict) -> None:
    venue = category("会場費")
    second_saver_is_told(
        f"/staff/budgets/categories/{venue.pk}/", (users["ward"], users["admin"]), "name",
        ("会場使用料", "会場・設備費"),
        lambda: ExpenseCategory.objects.get(pk=venue.pk).name,
    )  # fmt: skip
