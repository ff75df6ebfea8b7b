"""Support's indicators (lib/indicators.py): the councils' requests for help, per 年度, in all
and by kind, and those still open at the end of the year.

A request belongs to its council's area and to the year it was asked (`opened_at`). The four
kinds are the guidebook's (Kind, fixed), so each is an indicator of its own. The request list
shows the whole municipality (no area or year filter): only the ward's figure of requests open
now links to it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.lib.fiscal import fiscal_year_of
from sasaeai.lib.indicators import (
    Column,
    Found,
    Indicator,
    Scope,
    address,
    is_root,
    register,
    tally,
)

from .models import Kind, SupportRequest

GROUP = _("協議体からの応援依頼")


def count(scope: Scope) -> Found:
    """Every request figure in one query."""

    def asked(kind: str | None = None) -> Column:
        of_kind = Q(kind=kind) if kind else Q()
        return lambda year: of_kind & scope.during("opened_at", year, timed=True)

    columns: dict[str, Column] = {
        "support.requests": asked(),
        **{f"support.requests.{kind}": asked(kind) for kind in Kind},
        "support.open": lambda year: (
            scope.until("opened_at", year, timed=True)
            & (Q(closed_at__isnull=True) | scope.after("closed_at", year, timed=True))
        ),
    }
    return tally(SupportRequest.objects.all(), scope, columns)


def _open_list(area: Any, year: int, part: str) -> str | None:
    """The requests not finished now, the list's default: the ward's figure of this year."""
    if not is_root(area) or year != fiscal_year_of(timezone.localdate()):
        return None
    return address("support_staff:list", status="open")


register(
    Indicator(
        "support.requests", GROUP, _("応援の依頼"), count,
        note=_("年度中に会議から受けた応援の依頼"),
    ),
    *(
        Indicator(
            f"support.requests.{kind}", GROUP, kind.label, count,
            note=_("年度中に受けた、この種類の応援の依頼"),
        )
        for kind in Kind
    ),
    Indicator(
        "support.open", GROUP, _("終わっていない応援の依頼"), count, moment=True,
        link=_open_list,
        note=_("年度末（今年度は今日）に受付待ちか対応中だった依頼"),
    ),
)  # fmt: skip
