"""Demo data for the budgets app, called by core.demo.load_demo (deterministic from `seed`).

Every council gets a budget for the current fiscal year with approved expenses, a few
waiting for approval and one rejected; two councils also have last year, closed.
Rows are written with bulk_create (no audit entries: demo data is not anybody's action).
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from sasaeai.accounts.models import User
from sasaeai.areas.models import Area
from sasaeai.councils.models import Council
from sasaeai.lib.fiscal import fiscal_year_of, year_bounds

from .models import Budget, Expense, ExpenseCategory, ExpenseStatus
from .services import seed_categories

# (category, item, lowest yen, highest yen) — what a council spends on.
ITEMS = [
    ("会場費", "定例会の会場使用料", 1_500, 4_000),
    ("茶菓代", "定例会のお茶とお菓子", 800, 3_000),
    ("印刷費", "活動紹介チラシの印刷", 3_000, 15_000),
    ("通信費", "会議案内の郵送料", 500, 3_500),
    ("消耗品費", "名札・模造紙・マーカー", 600, 4_000),
    ("謝礼", "講師への謝礼（学習会）", 5_000, 10_000),
    ("交通費", "ブロック連絡会への交通費", 300, 1_200),
    ("その他", "振込手数料", 110, 440),
]
CLOSED_LAST_YEAR = ["takashimadaira", "funado"]


def build_budgets(municipality: Area, seed: int) -> None:
    """Idempotent: running load_demo twice adds nothing the second time."""
    seed_categories(municipality)
    categories = {c.name: c for c in ExpenseCategory.objects.filter(municipality=municipality)}
    rng = random.Random(seed)
    today = timezone.localdate()
    year = fiscal_year_of(today)
    recorder = User.objects.filter(email="sc@demo.sasaeai.jp").first()
    approver = User.objects.filter(email="ward@demo.sasaeai.jp").first()
    for council in Council.objects.of(municipality).select_related("area"):
        amount = rng.randrange(12, 31) * 10_000
        _year(council, year, amount, rng, categories, today, recorder, approver, closed=False)
        if council.area.code in CLOSED_LAST_YEAR:
            _year(council, year - 1, amount, rng, categories, today, recorder, approver, True)


def _year(
    council: Council, year: int, amount: int, rng: random.Random,
    categories: dict[str, ExpenseCategory], today: dt.date,
    recorder: User | None, approver: User | None, closed: bool,
) -> None:  # fmt: skip
    if Budget.objects.filter(council=council, fiscal_year=year).exists():
        return
    budget = Budget.objects.create(council=council, fiscal_year=year, amount=amount)
    first, last = year_bounds(year)
    last = min(last, today)
    days = max((last - first).days, 0)
    # A year's spending: mostly under budget, now and then close to it.
    target = amount * rng.choice([55, 70, 80, 93]) // 100 if closed or days > 60 else amount // 5
    expenses, spent = [], 0
    while spent < target:
        name, item, low, high = rng.choice(ITEMS)
        yen = min(rng.randrange(low, high + 1, 10), target - spent) or 10
        spent += yen
        day = first + dt.timedelta(days=rng.randrange(days + 1))
        expenses.append(_expense(budget, day, item, categories[name], yen, recorder))
    decided = timezone.now()
    for index, expense in enumerate(sorted(expenses, key=lambda e: e.spent_on)):
        expense.status = ExpenseStatus.APPROVED
        if not closed and index >= len(expenses) - 2:
            expense.status = ExpenseStatus.PENDING  # the newest two wait for approval
        expense.decided_at = None if expense.status == ExpenseStatus.PENDING else decided
        expense.decided_by = None if expense.status == ExpenseStatus.PENDING else approver
    if not closed:
        day = first + dt.timedelta(days=rng.randrange(days + 1))
        rejected = _expense(budget, day, "懇親会の飲食代", categories["茶菓代"], 12_000, recorder)
        rejected.status, rejected.reason = ExpenseStatus.REJECTED, "飲食代は運営費の対象外です"
        rejected.decided_at, rejected.decided_by = decided, approver
        expenses.append(rejected)
    Expense.objects.bulk_create(expenses)
    if closed:
        Budget.objects.filter(pk=budget.pk).update(closed_at=decided, closed_by=approver)


def _expense(
    budget: Budget, day: dt.date, item: str, category: ExpenseCategory, yen: int,
    recorder: User | None,
) -> Expense:  # fmt: skip
    return Expense(
        budget=budget, spent_on=day, item=item, category=category, amount=yen,
        created_by=recorder,
    )  # fmt: skip
