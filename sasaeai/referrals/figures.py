"""The referrals' indicators (lib/indicators.py): referrals sent, closed and still open, per
年度. Counted from the anonymous columns only (area, status, dates), never a person: as on the
statistics page (stats.py), a referral belongs to the year it was first sent, and drafts, never
sent, count nowhere.

Still open on 31 March: sent by then and not finished by then. A returned referral sent again
loses the day it was returned (`finished_at` is cleared), so on a year end between the two it
counts as open.

Sent links to the statistics page (the municipality's whole). Closed and open link to the
staff referral list of an area in a year, read by the same rules (IN_YEAR, ?in_year=closed|open):
its reader sees there the referrals the visibility rule (lookups.visible) lets them see, which
for the area's handlers are all the figure counts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sasaeai.lib.indicators import (
    Found,
    Indicator,
    Link,
    Scope,
    address,
    is_root,
    register,
    tally,
)

from .models import Referral, Status

GROUP = _("専門職へのつなぎ")


def sent(scope: Scope, year: int) -> Q:
    """Referrals first sent in the year."""
    return scope.during("sent_at", year, timed=True)


def closed(scope: Scope, year: int) -> Q:
    """Referrals the institution closed in the year."""
    return Q(status=Status.CLOSED) & scope.during("finished_at", year, timed=True)


def open_at_end(scope: Scope, year: int) -> Q:
    """Referrals sent by the end of the year and not finished then."""
    return scope.until("sent_at", year, timed=True) & (
        Q(finished_at__isnull=True) | scope.after("finished_at", year, timed=True)
    )


# How the referral list reads a 年度 (?year=…&in_year=…), the first being what a year alone
# means; of the referrals sent, never of drafts.
IN_YEAR: dict[str, Callable[[Scope, int], Q]] = {
    "sent": sent,
    "closed": closed,
    "open": open_at_end,
}


def count(scope: Scope) -> Found:
    """Every referral figure in one query."""
    return tally(
        Referral.objects.exclude(status=Status.DRAFT),
        scope,
        {
            "referrals.sent": lambda year: sent(scope, year),
            "referrals.closed": lambda year: closed(scope, year),
            "referrals.open": lambda year: open_at_end(scope, year),
        },
    )


def _stats(area: Any, year: int, part: str) -> str | None:
    """The statistics page of the year (by kind, institution, region): the municipality's
    whole, as it has no area filter."""
    return address("referrals_staff:stats", year=year) if is_root(area) else None


def _list(reading: str) -> Link:
    """The referral list of an area's referrals read in a year as the figure reads them."""

    def link(area: Any, year: int, part: str) -> str:
        return address("referrals_staff:list", area=area.pk, year=year, in_year=reading)

    return link


register(
    Indicator(
        "referrals.sent", GROUP, _("送ったつなぎ"), count, link=_stats,
        note=_("年度中に初めて送ったつなぎ"),
    ),
    Indicator(
        "referrals.closed", GROUP, _("終了したつなぎ"), count, link=_list("closed"),
        note=_("年度中に専門機関が終了にしたつなぎ"),
    ),
    Indicator(
        "referrals.open", GROUP, _("対応中のつなぎ"), count, moment=True,
        link=_list("open"),
        note=_("年度末（今年度は今日）に送付済みで、まだ終わっていないつなぎ"),
    ),
)  # fmt: skip
