"""The referrals' indicators (lib/indicators.py): referrals sent, closed and still open, per
年度. Counted from the anonymous columns only (area, status, dates), never a person: as on the
statistics page (stats.py), a referral belongs to the year it was first sent, and drafts, never
sent, count nowhere.

Still open on 31 March: sent by then and not finished by then. A returned referral sent again
loses the day it was returned (`finished_at` is cleared), so on a year end between the two it
counts as open.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sasaeai.lib.indicators import Found, Indicator, Scope, address, is_root, register, tally

from .models import Referral, Status

GROUP = _("専門職へのつなぎ")


def count(scope: Scope) -> Found:
    """Every referral figure in one query."""
    return tally(
        Referral.objects.exclude(status=Status.DRAFT),
        scope,
        {
            "referrals.sent": lambda year: scope.during("sent_at", year, timed=True),
            "referrals.closed": lambda year: (
                Q(status=Status.CLOSED) & scope.during("finished_at", year, timed=True)
            ),
            "referrals.open": lambda year: (
                scope.until("sent_at", year, timed=True)
                & (Q(finished_at__isnull=True) | scope.after("finished_at", year, timed=True))
            ),
        },
    )


def _stats(area: Any, year: int, part: str) -> str | None:
    """The statistics page of the year (by kind, institution, region): the municipality's
    whole, as it has no area filter."""
    return address("referrals_staff:stats", year=year) if is_root(area) else None


register(
    Indicator(
        "referrals.sent", GROUP, _("送ったつなぎ"), count, link=_stats,
        note=_("年度中に初めて送ったつなぎ"),
    ),
    Indicator(
        "referrals.closed", GROUP, _("終了したつなぎ"), count,
        note=_("年度中に専門機関が終了にしたつなぎ"),
    ),
    Indicator(
        "referrals.open", GROUP, _("対応中のつなぎ"), count, moment=True,
        note=_("年度末（今年度は今日）に送付済みで、まだ終わっていないつなぎ"),
    ),
)  # fmt: skip
