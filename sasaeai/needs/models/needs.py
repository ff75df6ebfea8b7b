"""Needs (困りごと・地域ニーズ): what residents, meetings and SC visits bring to light.

A need belongs to one area and one kind of the municipality's editable taxonomy. It moves
new → discussed (at a council meeting) → one of the outcomes, and may be reopened; every
step is a NeedEvent row, so the timeline is the record, not a reconstruction.

No health or care details belong here: those go to a referral (with consent).
Survey answers (surveys.py), helpers and matches link to Need; nothing here assumes they exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited
from sasaeai.councils.models import Meeting
from sasaeai.directory.models import Activity, Kind
from sasaeai.lib.history import Step
from sasaeai.lib.paths import under


class NeedKindQuerySet(models.QuerySet["NeedKind"]):
    def of(self, municipality: Area) -> NeedKindQuerySet:
        return self.filter(municipality=municipality)


class NeedKind(Audited):
    """A term of the municipality's taxonomy of needs, with the activity kinds that answer it."""

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("コード"), max_length=40)
    name = models.CharField(_("名称"), max_length=60)
    kana = models.CharField(_("よみがな"), max_length=120, blank=True)
    sort_order = models.PositiveIntegerField(_("並び順"), default=0)
    activity_kinds = models.ManyToManyField(
        Kind,
        blank=True,
        related_name="need_kinds",
        verbose_name=_("この困りごとに応えうる活動の種類"),
    )

    objects = NeedKindQuerySet.as_manager()

    class Meta:
        verbose_name = _("困りごとの種類")
        verbose_name_plural = _("困りごとの種類")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="needkind_code_per_muni")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_area(self) -> Area:
        return self.municipality


class Source(models.TextChoices):
    RESIDENT = "resident", _("住民から")
    MEETING = "meeting", _("支え合い会議で")
    SURVEY = "survey", _("アンケートから")
    SC_VISIT = "sc_visit", _("SCの訪問・聞き取り")
    HOUKATSU = "houkatsu", _("おとしより相談センター（包括）から")
    OTHER = "other", _("その他")


class Urgency(models.IntegerChoices):
    LOW = 1, _("急がない")
    NORMAL = 2, _("ふつう")
    HIGH = 3, _("急ぐ")


class Status(models.TextChoices):
    NEW = "new", _("未対応")
    DISCUSSED = "discussed", _("話し合った")
    MET_BY_ACTIVITY = "met_by_activity", _("今ある活動につないだ")
    NEW_ACTIVITY = "new_activity_started", _("新しい活動が始まった")
    REFERRED = "referred", _("専門職・専門機関へつないだ")
    CANNOT_BE_MET = "cannot_be_met", _("今は対応できない")


OPEN_STATUSES = frozenset({Status.NEW, Status.DISCUSSED})
CLOSED_STATUSES = frozenset(set(Status) - OPEN_STATUSES)
# The outcomes that answer a need (今は対応できない answers nothing): a need is met on the day
# a step takes it to one of them.
MET_STATUSES = frozenset({Status.MET_BY_ACTIVITY, Status.NEW_ACTIVITY, Status.REFERRED})

# The steps staff may take, what the choice says, and what each step must record.
TRANSITIONS: dict[str, dict[str, Any]] = {
    Status.DISCUSSED: {"from": OPEN_STATUSES, "needs": set()},
    Status.MET_BY_ACTIVITY: {"from": OPEN_STATUSES, "needs": {"activity"}},
    Status.NEW_ACTIVITY: {"from": OPEN_STATUSES, "needs": set()},
    Status.REFERRED: {"from": OPEN_STATUSES, "needs": {"referred_to"}},
    Status.CANNOT_BE_MET: {"from": OPEN_STATUSES, "needs": {"note"}},
}


class NeedQuerySet(models.QuerySet["Need"]):
    def of(self, municipality: Area) -> NeedQuerySet:
        return self.filter(municipality=municipality)

    def within(self, area: Area) -> NeedQuerySet:
        return self.filter(under(area.path, "area__path"))

    def open(self) -> NeedQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def unseen(self) -> NeedQuerySet:
        """Sent from the public form and not yet opened by staff: shown as 新着."""
        return self.filter(seen_at__isnull=True)

    def reported_between(self, start: dt.date | None, end: dt.date | None) -> NeedQuerySet:
        queryset = self
        if start is not None:
            queryset = queryset.filter(reported_on__gte=start)
        if end is not None:
            queryset = queryset.filter(reported_on__lte=end)
        return queryset

    def met_between(self, start: dt.date | None, end: dt.date | None) -> NeedQuerySet:
        """Needs a step took to an answer (MET_STATUSES) between these days: once each, however
        often they were met (reopened between)."""
        steps = NeedEvent.objects.filter(need=models.OuterRef("pk"), status__in=MET_STATUSES)
        if start is not None:
            steps = steps.filter(on__gte=start)
        if end is not None:
            steps = steps.filter(on__lte=end)
        return self.filter(models.Exists(steps))

    def narrowed(self, chosen: dict[str, Any]) -> NeedQuerySet:
        """As the staff list's filter form (needs.forms.FilterForm) narrows them, from its
        cleaned data: area, kind, status ("open": every open one), 新着 only, and the days
        reported or met between."""
        queryset: NeedQuerySet = self
        if chosen["area"]:
            queryset = queryset.within(chosen["area"])
        if chosen["kind"]:
            queryset = queryset.filter(kind=chosen["kind"])
        if chosen["status"] == "open":
            queryset = queryset.open()
        elif chosen["status"]:
            queryset = queryset.filter(status=chosen["status"])
        if chosen["new_only"]:
            queryset = queryset.unseen()
        if chosen["dated"] == "met":
            return queryset.met_between(chosen["start"], chosen["end"])
        return queryset.reported_between(chosen["start"], chosen["end"])


class Need(Audited):
    audit_exclude = frozenset({"updated_at", "seen_at"})

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="needs", verbose_name=_("地域")
    )
    kind = models.ForeignKey(
        NeedKind, on_delete=models.PROTECT, related_name="needs", verbose_name=_("種類")
    )
    what = models.TextField(_("困りごとの内容"), max_length=2000)
    source = models.CharField(
        _("どこから"), max_length=16, choices=Source.choices, default=Source.RESIDENT
    )
    people_count = models.PositiveIntegerField(_("困っている人のおよその人数"), default=1)
    urgency = models.PositiveSmallIntegerField(
        _("急ぎ具合"), choices=Urgency.choices, default=Urgency.NORMAL
    )
    reported_on = models.DateField(_("受け付けた日"), default=timezone.localdate)
    # A reporter is named only with their consent; the database refuses a name without it.
    reporter_consent = models.BooleanField(
        _("本人が名前と連絡先を残すことに同意している"), default=False
    )
    reporter_name = models.CharField(_("知らせてくれた人の名前"), max_length=60, blank=True)
    reporter_contact = models.CharField(
        _("知らせてくれた人の連絡先（電話かメール）"), max_length=120, blank=True
    )
    consent_recorded_at = models.DateTimeField(_("同意を記録した日時"), null=True, blank=True)
    # Reference number (N-2026-0042); a public sender also gets the check digits after it.
    number_year = models.PositiveSmallIntegerField(editable=False)
    number_seq = models.PositiveIntegerField(editable=False)
    receipt = models.CharField(_("受付番号"), max_length=24, editable=False)
    status = models.CharField(_("状態"), max_length=24, choices=Status.choices, default=Status.NEW)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("話し合った会議"),
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("つないだ活動・始まった活動"),
    )
    referred_to = models.CharField(_("つないだ先"), max_length=200, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("困りごと")
        verbose_name_plural = _("困りごと")
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "number_year", "number_seq"], name="need_number_per_muni"
            ),
            models.CheckConstraint(
                condition=models.Q(reporter_consent=True)
                | models.Q(reporter_name="", reporter_contact=""),
                name="need_reporter_needs_consent",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "reported_on"], name="need_muni_reported"),
            models.Index(fields=["area", "status", "reported_on"], name="need_area_status"),
            models.Index(fields=["area", "seen_at"], name="need_area_seen"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.kind}"

    def get_absolute_url(self) -> str:
        return reverse("needs_staff:detail", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The tenant column follows the area, so no need can sit in another's tree.
        self.municipality = self.area.municipality or self.area
        super().save(*args, **kwargs)

    @property
    def number(self) -> str:
        """The reference staff use: N-2026-0042."""
        return f"N-{self.number_year}-{self.number_seq:04d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_new_arrival(self) -> bool:
        return self.seen_at is None

    def allowed_transitions(self) -> list[tuple[str, str]]:
        return [
            (s, str(Status(s).label)) for s, t in TRANSITIONS.items() if self.status in t["from"]
        ]


class EventAction(models.TextChoices):
    CREATED = "created", _("受付")
    MOVED = "moved", _("状態の変更")
    REOPENED = "reopened", _("再開")
    INTRODUCED = "introduced", _("紹介")


class NeedEvent(Step, Audited):
    """One dated step of a need's path: who did it (Step), when, and what it linked to."""

    nobody_name = _("住民（受付フォーム）")  # a step without a signed-in user: the public form

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("できごと"), max_length=12, choices=EventAction.choices)
    status = models.CharField(_("この後の状態"), max_length=24, choices=Status.choices)
    on = models.DateField(_("日付"), default=timezone.localdate)
    # Step's, with the label this table was first made with.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("記録した人"),
    )
    note = models.TextField(_("メモ"), max_length=1000, blank=True)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    referred_to = models.CharField(_("つないだ先"), max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("困りごとの経過")
        verbose_name_plural = _("困りごとの経過")
        ordering = ["on", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.on} {self.get_action_display()} {self.get_status_display()}"

    @property
    def audit_area(self) -> Area:
        return self.need.area
