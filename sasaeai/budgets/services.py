"""Budget workflows: set the budget, record, approve or reject expenses, close the year.

Every write locks the budget row first and refuses a closed year (YearClosed), so a
view, a command or a task all meet the same rules; the models refuse it once more.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability, User
from sasaeai.areas.models import Area
from sasaeai.councils.models import Council
from sasaeai.lib import delivery, links, optimistic
from sasaeai.lib.fiscal import year_label
from sasaeai.lib.later import enqueue_on_commit

from .lookups import supervising_area
from .models import (
    Budget,
    Expense,
    ExpenseCategory,
    ExpenseStatus,
    YearClosed,
    receipt_storage,
)

APPROVAL_MAIL = "budgets.approval"  # lib.delivery's kind: one mail per approver and wait

DEFAULT_CATEGORIES = [
    "会場費",
    "茶菓代",
    "印刷費",
    "通信費",
    "消耗品費",
    "謝礼",
    "交通費",
    "その他",
]
NEAR, OVER = "near", "over"
TELL_APPROVERS = "sasaeai.budgets.tasks.tell_approvers"


def seed_categories(municipality: Area) -> None:
    """Give a municipality the usual categories, once: after that the list is theirs."""
    if ExpenseCategory.objects.filter(municipality=municipality).exists():
        return
    for order, name in enumerate(DEFAULT_CATEGORIES, start=1):
        ExpenseCategory.objects.create(municipality=municipality, name=name, sort_order=order * 10)


def categories_for(municipality: Area) -> Any:
    seed_categories(municipality)
    return ExpenseCategory.objects.filter(municipality=municipality, is_active=True)


def warning_level(budget_amount: int, committed: int) -> str:
    """ "over" past 100 % of the budget, "near" past 90 %, else "". Integer arithmetic only."""
    if committed > budget_amount:
        return OVER
    if committed * 10 > budget_amount * 9:
        return NEAR
    return ""


@dataclass(frozen=True)
class Summary:
    """A budget's money: approved counts as spent; pending is shown apart."""

    amount: int
    approved: int
    pending: int

    @property
    def balance(self) -> int:
        return self.amount - self.approved

    @property
    def balance_if_all_approved(self) -> int:
        return self.amount - self.approved - self.pending

    @property
    def percent_spent(self) -> int:
        return self.approved * 100 // self.amount if self.amount else 0

    @property
    def level(self) -> str:
        return warning_level(self.amount, self.approved)

    def after(self, amount: int, replacing: int = 0) -> tuple[int, str]:
        """Balance and warning once an expense of `amount` (instead of `replacing`) counts."""
        committed = self.approved + self.pending - replacing + amount
        return self.amount - committed, warning_level(self.amount, committed)


def summary(budget: Budget | None) -> Summary:
    if budget is None:
        return Summary(0, 0, 0)
    sums = budget.expenses.sums()
    return Summary(budget.amount, sums["approved"], sums["pending"])


def summaries(budgets: list[Budget]) -> dict[int, Summary]:
    """summary() of each of these budgets, by budget pk, in one query."""
    sums = Expense.objects.filter(budget__in=budgets).sums_by_budget()
    nothing = {"approved": 0, "pending": 0}  # a budget with no expenses has no row
    return {budget.pk: Summary(budget.amount, **sums.get(budget.pk, nothing)) for budget in budgets}


def _locked(budget: Budget) -> Budget:
    """The budget row, locked for this transaction; YearClosed if it is closed."""
    fresh = Budget.objects.select_for_update().select_related("council__area").get(pk=budget.pk)
    if fresh.is_closed:
        raise YearClosed(fresh.fiscal_year)
    return fresh


@transaction.atomic
def set_budget(
    council: Council, year: int, amount: int, note: str = "", *, version: optimistic.Version = None
) -> Budget:
    """Create or change the council's budget for fiscal year `year`.

    `version`: the one the person read (`optimistic.NEW` if there was no budget yet);
    `optimistic.Stale` if someone set it since, and nothing written."""
    budget = Budget.objects.filter(council=council, fiscal_year=year).first()
    if budget is None:
        try:
            with transaction.atomic():
                return Budget.objects.create(
                    council=council, fiscal_year=year, amount=amount, note=note
                )
        except IntegrityError:  # made by someone else at the same moment
            raise optimistic.Stale(Budget.objects.get(council=council, fiscal_year=year)) from None
    budget = _locked(budget)
    optimistic.claim(budget, version)
    budget.amount, budget.note = amount, note
    budget.save(update_fields=["amount", "note", "updated_at"])
    return budget


def _check_day(budget: Budget, day: dt.date) -> None:
    first, last = budget.bounds
    if not first <= day <= last:
        raise ValidationError(
            {
                "spent_on": _("支出日は%(year)sの中（%(first)s〜%(last)s）にしてください。")
                % {
                    "year": year_label(budget.fiscal_year),
                    "first": f"{first.year}年{first.month}月{first.day}日",
                    "last": f"{last.year}年{last.month}月{last.day}日",
                }
            }
        )


def _attach(expense: Expense, receipt: UploadedFile | None, kind: str) -> str:
    """Put a new receipt on the expense; the old file's name, to delete once committed."""
    old = (expense.receipt.name or "") if expense.receipt else ""
    if receipt is not None:
        expense.receipt_name = (receipt.name or "")[-200:]
        expense.receipt_type = kind
        expense.receipt.save(receipt.name or "receipt", receipt, save=False)
    return old if receipt is not None else ""


def _delete_file_later(name: str) -> None:
    if name:
        transaction.on_commit(lambda: receipt_storage.delete(name))


@transaction.atomic
def record_expense(
    budget: Budget,
    *,
    user: Any,
    spent_on: dt.date,
    item: str,
    category: ExpenseCategory,
    amount: int,
    receipt: UploadedFile | None = None,
    receipt_type: str = "",
) -> Expense:
    """Record an expense, waiting for approval."""
    budget = _locked(budget)
    _check_day(budget, spent_on)
    expense = Expense(
        budget=budget, spent_on=spent_on, item=item, category=category, amount=amount,
        created_by=user if getattr(user, "pk", None) else None,
    )  # fmt: skip
    _attach(expense, receipt, receipt_type)
    expense.save()
    enqueue_on_commit(TELL_APPROVERS, expense.pk)  # the page never waits for mail
    return expense


@transaction.atomic
def update_expense(
    expense: Expense,
    *,
    receipt: UploadedFile | None = None,
    receipt_type: str = "",
    remove_receipt: bool = False,
    version: optimistic.Version = None,
    **fields: Any,
) -> Expense:
    """Change an expense not yet approved. A rejected one goes back to waiting for approval.

    `version`: the one the person read; `optimistic.Stale` if someone changed, approved or
    rejected it since, and nothing written."""
    _locked(expense.budget)
    expense.refresh_from_db()
    if expense.is_approved:
        raise ValidationError(_("承認済みの支出は変更できません。"))
    optimistic.claim(expense, version)
    for name, value in fields.items():
        setattr(expense, name, value)
    _check_day(expense.budget, expense.spent_on)
    old = _attach(expense, receipt, receipt_type)
    if remove_receipt and receipt is None and expense.receipt:
        old = expense.receipt.name or ""
        expense.receipt, expense.receipt_name, expense.receipt_type = None, "", ""  # type: ignore[assignment]
    waits_again = expense.is_rejected
    if waits_again:
        expense.status, expense.reason = ExpenseStatus.PENDING, ""
        expense.decided_at, expense.decided_by = None, None
        expense.approvers_told_at = None
        delivery.forget(APPROVAL_MAIL, expense.pk)  # a new wait: its approvers are told anew
    expense.save()
    _delete_file_later(old)
    if waits_again:
        enqueue_on_commit(TELL_APPROVERS, expense.pk)
    return expense


@transaction.atomic
def delete_expense(expense: Expense) -> None:
    _locked(expense.budget)
    expense.refresh_from_db()
    if expense.is_approved:
        raise ValidationError(_("承認済みの支出は削除できません。"))
    name = (expense.receipt.name or "") if expense.receipt else ""
    expense.delete()
    _delete_file_later(name)


@transaction.atomic
def decide(expense: Expense, *, user: Any, approve: bool, reason: str = "") -> Expense:
    """Approve a pending expense, or reject it with a reason."""
    _locked(expense.budget)
    expense.refresh_from_db()
    if not expense.is_pending:
        raise ValidationError(_("この支出はすでに承認または却下されています。"))
    reason = reason.strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("却下するときは理由を書いてください。")})
    expense.status = ExpenseStatus.APPROVED if approve else ExpenseStatus.REJECTED
    expense.reason = "" if approve else reason
    expense.decided_at, expense.decided_by = timezone.now(), user
    expense.save(update_fields=["status", "reason", "decided_at", "decided_by", "updated_at"])
    return expense


def approvers(expense: Expense) -> QuerySet[User]:
    """Who may approve the expense (PUBLISH above the council's area), but whoever recorded it."""
    area = supervising_area(expense.budget.council.area)
    return access.holders(Capability.PUBLISH, area).exclude(pk=expense.created_by_id or 0)


def tell_approvers(expense_id: int) -> int:
    """Mail those who may approve an expense that waits for them, once per wait; return how
    many were told. Safe to run again: an expense already told of, or no longer waiting, is
    skipped. The mail names the council, the year and the amount, not the item (free text)
    nor who recorded it."""
    waiting = Expense.objects.filter(pk=expense_id, status=ExpenseStatus.PENDING)
    # Each mail is a lib.delivery of its own, claimed and marked in statements of their own:
    # no lock is held while a mail goes out (on SQLite a write transaction would hold up
    # every other writer meanwhile), and a run again after a killed worker, or beside
    # another, mails only those not mailed yet.
    expense = (
        waiting.filter(approvers_told_at__isnull=True)
        .select_related("budget__council__area__municipality")
        .first()
    )
    if expense is None:
        return 0
    budget, council = expense.budget, expense.budget.council
    municipality = council.area.municipality or council.area
    path = reverse("budgets_staff:year", args=[council.pk, budget.fiscal_year])
    subject = _("【支え合い】支出の承認をお願いします：%(council)s") % {"council": council.name}
    body = _(
        "%(council)sの%(year)sの支出が、承認を待っています。\n金額: %(amount)s円\n\n"
        "承認または却下は、ログインしてこちらから。\n%(link)s\n"
    ) % {
        "council": council.name, "year": year_label(budget.fiscal_year),
        "amount": f"{expense.amount:,}", "link": links.absolute(path, municipality),
    }  # fmt: skip
    told = 0
    for user in approvers(expense):
        if user.email:  # a failed mail stops here, and a retry of the task tells the rest
            send = partial(mail.send_mail, subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
            told += delivery.deliver(APPROVAL_MAIL, expense.pk, delivery.user_key(user), send)
    waiting.update(approvers_told_at=timezone.now())
    return told


@transaction.atomic
def close_year(budget: Budget, *, user: Any) -> Budget:
    """Close (締め) the year. Nothing may wait for approval; afterwards nothing changes."""
    budget = _locked(budget)
    waiting = budget.expenses.pending().count()
    if waiting:
        raise ValidationError(
            _("承認待ちの支出が%(count)s件あります。承認または却下してから締めてください。")
            % {"count": waiting}
        )
    budget.closed_at, budget.closed_by = timezone.now(), user
    budget.save(update_fields=["closed_at", "closed_by", "updated_at"])
    return budget
