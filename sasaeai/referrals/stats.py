"""Statistics of referrals per fiscal year (年度), without any personal data.

Only aggregate queries over the anonymous columns (area, institution, kind of problem, status,
outcome, dates) are made here: no encrypted field is ever read, so anonymised referrals are
counted like any other. A referral belongs to the fiscal year in which it was first sent;
drafts were never sent and are not counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability
from sasaeai.lib.fiscal import fiscal_year_start

from .models import Outcome, ProblemKind, Referral, ReferralQuerySet, Status


@dataclass
class Table:
    title: str
    heading: str  # of the first column
    rows: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(n for _label, n in self.rows)


def visible(user: Any) -> ReferralQuerySet:
    """Referrals of the areas on which the user views the work or handles referrals."""
    areas = access.areas(user, Capability.VIEW) | access.areas(user, Capability.HANDLE_REFERRALS)
    return Referral.objects.filter(area__in=areas.values("pk"))


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, 4, 1, tzinfo=tz)
    return start, dt.datetime(year + 1, 4, 1, tzinfo=tz)


def in_year(referrals: ReferralQuerySet, year: int) -> ReferralQuerySet:
    start, end = year_bounds(year)
    return referrals.filter(sent_at__gte=start, sent_at__lt=end)


def years(referrals: ReferralQuerySet, today: dt.date | None = None) -> list[int]:
    """Fiscal years from the first sending (or at least the last five) to this one, newest
    first."""
    current = fiscal_year_start(today or timezone.localdate()).year
    first = referrals.aggregate(first=Min("sent_at"))["first"]
    oldest = fiscal_year_start(timezone.localdate(first)).year if first else current
    return list(range(current, min(oldest, current - 4) - 1, -1))


def _counts(referrals: ReferralQuerySet, field: str) -> dict[Any, int]:
    rows = referrals.order_by().values(field).annotate(n=Count("pk"))
    return {row[field]: row["n"] for row in rows}


def _choices(counts: dict[Any, int], choices: Iterable[tuple[str, Any]]) -> list[tuple[str, int]]:
    return [(str(label), counts.get(value, 0)) for value, label in choices]


def _named(referrals: ReferralQuerySet, key: str, name: str) -> list[tuple[str, int]]:
    rows = (
        referrals.order_by()
        .values(key, name)
        .annotate(n=Count("pk"))
        .order_by("-n", name, key)  # largest first; ties by name
    )
    return [(row[name], row["n"]) for row in rows]


def tables(referrals: ReferralQuerySet, year: int) -> list[Table]:
    """The year's counts by kind of problem, institution, region, status and outcome."""
    sent = in_year(referrals, year)
    closed = sent.filter(status=Status.CLOSED)
    return [
        Table(_("相談の種類別"), _("相談の種類"),
              _choices(_counts(sent, "problem_kind"), ProblemKind.choices)),
        Table(_("つなぐ先の機関別"), _("機関"), _named(sent, "institution", "institution__name")),
        Table(_("地域別"), _("地域"), _named(sent, "area", "area__name")),
        Table(_("今の状態別"), _("状態"),
              _choices(_counts(sent, "status"),
                       [c for c in Status.choices if c[0] != Status.DRAFT])),
        Table(_("結果別（終了したもの）"), _("結果"),
              _choices(_counts(closed, "outcome"), Outcome.choices)),
    ]  # fmt: skip


def summary(referrals: ReferralQuerySet, year: int) -> dict[str, int]:
    sent = in_year(referrals, year)
    return sent.aggregate(
        total=Count("pk"),
        closed=Count("pk", filter=Q(status=Status.CLOSED)),
        returned=Count("pk", filter=Q(status=Status.RETURNED)),
        anonymised=Count("pk", filter=Q(anonymised_at__isnull=False)),
    )


def flat_rows(year: int, found: list[Table]) -> list[list[Any]]:
    """The tables as one sheet: 年度, 集計, 項目, 件数 — the same numbers as the page."""
    label = _("%(y)s年度") % {"y": year}
    return [[label, t.title, name, n] for t in found for name, n in t.rows]
