"""Meetings: series, agenda items tagged by initiative, attendance, follow-up actions."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited
from sasaeai.directory.models import Activity

from .councils import Council, CouncilMember, Sector

WEEKDAYS = ["月", "火", "水", "木", "金", "土", "日"]


class Initiative(models.TextChoices):
    """The guidebook's initiatives, used to tag agenda items."""

    TSUNAGERU = "tsunageru", _("つなげる")
    TSUNAGARU = "tsunagaru", _("つながる")
    NAKAMA = "nakama", _("仲間探し")
    SHIRU = "shiru", _("知る・調べる")
    TAIKEN = "taiken", _("体験・呼びかけ")
    KIKAN = "kikan", _("関係機関とのつながり")
    RULES = "rules", _("ルールづくり")
    YOBIKAKE = "yobikake", _("地域への呼びかけ")


class MeetingSeries(Audited):
    """A rule such as "the 3rd Thursday of each month" from which single meetings are made."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="series")
    nth = models.PositiveSmallIntegerField(_("第何週"), help_text=_("1〜5"))
    weekday = models.PositiveSmallIntegerField(
        _("曜日"), choices=[(i, f"{d}曜") for i, d in enumerate(WEEKDAYS)]
    )
    starts_at = models.TimeField(_("開始時刻"), null=True, blank=True)
    ends_at = models.TimeField(_("終了時刻"), null=True, blank=True)
    venue = models.CharField(_("会場"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("定例の開催日")
        verbose_name_plural = _("定例の開催日")

    def __str__(self) -> str:
        return f"毎月第{self.nth}{WEEKDAYS[self.weekday]}曜"

    @property
    def audit_area(self) -> Area:
        return self.council.area

    def dates(self, start: dt.date, months: int) -> list[dt.date]:
        """The meeting days of `months` months from the month of `start`, not before it."""
        days = []
        year, month = start.year, start.month
        for _i in range(months):
            day = nth_weekday(year, month, self.nth, self.weekday)
            if day is not None and day >= start:
                days.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return days


def nth_weekday(year: int, month: int, nth: int, weekday: int) -> dt.date | None:
    """The nth given weekday of a month, or None when the month has no such day."""
    first = dt.date(year, month, 1)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    return day if day.month == month else None


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def held(self, today: dt.date | None = None) -> MeetingQuerySet:
        return self.filter(date__lte=today or timezone.localdate())

    def upcoming(self, today: dt.date | None = None) -> MeetingQuerySet:
        return self.filter(date__gt=today or timezone.localdate())

    def with_public_summary(self) -> MeetingQuerySet:
        from .minutes import Minutes, MinutesStatus

        approved = Minutes.objects.filter(
            meeting=models.OuterRef("pk"), status=MinutesStatus.APPROVED
        )
        return self.filter(summary_published=True).filter(models.Exists(approved))


class Meeting(Audited):
    audit_exclude = frozenset({"updated_at"})

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="meetings")
    number = models.PositiveIntegerField(_("回"), editable=False)
    series = models.ForeignKey(
        MeetingSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    date = models.DateField(_("開催日"))
    starts_at = models.TimeField(_("開始時刻"), null=True, blank=True)
    ends_at = models.TimeField(_("終了時刻"), null=True, blank=True)
    venue = models.CharField(_("会場"), max_length=200, blank=True)
    summary_published = models.BooleanField(_("公開ページに概要を載せる"), default=False)
    # The version its edit forms carry (lib/optimistic.py).
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("会議")
        verbose_name_plural = _("会議")
        ordering = ["-date", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["council", "number"], name="meeting_number_unique")
        ]
        indexes = [models.Index(fields=["council", "date"], name="meeting_council_date")]

    def __str__(self) -> str:
        return f"{self.council.name} 第{self.number}回"

    def get_absolute_url(self) -> str:
        return reverse("councils_staff:meeting", args=[self.pk])

    @property
    def audit_area(self) -> Area:
        return self.council.area

    @property
    def title(self) -> str:
        return f"第{self.number}回"


class AgendaItem(Audited):
    audit_exclude = frozenset({"updated_at"})

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("順番"), default=0)
    title = models.CharField(_("議題"), max_length=200)
    initiatives = models.CharField(_("取組み"), max_length=200, blank=True)
    activities = models.ManyToManyField(
        Activity, blank=True, related_name="agenda_items", verbose_name=_("関係する活動")
    )
    public = models.BooleanField(_("公開する概要に載せる"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("議題")
        verbose_name_plural = _("議題")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_area(self) -> Area:
        return self.meeting.council.area

    @property
    def initiative_codes(self) -> list[str]:
        return [code for code in self.initiatives.split(",") if code]

    @property
    def initiative_labels(self) -> list[str]:
        labels = dict(Initiative.choices)
        return [str(labels[c]) for c in self.initiative_codes if c in labels]


class Attendance(Audited):
    """Who came: members present, guests counted by sector, and the total."""

    audit_exclude = frozenset({"updated_at"})

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="attendance")
    members = models.ManyToManyField(CouncilMember, blank=True, related_name="attended")
    guests = models.JSONField(_("ゲスト（分野ごとの人数）"), default=dict, blank=True)
    total = models.PositiveIntegerField(_("参加者の合計"), default=0)
    # The version its edit form carries (lib/optimistic.py).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("出席")
        verbose_name_plural = _("出席")

    def __str__(self) -> str:
        return f"{self.meeting} {self.total}"

    @property
    def audit_area(self) -> Area:
        return self.meeting.council.area

    @property
    def guest_count(self) -> int:
        return sum(int(n) for n in self.guests.values())

    def guest_rows(self) -> list[tuple[str, int]]:
        labels = dict(Sector.choices)
        return [(str(labels.get(k, k)), int(n)) for k, n in self.guests.items() if int(n)]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("未完了")
    DONE = "done", _("完了")
    DROPPED = "dropped", _("取りやめ")


class ActionQuerySet(models.QuerySet["ActionItem"]):
    def open(self) -> ActionQuerySet:
        return self.filter(status=ActionStatus.OPEN)

    def overdue(self, today: dt.date | None = None) -> ActionQuerySet:
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def carried_to(self, meeting: Meeting) -> ActionQuerySet:
        """Actions of earlier meetings that were still open when `meeting` was held.

        Computed, not copied: an action stays on each later agenda until it is closed,
        and an old agenda still shows what was open on its day.
        """
        return self.filter(
            meeting__council_id=meeting.council_id, meeting__number__lt=meeting.number
        ).filter(models.Q(closed_on__isnull=True) | models.Q(closed_on__gte=meeting.date))


class ActionItem(Audited):
    """A follow-up agreed at a meeting: what, who, by when, and whether it is done."""

    audit_exclude = frozenset({"updated_at"})

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("議題"),
    )
    what = models.CharField(_("やること"), max_length=300)
    who = models.CharField(_("担当"), max_length=120, blank=True)
    due_on = models.DateField(_("期限"), null=True, blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    closed_on = models.DateField(_("完了・取りやめの日"), null=True, blank=True)
    activities = models.ManyToManyField(
        Activity, blank=True, related_name="council_actions", verbose_name=_("関係する活動")
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("やること（アクション）")
        verbose_name_plural = _("やること（アクション）")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="action_status_due")]

    def __str__(self) -> str:
        return self.what

    @property
    def audit_area(self) -> Area:
        return self.meeting.council.area

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == ActionStatus.OPEN
            and self.due_on is not None
            and self.due_on < timezone.localdate()
        )
