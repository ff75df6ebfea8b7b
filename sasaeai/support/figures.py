"""Support's indicators (lib/indicators.py): the councils' requests for help, per 年度, in all
and by kind, and those still open at the end of the year.

A request belongs to its council's area and to the year it was asked (`opened_at`). The four
kinds are the guidebook's (Kind, fixed), so each is an indicator of its own. Every figure links
to the request list narrowed by area, kind and year, the year read by the same rules
(?year=…&in_year=asked|open, IN_YEAR).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sasaeai.lib.indicators import (
    Column,
    Found,
    Indicator,
    Link,
    Scope,
    address,
    register,
    tally,
)

from .models import Kind, SupportRequest

GROUP = _("協議体からの応援依頼")


def asked(scope: Scope, year: int) -> Q:
    """Requests asked within the year."""
    return scope.during("opened_at", year, timed=True)


def open_at_end(scope: Scope, year: int) -> Q:
    """Requests asked by the end of the year and not finished then."""
    return scope.until("opened_at", year, timed=True) & (
        Q(closed_at__isnull=True) | scope.after("closed_at", year, timed=True)
    )


# How the request list reads a 年度 (?year=…&in_year=…), the first being what a year alone means.
IN_YEAR = {"asked": asked, "open": open_at_end}


def count(scope: Scope) -> Found:
    """Every request figure in one query."""

    def of_kind(kind: str | None = None) -> Column:
        kinds = Q(kind=kind) if kind else Q()
        return lambda year: kinds & asked(scope, year)

    columns: dict[str, Column] = {
        "support.requests": of_kind(),
        **{f"support.requests.{kind}": of_kind(kind) for kind in Kind},
        "support.open": lambda year: open_at_end(scope, year),
    }
    return tally(SupportRequest.objects.all(), scope, columns)


def _list(reading: str, kind: str | None = None) -> Link:
    """The request list of an area's requests read in a year as the figure reads them, of
    every status (the list's default is the unfinished ones)."""

    def link(area: Any, year: int, part: str) -> str:
        return address(
            "support_staff:list", area=area.pk, kind=kind, status="", year=year, in_year=reading
        )

    return link


register(
    Indicator(
        "support.requests", GROUP, _("応援の依頼"), count, link=_list("asked"),
        note=_("年度中に会議から受けた応援の依頼"),
    ),
    *(
        Indicator(
            f"support.requests.{kind}", GROUP, kind.label, count, link=_list("asked", kind),
            note=_("年度中に受けた、この種類の応援の依頼"),
        )
        for kind in Kind
    ),
    Indicator(
        "support.open", GROUP, _("終わっていない応援の依頼"), count, moment=True,
        link=_list("open"),
        note=_("年度末（今年度は今日）に受付待ちか対応中だった依頼"),
    ),
)  # fmt: skip
