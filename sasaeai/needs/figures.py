"""The needs' indicators (lib/indicators.py): needs raised, met and open by kind, introductions
and the connections they made, per 年度.

A need's timeline (NeedEvent) is its record, so what was open on a past 31 March is read from it:
the status after the last step taken on or before that day. A need is met when a step takes it
to one of the outcomes that answer it (an existing activity, a new one, a referral to
professionals): 今は対応できない answers nothing. A need met twice in a year (reopened between)
counts once in that year. The kinds of need are the municipality's own (data, not code), so
raised, met and open each break down into parts by kind.

"Matches" are the introductions an SC recorded (紹介) and those among them that connected
(つながった, in the year they were made): the suggestions of matching.py are not recorded.

Raised and met link to the staff list of needs over the year's days (?start=…&end=…, read as
the day a need was met with ?dated=met), open to the list of needs open now (this year's
figure alone). Introductions link to the staff list of introductions of an area in a year
(?area=…&year=…, read by `made`), those that connected with ?outcome=connected.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.lib.fiscal import fiscal_year_of, year_bounds
from sasaeai.lib.indicators import (
    Found,
    Indicator,
    Link,
    Scope,
    address,
    register,
    tally,
)

from .models import MET_STATUSES, OPEN_STATUSES, Introduction, Need, NeedEvent, Outcome

GROUP = _("困りごと")


def made(scope: Scope, year: int) -> Q:
    """Introductions made in the year (up to today for the current year)."""
    return scope.during("on", year)


def count(scope: Scope) -> Found:
    """Raised by kind (one query), met and open from the timelines (one query), introductions
    (one query)."""
    found = tally(
        Need.objects.all(),
        scope,
        {"needs.raised": lambda year: scope.during("reported_on", year)},
        part=("kind_id", "kind__name"),
        order=("kind__sort_order",),
        whole=True,
    )
    found.merge(_timelines(scope))
    return found.merge(
        tally(
            Introduction.objects.all(),
            scope,
            {
                "needs.introductions": lambda year: made(scope, year),
                "needs.connected": lambda year: made(scope, year) & Q(outcome=Outcome.CONNECTED),
            },
        )
    )


def _timelines(scope: Scope) -> Found:
    """Met and open needs, read from the steps of every need in the scope."""
    steps = (
        NeedEvent.objects.filter(scope.under("need__area__path"))
        .filter(on__lte=scope.end(max(scope.years)))  # later steps change no year asked
        .order_by("need_id", "on", "created_at", "id")
        .values_list(
            "need_id", "need__area__path", "need__kind_id", "need__kind__sort_order",
            "need__kind__name", "on", "status",
        )
    )  # fmt: skip
    needs: dict[int, tuple[str, str]] = {}
    timeline: dict[int, list[tuple[Any, str]]] = defaultdict(list)
    kinds: dict[str, tuple[int, int, str]] = {}  # part → (sort order, pk, name)
    for need, path, kind_id, order, name, on, status in steps:
        needs[need] = (path, str(kind_id))
        kinds[str(kind_id)] = (order, kind_id, name)
        timeline[need].append((on, status))
    found = Found()
    for part, (_order, _pk, label) in sorted(kinds.items(), key=lambda k: k[1]):
        found.name("needs.open", part, label)
        found.name("needs.met", part, label)
    for need, (path, kind) in needs.items():
        for year in scope.years:
            end = scope.end(year)
            before = [status for on, status in timeline[need] if on <= end]
            if before and before[-1] in OPEN_STATUSES:
                found.add("needs.open", path, year, 1)
                found.add("needs.open", path, year, 1, kind)
            if any(scope.includes(on, year) and s in MET_STATUSES for on, s in timeline[need]):
                found.add("needs.met", path, year, 1)
                found.add("needs.met", path, year, 1, kind)
    return found


def _period(year: int) -> dict[str, str]:
    """The days of the year a flow counts: to 31 March, or to today for the current year."""
    start, end = year_bounds(year)
    end = min(end, timezone.localdate())
    return {"start": start.isoformat(), "end": end.isoformat()}


def _raised_list(area: Any, year: int, part: str) -> str:
    return address("needs_staff:list", area=area.pk, kind=part or None, **_period(year))


def _met_list(area: Any, year: int, part: str) -> str:
    """The needs met in the year: the list's period read as the day they were met."""
    period = _period(year)
    return address("needs_staff:list", area=area.pk, kind=part or None, dated="met", **period)


def _open_list(area: Any, year: int, part: str) -> str | None:
    """The list of needs open now: the figure of the current year only."""
    if year != fiscal_year_of(timezone.localdate()):
        return None
    return address("needs_staff:list", area=area.pk, kind=part or None, status="open")


def _introductions(outcome: str | None = None) -> Link:
    """The introductions of an area made in the year (of one outcome)."""

    def link(area: Any, year: int, part: str) -> str:
        return address("needs_staff:introductions", area=area.pk, year=year, outcome=outcome)

    return link


register(
    Indicator(
        "needs.raised", GROUP, _("受け付けた困りごと"), count, link=_raised_list,
        note=_("年度中に受け付けた困りごと（種類別）"),
    ),
    Indicator(
        "needs.met", GROUP, _("応えた困りごと"), count, link=_met_list,
        note=_("年度中に、活動・新しい活動・専門職につないだ困りごと（種類別）"),
    ),
    Indicator(
        "needs.open", GROUP, _("対応中の困りごと"), count, moment=True, link=_open_list,
        note=_("年度末（今年度は今日）に未対応か話し合い中だった困りごと（種類別）"),
    ),
    Indicator(
        "needs.introductions", GROUP, _("紹介"), count, link=_introductions(),
        note=_("年度中に、困りごとや担い手を活動・担い手に紹介した数"),
    ),
    Indicator(
        "needs.connected", GROUP, _("紹介でつながった"), count,
        link=_introductions(Outcome.CONNECTED),
        note=_("年度中の紹介のうち、結果が「つながった」のもの"),
    ),
)  # fmt: skip
