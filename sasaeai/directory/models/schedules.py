"""When activities meet (HSDS schedule), and a schedule told in words."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited

from .activities import Activity


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("毎週")
    MONTHLY_NTH = "monthly_nth", _("毎月 第◯◯曜日")
    MONTHLY_DATE = "monthly_date", _("毎月 ◯日")
    IRREGULAR = "irregular", _("不定期")


WEEKDAYS = ["月", "火", "水", "木", "金", "土", "日"]
DAYPARTS = {1: _("午前"), 2: _("午後"), 4: _("夕方・夜")}


class Schedule(Audited):
    """When an activity meets (HSDS schedule: WEEKLY byday / MONTHLY byday or bymonthday)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="schedules")
    frequency = models.CharField(_("くり返し"), max_length=16, choices=Frequency.choices)
    weekdays = models.CharField(
        _("曜日"), max_length=20, blank=True, help_text=_("月=0 … 日=6 をカンマ区切り")
    )
    nth = models.PositiveSmallIntegerField(_("第◯"), null=True, blank=True)
    day_of_month = models.PositiveSmallIntegerField(_("日付"), null=True, blank=True)
    opens_at = models.TimeField(_("開始時刻"), null=True, blank=True)
    closes_at = models.TimeField(_("終了時刻"), null=True, blank=True)
    note = models.CharField(_("補足"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("日程")
        verbose_name_plural = _("日程")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.in_words()

    @property
    def audit_area(self) -> Area:
        return self.activity.area

    def weekday_list(self) -> list[int]:
        return weekday_numbers(self.weekdays)

    def weekday_bits(self) -> int:
        return sum(1 << d for d in self.weekday_list() if 0 <= d <= 6)

    def daypart_bits(self) -> int:
        if self.opens_at is None:
            return 0
        start = self.opens_at.hour
        end = self.closes_at.hour if self.closes_at else start
        bits = 0
        if start < 12:
            bits |= 1
        if start < 17 and end >= 12:
            bits |= 2
        if end >= 17 or start >= 17:
            bits |= 4
        return bits

    def in_words(self) -> str:
        """毎週水曜 / 毎月第2水曜 / 毎月15日 / 不定期, then the hours: 14:00〜16:00."""
        return schedule_in_words(*(getattr(self, name) for name in SCHEDULE_WORDS))


def weekday_numbers(weekdays: str) -> list[int]:
    """ "2,0" -> [0, 2] (月=0 … 日=6)."""
    return sorted({int(d) for d in weekdays.split(",") if d.strip().isdigit()})


# The columns a schedule is told from, in the order `schedule_in_words` takes them.
SCHEDULE_WORDS = ("frequency", "weekdays", "nth", "day_of_month", "opens_at", "closes_at", "note")


def schedule_in_words(
    frequency: str,
    weekdays: str,
    nth: int | None,
    day_of_month: int | None,
    opens_at: dt.time | None,
    closes_at: dt.time | None,
    note: str,
) -> str:
    """`Schedule.in_words` from the columns alone: lists of results read them as values."""
    days = "・".join(WEEKDAYS[d] for d in weekday_numbers(weekdays) if 0 <= d <= 6)
    if frequency == Frequency.WEEKLY:
        when = f"毎週{days}曜" if days else "毎週"
    elif frequency == Frequency.MONTHLY_NTH:
        when = f"毎月第{nth}{days}曜" if nth else f"毎月{days}曜"
    elif frequency == Frequency.MONTHLY_DATE:
        when = f"毎月{day_of_month}日"
    else:
        when = "不定期"
    if opens_at:
        end = f"{closes_at:%H:%M}" if closes_at else ""
        when += f" {opens_at:%H:%M}〜{end}"
    if note:
        when += f"（{note}）"
    return when
