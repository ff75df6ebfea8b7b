"""The progress app's own indicators: the figures only people know, entered once per 年度
(participants per activity, the regions' population aged 65+). 参加率 is worked out from the
two where it is shown, never stored as a bare rate."""

from __future__ import annotations

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

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


register(
    Indicator(
        "progress.participants", GROUP, _("参加者実人数（基準の月）"), count_entered,
        note=_("活動ごとに入力した、基準の月に参加した人の数（重なりは数えたまま）の合計"),
        unit=_("人"),
    ),
    Indicator(
        "progress.population", GROUP, _("65歳以上の人口"), count_entered, moment=True,
        note=_("地域ごとに入力または取り込んだ65歳以上の人口の合計"), unit=_("人"),
    ),
)  # fmt: skip
