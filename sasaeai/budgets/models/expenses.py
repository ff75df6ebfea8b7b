"""Expenses (支出) of a council's budget, each waiting for approval, approved or rejected."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited
from sasaeai.lib.storage import PrivateStorage

from .budgets import Budget, ExpenseCategory, YearClosed

RECEIPT_DIR = "private/budgets/receipts"


@deconstructible
class ReceiptStorage(PrivateStorage):
    """Receipts are kept where the other uploads are (MEDIA_ROOT, or the S3 bucket when
    SASAEAI_S3_BUCKET is set), under private/budgets/receipts/, but have no URL: only the
    receipt view serves them, after asking access.py whether this person may see the budget.
    A full disk keeps no piece of one (lib/storage.py). The class stays (built without
    arguments) because migration 0001 names it."""

    def url(self, name: str | None) -> str:
        raise ValueError("receipts have no public URL")


receipt_storage = ReceiptStorage()


def receipt_path(expense: Expense, filename: str) -> str:
    """A random name: the uploader's file name is kept in the row, never in the path."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{RECEIPT_DIR}/{expense.budget.fiscal_year}/{secrets.token_hex(16)}.{extension}"


class ExpenseStatus(models.TextChoices):
    PENDING = "pending", _("承認待ち")
    APPROVED = "approved", _("承認済み")
    REJECTED = "rejected", _("却下")


class ExpenseQuerySet(models.QuerySet["Expense"]):
    def pending(self) -> ExpenseQuerySet:
        return self.filter(status=ExpenseStatus.PENDING)

    def approved(self) -> ExpenseQuerySet:
        return self.filter(status=ExpenseStatus.APPROVED)

    def in_ledger_order(self) -> ExpenseQuerySet:
        return self.order_by("spent_on", "pk")

    def sums(self) -> dict[str, int]:
        """Yen approved (spent) and waiting for approval; rejected expenses count nowhere."""
        return self.aggregate(**_totals())

    def sums_by_budget(self) -> dict[int, dict[str, int]]:
        """sums() of each budget these expenses belong to, by budget pk, in one query."""
        rows = self.order_by().values("budget_id").annotate(**_totals())
        return {row.pop("budget_id"): row for row in rows}


def _totals() -> dict[str, Coalesce]:
    zero = models.Value(0, output_field=models.BigIntegerField())

    def total(status: str) -> Coalesce:
        spent = models.Sum("amount", filter=models.Q(status=status))
        return Coalesce(spent, zero, output_field=models.BigIntegerField())

    return {"approved": total(ExpenseStatus.APPROVED), "pending": total(ExpenseStatus.PENDING)}


class Expense(Audited):
    """One expense: what, when, how much, under which category, with its receipt."""

    audit_exclude = frozenset({"updated_at", "approvers_told_at"})

    budget = models.ForeignKey(
        Budget, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("予算")
    )
    spent_on = models.DateField(_("支出日"))
    item = models.CharField(_("内容"), max_length=120, help_text=_("例: 7月定例会の会場使用料"))
    category = models.ForeignKey(
        ExpenseCategory, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("費目")
    )
    amount = models.PositiveIntegerField(_("金額（円）"))
    receipt = models.FileField(
        _("領収書"), upload_to=receipt_path, storage=receipt_storage, max_length=200, blank=True
    )
    receipt_name = models.CharField(_("領収書のファイル名"), max_length=200, blank=True)
    receipt_type = models.CharField(max_length=40, blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=ExpenseStatus.choices, default=ExpenseStatus.PENDING
    )
    reason = models.CharField(_("却下の理由"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("承認・却下した日時"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("承認・却下した人"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("記録した人"),
    )
    created_at = models.DateTimeField(_("記録した日時"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When those who approve were told that it waits for them (by mail, once per wait).
    approvers_told_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ExpenseQuerySet.as_manager()

    class Meta:
        verbose_name = _("支出")
        verbose_name_plural = _("支出")
        ordering = ["spent_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=1), name="budgets_amount_min"),
            models.CheckConstraint(
                condition=~models.Q(status=ExpenseStatus.REJECTED) | ~models.Q(reason=""),
                name="budgets_rejection_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["budget", "status"], name="budgets_expense_status")]

    def __str__(self) -> str:
        return f"{self.spent_on:%Y-%m-%d} {self.item} {self.amount:,}円"

    @property
    def audit_area(self) -> Area:
        return self.budget.council.area

    @property
    def is_pending(self) -> bool:
        return self.status == ExpenseStatus.PENDING

    @property
    def is_approved(self) -> bool:
        return self.status == ExpenseStatus.APPROVED

    @property
    def is_rejected(self) -> bool:
        return self.status == ExpenseStatus.REJECTED

    def _refuse_if_closed(self) -> None:
        # Asked of the database, not of a possibly stale self.budget: a year closed by
        # someone else a moment ago is closed here too.
        closed = Budget.objects.filter(pk=self.budget_id, closed_at__isnull=False)
        if closed.exists():
            raise YearClosed(Budget.objects.only("fiscal_year").get(pk=self.budget_id).fiscal_year)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._refuse_if_closed()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self._refuse_if_closed()
        return super().delete(*args, **kwargs)
