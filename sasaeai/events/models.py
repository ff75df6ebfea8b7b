"""Skill-up events for SCs: trainings, liaison meetings and outside events.

An event belongs to the area it is for: the municipality (every SC), one block or one
region. Staff who may edit that area manage it; the SCs of that area register. Kinds and
the year's plan are per municipality (data, not code).
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.accounts.models import Role
from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited
from sasaeai.lib.fiscal import fiscal_year_bounds, fiscal_year_of
from sasaeai.lib.notices import NoticeBase, recipient

from .happenings import HappeningQuerySet

# Who takes part in events (registers, is notified): the coordinators.
PARTICIPANT_ROLES = (Role.REGION_SC, Role.BLOCK_SC)


def when_text(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    """The date and time as Japanese readers expect: 2026年12月3日（木）14:00〜16:00."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    day = formats.date_format(start, "Y年n月j日（D）")
    if end.date() == start.date():
        return f"{day}{start:%H:%M}〜{end:%H:%M}"
    return f"{day}{start:%H:%M}〜{formats.date_format(end, 'n月j日（D）')}{end:%H:%M}"


class EventKind(Audited):
    """A kind of event (研修会, 連絡会, outside events…), editable per municipality."""

    audit_exclude = frozenset({"updated_at"})

    municipality = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("自治体")
    )
    code = models.SlugField(_("コード"), max_length=40)
    name = models.CharField(_("名称"), max_length=100)
    per_block = models.BooleanField(
        _("ブロックごとに数える"),
        default=False,
        help_text=_("年度計画の回数をブロックごとに数えます（ブロック連絡会など）。"),
    )
    outside = models.BooleanField(_("外部の催し"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("並び順"), default=0)
    # The version its edit form carries (lib/optimistic.py).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("催しの種類")
        verbose_name_plural = _("催しの種類")
        ordering = ["sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="eventkind_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_area(self) -> Area:
        return self.municipality


class EventQuerySet(HappeningQuerySet["Event"]):
    def in_fiscal_year(self, year: int) -> EventQuerySet:
        start, end = fiscal_year_bounds(year)
        return self.filter(starts_at__gte=start, starts_at__lt=end)

    def public(self) -> EventQuerySet:
        return self.published().filter(is_public=True)

    def going_ahead(self) -> EventQuerySet:
        """Not called off: what plans and attendance count."""
        return self.filter(cancelled_at__isnull=True)

    def called_off(self) -> EventQuerySet:
        return self.filter(cancelled_at__isnull=False)

    def for_participant_paths(self, paths: list[str]) -> EventQuerySet:
        """Published events meant for an SC whose areas are `paths`: events of those areas
        or of any area above them (their block, the whole municipality)."""
        above: set[str] = set()
        for path in paths:
            parts = path.split("/")
            above.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
        return self.published().filter(area__path__in=sorted(above))


class Event(Audited):
    audit_exclude = frozenset({"updated_at"})

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        related_name="sc_events",
        verbose_name=_("対象"),
        help_text=_("区全体（すべてのSC）、ブロック、または地域を選びます。"),
    )
    kind = models.ForeignKey(
        EventKind, on_delete=models.PROTECT, related_name="events", verbose_name=_("種類")
    )
    title = models.CharField(_("名称"), max_length=200)
    organiser = models.CharField(_("主催"), max_length=200)
    starts_at = models.DateTimeField(_("開始日時"))
    ends_at = models.DateTimeField(_("終了日時"))
    venue = models.CharField(_("会場"), max_length=200, blank=True)
    address = models.CharField(_("会場の住所"), max_length=300, blank=True)
    latitude = models.FloatField(_("緯度"), null=True, blank=True)
    longitude = models.FloatField(_("経度"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("定員"), null=True, blank=True, help_text=_("空欄なら定員なし。")
    )
    deadline = models.DateTimeField(
        _("申込締切"), null=True, blank=True, help_text=_("空欄なら開始まで申し込めます。")
    )
    description = models.TextField(_("内容"), blank=True)
    is_public = models.BooleanField(
        _("公開カレンダーに載せる"), default=False, help_text=_("誰でも見られる予定表に出します。")
    )
    how_to_apply = models.TextField(
        _("申込み方法（公開ページ用）"),
        blank=True,
        help_text=_(
            "公開カレンダーに載せるとき、区民の方に向けて申込み方法と問い合わせ先を書きます。"
        ),
    )
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("中止日時"), null=True, blank=True, editable=False)
    cancel_reason = models.CharField(_("中止の理由"), max_length=300, blank=True, editable=False)
    # iCalendar SEQUENCE: raised on every change a subscribed calendar must pick up.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("研修・連絡会")
        verbose_name_plural = _("研修・連絡会")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["municipality", "starts_at"], name="event_muni_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events_staff:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def closes_at(self) -> dt.datetime:
        """When registration closes: the deadline, or the start when there is none."""
        return self.deadline or self.starts_at

    def is_open(self, now: dt.datetime | None = None) -> bool:
        return (
            self.is_published and not self.is_cancelled and (now or timezone.now()) < self.closes_at
        )

    @property
    def fiscal_year(self) -> int:
        return fiscal_year_of(self.starts_at)

    @property
    def when(self) -> str:
        return when_text(self.starts_at, self.ends_at)

    @property
    def has_point(self) -> bool:
        return self.latitude is not None and self.longitude is not None


def material_path(material: Material, filename: str) -> str:
    # A random folder: file names are not guessable even though media is served by path.
    return f"events/{material.event_id}/{secrets.token_hex(8)}/{filename}"


class Material(Audited):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("資料名"), max_length=200)
    file = models.FileField(_("ファイル"), upload_to=material_path, max_length=300)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("資料")
        verbose_name_plural = _("資料")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_area(self) -> Area:
        return self.event.area


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("申込済み")
    WAITING = "waiting", _("キャンセル待ち")
    CANCELLED = "cancelled", _("取消し")


class RegistrationQuerySet(models.QuerySet["Registration"]):
    def registered(self) -> RegistrationQuerySet:
        return self.filter(status=RegistrationStatus.REGISTERED)

    def waiting(self) -> RegistrationQuerySet:
        return self.filter(status=RegistrationStatus.WAITING).order_by("applied_at", "pk")

    def attended(self) -> RegistrationQuerySet:
        return self.filter(status=RegistrationStatus.REGISTERED, attended=True)

    def queue_positions(self) -> dict[int, int]:
        """Each waiting registration's place in its event's queue (1 = next in line), by pk.
        Call it on every registration of the events concerned, not one person's."""
        positions: dict[int, int] = {}
        seen: dict[int, int] = {}
        rows = self.waiting().order_by("event_id", "applied_at", "pk").values_list("pk", "event_id")
        for pk, event_id in rows:
            seen[event_id] = positions[pk] = seen.get(event_id, 0) + 1
        return positions


class Registration(Audited):
    """One SC's place at an event (or on its waiting list, in order of `applied_at`)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(_("状態"), max_length=16, choices=RegistrationStatus.choices)
    applied_at = models.DateTimeField(_("申込日時"), default=timezone.now)
    attended = models.BooleanField(_("出席"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("申込み")
        verbose_name_plural = _("申込み")
        ordering = ["applied_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="registration_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.event} / {self.user}"

    @property
    def audit_area(self) -> Area:
        return self.event.area


class NoticeReason(models.TextChoices):
    PUBLISHED = "published", _("新しい催しのお知らせ")
    PROMOTED = "promoted", _("キャンセル待ちから参加が決まりました")
    CANCELLED = "cancelled", _("中止になりました")


class Notice(NoticeBase):
    """An in-app "there is news" marker for one user and one event."""

    user = recipient("event_notices")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notices")
    reason = models.CharField(max_length=16, choices=NoticeReason.choices)

    class Meta(NoticeBase.Meta):
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="eventnotice_user_read")]
        constraints = [
            # The announcement reaches each person once, however often the task runs.
            models.UniqueConstraint(
                fields=["user", "event"],
                condition=models.Q(reason="published"),
                name="eventnotice_published_once",
            ),
            models.UniqueConstraint(
                fields=["user", "event"],
                condition=models.Q(reason="cancelled"),
                name="eventnotice_cancelled_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.event_id} {self.reason}"


class PlanTarget(Audited):
    """The year's plan for one kind: between min_count and max_count events (per block when
    the kind counts per block)."""

    audit_exclude = frozenset({"updated_at"})

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.ForeignKey(EventKind, on_delete=models.CASCADE, related_name="targets")
    min_count = models.PositiveSmallIntegerField(_("最少回数"), default=0)
    max_count = models.PositiveSmallIntegerField(_("最多回数"), default=0)
    # The year's plan is saved as a whole: its version is the latest of its rows' (every save
    # writes each row it keeps), which the plan page carries (report_views.plan_edit).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("年度計画")
        verbose_name_plural = _("年度計画")
        ordering = ["fiscal_year", "kind__sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "fiscal_year", "kind"], name="plantarget_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(max_count__gte=models.F("min_count")),
                name="plantarget_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.kind}"

    @property
    def audit_area(self) -> Area:
        return self.municipality


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a person's calendar feed URL; resetting it makes the old URL fail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_calendar"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("カレンダーの合言葉")
        verbose_name_plural = _("カレンダーの合言葉")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.user_id)


# Local events for residents live in their own module; imported here so that Django finds them.
from .local_models import LocalEvent, LocalKind, Signup  # noqa: E402, F401
from .paper_models import EventSheet  # noqa: E402, F401
