"""Budgets per council and fiscal year (年度), and the categories (費目) expenses fall into."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited
from sasaeai.councils.models import Council
from sasaeai.lib.fiscal import year_bounds, year_label


class YearClosed(ValidationError):
    """A write into a fiscal year that has been closed (締め済み)."""

    def __init__(self, year: int) -> None:
        super().__init__(
            gettext(
                "%(year)sは締め済みです。この年度の支出や予算は、追加・変更・承認・削除できません。"
            )
            % {"year": year_label(year)},
            code="year_closed",
        )


class ExpenseCategory(Audited):
    """A category (費目) of expense; each municipality keeps its own list."""

    audit_exclude = frozenset({"updated_at"})

    municipality = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("自治体")
    )
    name = models.CharField(_("費目"), max_length=40)
    sort_order = models.PositiveSmallIntegerField(_("並び順"), default=0)
    is_active = models.BooleanField(
        _("使う"),
        default=True,
        help_text=_("使わなくなった費目は外します。記録済みの支出はそのまま残ります。"),
    )
    # The version its edit form carries (lib/optimistic.py).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("費目")
        verbose_name_plural = _("費目")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="budgets_category_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_area(self) -> Area:
        return self.municipality


class BudgetQuerySet(models.QuerySet["Budget"]):
    def of_year(self, year: int) -> BudgetQuerySet:
        return self.filter(fiscal_year=year)

    def closed(self) -> BudgetQuerySet:
        return self.filter(closed_at__isnull=False)

    def open(self) -> BudgetQuerySet:
        return self.filter(closed_at__isnull=True)

    def nearly_spent(self, percent: int = 90) -> BudgetQuerySet:
        """Open budgets whose approved expenses have reached `percent` % of the amount, with
        `spent` (yen approved) annotated: time to plan the rest of the year. Pending expenses
        are not spending yet (ledger.py counts them apart too)."""
        from .expenses import Expense, ExpenseStatus

        approved = (
            Expense.objects.filter(budget=models.OuterRef("pk"), status=ExpenseStatus.APPROVED)
            .order_by()
            .values("budget")
            .annotate(total=models.Sum("amount"))
            .values("total")
        )
        zero = models.Value(0, output_field=models.BigIntegerField())
        spent = Coalesce(models.Subquery(approved), zero, output_field=models.BigIntegerField())
        return (
            self.open()
            .annotate(spent=spent)
            .alias(spent_x100=models.F("spent") * 100)  # in whole yen: no rounding
            .filter(amount__gt=0, spent_x100__gte=models.F("amount") * percent)
        )


class Budget(Audited):
    """The operating budget (運営費) of one council for one fiscal year."""

    audit_exclude = frozenset({"updated_at"})

    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, related_name="budgets", verbose_name=_("支え合い会議")
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("年度"), help_text=_("年度が始まる年（2026年4月〜2027年3月は2026）")
    )
    amount = models.PositiveBigIntegerField(_("予算額（円）"))
    note = models.CharField(_("メモ"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("締めた日時"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("締めた人"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = BudgetQuerySet.as_manager()

    class Meta:
        verbose_name = _("運営費の予算")
        verbose_name_plural = _("運営費の予算")
        ordering = ["-fiscal_year", "council__area__sort_order", "council__area__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "fiscal_year"], name="budgets_budget_one_per_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council.name} {year_label(self.fiscal_year)}"

    def get_absolute_url(self) -> str:
        return reverse("budgets_staff:year", args=[self.council_id, self.fiscal_year])

    @property
    def audit_area(self) -> Area:
        return self.council.area

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def bounds(self) -> tuple[dt.date, dt.date]:
        return year_bounds(self.fiscal_year)

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A closed budget is final: the close itself is the last write it ever takes.
        loaded = getattr(self, "_audit_loaded", {})
        if loaded.get("closed_at") is not None:
            raise YearClosed(self.fiscal_year)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.is_closed:
            raise YearClosed(self.fiscal_year)
        return super().delete(*args, **kwargs)
