"""The progress app's own indicators: the figures only people know, entered once per 年度
(participants per activity, the regions' population aged 65+). 参加率 is worked out from the
two where it is shown, never stored as a bare rate.

Each links to the page where its numbers are entered (entry_views.py), which shows every one
the figure adds up: a region's participants page lists the activities of the region and of
the areas below it with their participants in the year; the population page of the
municipality, a block or a region lists each region's population in the year.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import AreaKind
from sasaeai.lib.indicators import Found, Indicator, Scope, register

GROUP = _("参加（入力した数字）")


def count_entered(scope: Scope) -> Found:
    """Participants (by activity area) and population (by region) in the years asked."""
    from .models import Participation, Population

    found = Found()
    participations = (
        Participation.objects.filter(scope.under("activity__area__path"))
        .filter(fiscal_year__in=scope.years)
        .order_by()
        .values("activity__area__path", "fiscal_year")
        .annotate(n=Sum("participants"))
    )
    for row in participations:
        found.add(
            "progress.participants", row["activity__area__path"], row["fiscal_year"], row["n"]
        )
    populations = (
        Population.objects.filter(scope.under("area__path"))
        .filter(fiscal_year__in=scope.years)
        .order_by()
        .values("area__path", "fiscal_year")
        .annotate(n=Sum("aged_65_up"))
    )
    for place in populations:
        found.add("progress.population", place["area__path"], place["fiscal_year"], place["n"])
    return found


def _entry_page(name: str, area: Any, year: int) -> str:
    return f"{reverse(f'progress_staff:{name}', args=[area.code])}?year={year}"


def _participants_page(area: Any, year: int, part: str) -> str | None:
    """A region's participants page. The participants are entered per region: no page lists
    those of a block's or the ward's regions together (nor a unit's apart from its region's),
    so their figure links nowhere."""
    if area.kind != AreaKind.REGION:
        return None
    return _entry_page("participants", area, year)


def _population_page(area: Any, year: int, part: str) -> str | None:
    """The population page of the municipality, a block or a region (a unit has none: the
    population is entered per region)."""
    if area.kind == AreaKind.UNIT:
        return None
    return _entry_page("population", area, year)


register(
    Indicator(
        "progress.participants", GROUP, _("参加者実人数（基準の月）"), count_entered,
        link=_participants_page,
        note=_("活動ごとに入力した、基準の月に参加した人の数（重なりは数えたまま）の合計"),
        unit=_("人"),
    ),
    Indicator(
        "progress.population", GROUP, _("65歳以上の人口"), count_entered, moment=True,
        link=_population_page,
        note=_("地域ごとに入力または取り込んだ65歳以上の人口の合計"), unit=_("人"),
    ),
)  # fmt: skip
