"""The councils' indicators (lib/indicators.py): meetings held, who came (by sector),
decisions and action items, per 年度.

Every figure belongs to the council's area and to the year of its meeting's date, but an action
done or dropped belongs to the year it was closed. Decisions are those of approved minutes (the
version in force: a corrected one's earlier version is superseded, a draft decides nothing yet).
The sectors are fixed (Sector), so each is an indicator of its own: members present of that
sector and guests counted under it; the total is the one recorded with the attendance.

Every figure links to a staff list of a year across the councils of an area (year_views.py),
narrowed by the same rules (`held`, `decided`, ACTIONS). Attendance is a sum of people, not a
count of records: it links to the year's meetings, each with the people who came (of one sector,
`?sector=…`, counted by `present` and `guests_of`), so that the numbers on the page add up to it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from sasaeai.lib.indicators import Found, Indicator, Link, Scope, address, register, tally

from .models import ActionItem, ActionStatus, Attendance, Decision, Meeting, MinutesStatus, Sector

GROUP = _("支え合い会議")
SECTORS = _("会議の出席（分野別）")
PATH = "council__area__path"


def held(scope: Scope, year: int) -> Q:
    """Meetings held in the year (up to today for the current year)."""
    return scope.during("date", year)


def decided(scope: Scope, year: int) -> Q:
    """Decisions of the year's meetings (of `Decision.objects.approved()`)."""
    return scope.during("minutes__meeting__date", year)


def approved_decisions() -> QuerySet[Decision]:
    """Decisions of the minutes in force: approved (a draft decides nothing yet, and a
    corrected version's decisions are superseded)."""
    return Decision.objects.filter(minutes__status=MinutesStatus.APPROVED)


def present(sector: str) -> QuerySet[Any]:
    """Members present at meetings who belong to `sector` (as recorded on the member now): one
    row of attendance and member each."""
    return Attendance.members.through.objects.filter(councilmember__sector=sector)


def guests_of(guests: Mapping[str, Any], sector: str) -> int:
    """The guests an attendance counted under `sector`."""
    return int(guests.get(sector) or 0) if sector in Sector.values else 0


# The action items of a year, read three ways (the staff list's ?which=…).
ACTIONS: dict[str, Callable[[Scope, int], Q]] = {
    "decided": lambda scope, year: scope.during("meeting__date", year),
    "done": lambda scope, year: Q(status=ActionStatus.DONE) & scope.during("closed_on", year),
    "open": lambda scope, year: (
        scope.until("meeting__date", year)
        & (Q(status=ActionStatus.OPEN) | scope.after("closed_on", year))
    ),
}


def count(scope: Scope) -> Found:
    """Every council figure in five queries: meetings with their attendance totals, members
    present by sector, guests by sector, action items, decisions."""
    found = tally(
        Meeting.objects.all(),
        scope,
        {
            "councils.meetings": lambda year: held(scope, year),
            "councils.attendance": lambda year: Sum("attendance__total", filter=held(scope, year)),
        },
        path=PATH,
    )
    found.merge(_sectors(scope))
    found.merge(
        tally(
            ActionItem.objects.all(),
            scope,
            {
                "councils.actions": lambda year: ACTIONS["decided"](scope, year),
                "councils.actions_done": lambda year: ACTIONS["done"](scope, year),
                "councils.actions_open": lambda year: ACTIONS["open"](scope, year),
            },
            path=f"meeting__{PATH}",
        )
    )
    return found.merge(
        tally(
            approved_decisions(),
            scope,
            {"councils.decisions": lambda year: decided(scope, year)},
            path=f"minutes__meeting__{PATH}",
        )
    )


def _sectors(scope: Scope) -> Found:
    """Members present and guests, by sector: "councils.attendance.<sector>"."""
    members = tally(
        Attendance.members.through.objects.all(),
        scope,
        {"present": lambda year: scope.during("attendance__meeting__date", year)},
        path=f"attendance__meeting__{PATH}",
        part=("councilmember__sector", "councilmember__sector"),
    )
    found = Found()
    for (path, year, sector), n in members.counts["present"].items():
        found.add(f"councils.attendance.{sector}", path, year, n)
    first = scope.start(min(scope.years))
    guests = Attendance.objects.filter(
        scope.under(f"meeting__{PATH}"), meeting__date__gte=first
    ).values_list(f"meeting__{PATH}", "meeting__date", "guests")
    for path, date, counted in guests:
        for year in scope.years:
            if scope.includes(date, year):
                for sector in Sector.values:
                    found.add(
                        f"councils.attendance.{sector}", path, year, guests_of(counted, sector)
                    )
    return found


def _year_list(view: str, **query: str) -> Link:
    """The staff list of the year's records across the councils of an area (year_views.py)."""

    def link(area: Any, year: int, part: str) -> str:
        return address(f"councils_staff:{view}", area=area.pk, year=year, **query)

    return link


register(
    Indicator(
        "councils.meetings", GROUP, _("会議の開催"), count, unit=_("回"),
        link=_year_list("year_meetings"),
        note=_("年度中に開いた会議（今年度は今日まで）"),
    ),
    Indicator(
        "councils.attendance", GROUP, _("会議の参加者"), count, unit=_("人"),
        link=_year_list("year_meetings"),
        note=_("年度中の会議に参加した人の合計（メンバーとゲスト、のべ人数）"),
    ),
    Indicator(
        "councils.decisions", GROUP, _("決まったこと"), count,
        link=_year_list("year_decisions"),
        note=_("年度中の会議の、承認された議事録の決定事項"),
    ),
    Indicator(
        "councils.actions", GROUP, _("決めたやること"), count,
        link=_year_list("year_actions", which="decided"),
        note=_("年度中の会議で決めたやること（アクション）"),
    ),
    Indicator(
        "councils.actions_done", GROUP, _("完了したやること"), count,
        link=_year_list("year_actions", which="done"),
        note=_("年度中に完了したやること"),
    ),
    Indicator(
        "councils.actions_open", GROUP, _("未完了のやること"), count, moment=True,
        link=_year_list("year_actions", which="open"),
        note=_("年度末（今年度は今日）に終わっていないやること"),
    ),
    *(
        Indicator(
            f"councils.attendance.{sector}", SECTORS, sector.label, count, unit=_("人"),
            link=_year_list("year_meetings", sector=sector.value),
            note=_("年度中の会議に参加したこの分野のメンバーとゲスト（のべ人数）"),
        )
        for sector in Sector
    ),
)  # fmt: skip
