"""Small builders for budget tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from sasaeai.budgets import services
from sasaeai.budgets.models import Budget, Expense, ExpenseCategory, ExpenseStatus
from sasaeai.councils.models import Council
from sasaeai.councils.tests.builders import make_council
from sasaeai.test import area

YEAR = 2026
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def make_budget(council: Council | None = None, amount: int = 100_000, year: int = YEAR,
                **fields: Any) -> Budget:  # fmt: skip
    return Budget.objects.create(
        council=council or make_council(), fiscal_year=year, amount=amount, **fields
    )


def category(name: str = "会場費", municipality_code: str = "131199") -> ExpenseCategory:
    municipality = area(municipality_code)
    services.seed_categories(municipality)
    return ExpenseCategory.objects.get(municipality=municipality, name=name)


def make_expense(
    budget: Budget,
    amount: int = 1_000,
    status: str = ExpenseStatus.PENDING,
    day: dt.date = dt.date(YEAR, 5, 10),
    item: str = "定例会の会場使用料",
    category_name: str = "会場費",
    **fields: Any,
) -> Expense:
    if status == ExpenseStatus.REJECTED:
        fields.setdefault("reason", "対象外です")
    return Expense.objects.create(
        budget=budget, amount=amount, status=status, spent_on=day, item=item,
        category=category(category_name, budget.council.municipality.code), **fields,
    )  # fmt: skip


def pdf_file(name: str = "receipt.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")
