"""Demo forum charts: a few regions' sessions over two years (the hands counted at a forum or
a council meeting, closed, kept with the region and, where the demo has one near the day, the
council's meeting), and one session of 高島平 still open, so the tally can be tried."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from sasaeai.accounts.models import User
from sasaeai.areas.models import Area
from sasaeai.councils.models import Meeting

from . import chart_services
from .models import ChartAnswer, ChartCell, ChartRow, ForumChart

# Region, the session's name, and the months before today of its sessions.
SESSIONS = [
    ("takashimadaira", "高島平 支え合いフォーラム", (22, 10)),
    ("tokumaru", "徳丸 地域の集い", (20, 8)),
    ("hasune", "蓮根 支え合いフォーラム", (18, 6)),
    ("oyaguchi", "大谷口 助け合い見える化の会", (14, 3)),
]
OPEN_ONE = ("takashimadaira", "高島平 支え合い会議（見える化チャート）")
# The room's hands, roughly: many know a 地縁組織, many want a 居場所 or paid help.
BASE = {
    ChartRow.NEIGHBOURHOOD: (14, 4, 3), ChartRow.GATHERING: (6, 12, 7),
    ChartRow.VOLUNTEER: (5, 8, 6), ChartRow.PAID: (2, 11, 3),
}  # fmt: skip


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(year, month + 1, min(day.day, 28))


def build_charts(municipality: Area, today: dt.date | None = None, seed: int = 27) -> int:
    """The demo charts (once: nothing when the municipality has charts); how many were made."""
    if ForumChart.objects.of(municipality).exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed)
    opener = User.objects.filter(email="sc@demo.sasaeai.jp").first()
    areas = {a.code: a for a in Area.objects.of(municipality)}
    made = 0
    for code, name, months in SESSIONS:
        region = areas.get(code)
        if region is None:
            continue
        for step, ago in enumerate(months):
            day = _months_before(today, ago)
            chart = _chart(region, f"{name} {day.year}", day, opener)
            _fill(chart, rng, grown=step)
            chart_services.close(chart)
            made += 1
    code, name = OPEN_ONE
    if code in areas:
        _chart(areas[code], name, today, opener)
        made += 1
    return made


def _chart(region: Area, title: str, day: dt.date, opener: User | None) -> ForumChart:
    """A chart of the region, at its council's meeting nearest before `day` when there is one
    within a month (its day then)."""
    meeting = (
        Meeting.objects.filter(council__area=region, date__lte=day,
                               date__gte=day - dt.timedelta(days=31))
        .order_by("-date").first()
    )  # fmt: skip
    chart = ForumChart(area=region, title=title, held_on=meeting.date if meeting else day,
                       meeting=meeting)  # fmt: skip
    return chart_services.open_chart(chart, by=opener)


def _fill(chart: ForumChart, rng: random.Random, grown: int) -> None:
    """Counts around BASE; a later session has a few more hands for ある and 参加したい (the
    region's activities grew)."""
    cells = list(ChartCell.objects.filter(chart=chart))
    for cell in cells:
        have, want, join = BASE[ChartRow(cell.row)]
        base = {ChartAnswer.HAVE: have, ChartAnswer.WANT: want, ChartAnswer.JOIN: join}
        growth = grown * (3 if cell.answer != ChartAnswer.WANT else -1)
        cell.count = max(0, base[ChartAnswer(cell.answer)] + growth + rng.randint(-2, 3))
    ChartCell.objects.bulk_update(cells, ["count"])
