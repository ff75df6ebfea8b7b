"""The councils' indicators (lib/indicators.py): meetings held, who came (by sector),
decisions and action items, per 年度.

Every figure belongs to the council's area and to the year of its meeting's date, but an action
done or dropped belongs to the year it was closed. Decisions are those of approved minutes (the
version in force: a corrected one's earlier version is superseded, a draft decides nothing yet).
The sectors are fixed (Sector), so each is an indicator of its own: members present of that
sector and guests counted under it; the total is the one recorded with the attendance.

No staff list shows exactly these records (a council's meeting and action lists are per council
and for every year), so none of them links anywhere yet.
"""

from __future__ import annotations

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from sasaeai.lib.indicators import Found, Indicator, Scope, register, tally

from .models import ActionItem, ActionStatus, Attendance, Decision, Meeting, MinutesStatus, Sector

GROUP = _("支え合い会議")
SECTORS = _("会議の出席（分野別）")
PATH = "council__area__path"


def count(scope: Scope) -> Found:
    """Every council figure in five queries: meetings with their attendance totals, members
    present by sector, guests by sector, action items, decisions."""
    found = tally(
        Meeting.objects.all(),
        scope,
        {
            "councils.meetings": lambda year: scope.during("date", year),
            "councils.attendance": lambda year: Sum(
                "attendance__total", filter=scope.during("date", year)
            ),
        },
        path=PATH,
    )
    found.merge(_sectors(scope))
    found.merge(
        tally(
            ActionItem.objects.all(),
            scope,
            {
                "councils.actions": lambda year: scope.during("meeting__date", year),
                "councils.actions_done": lambda year: (
                    Q(status=ActionStatus.DONE) & scope.during("closed_on", year)
                ),
                "councils.actions_open": lambda year: (
                    scope.until("meeting__date", year)
                    & (Q(status=ActionStatus.OPEN) | scope.after("closed_on", year))
                ),
            },
            path=f"meeting__{PATH}",
        )
    )
    return found.merge(
        tally(
            Decision.objects.filter(minutes__status=MinutesStatus.APPROVED),
            scope,
            {"councils.decisions": lambda year: scope.during("minutes__meeting__date", year)},
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
                for sector, n in counted.items():
                    if sector in Sector.values:
                        found.add(f"councils.attendance.{sector}", path, year, int(n))
    return found


register(
    Indicator(
        "councils.meetings", GROUP, _("会議の開催"), count, unit=_("回"),
        note=_("年度中に開いた会議（今年度は今日まで）"),
    ),
    Indicator(
        "councils.attendance", GROUP, _("会議の参加者"), count, unit=_("人"),
        note=_("年度中の会議に参加した人の合計（メンバーとゲスト、のべ人数）"),
    ),
    Indicator(
        "councils.decisions", GROUP, _("決まったこと"), count,
        note=_("年度中の会議の、承認された議事録の決定事項"),
    ),
    Indicator(
        "councils.actions", GROUP, _("決めたやること"), count,
        note=_("年度中の会議で決めたやること（アクション）"),
    ),
    Indicator(
        "councils.actions_done", GROUP, _("完了したやること"), count,
        note=_("年度中に完了したやること"),
    ),
    Indicator(
        "councils.actions_open", GROUP, _("未完了のやること"), count, moment=True,
        note=_("年度末（今年度は今日）に終わっていないやること"),
    ),
    *(
        Indicator(
            f"councils.attendance.{sector}", SECTORS, sector.label, count, unit=_("人"),
            note=_("年度中の会議に参加したこの分野のメンバーとゲスト（のべ人数）"),
        )
        for sector in Sector
    ),
)  # fmt: skip
