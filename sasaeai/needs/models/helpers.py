"""Helpers (担い手), activities looking for peers (仲間募集) and introductions (紹介).

A helper's name and contact are personal data: only staff who may edit the helper's area see
them, never a public page. A helper who asks to be removed keeps an anonymous row (area,
kinds, when) so the counts stay right; the personal fields are erased and the database
refuses a removed helper that still has them.
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
from sasaeai.directory.models import Activity

from .needs import Need, NeedEvent, NeedKind

WEEKDAYS = ["月", "火", "水", "木", "金", "土", "日"]
DAYPARTS = [(1, _("午前")), (2, _("午後")), (4, _("夕方・夜"))]
# Stored points are rounded to this many decimals (about 100 m): near enough for a distance,
# never a house.
POINT_DECIMALS = 3


class ConsentHow(models.TextChoices):
    WEB_FORM = "web_form", _("本人が受付フォームで登録")
    PAPER = "paper", _("本人が用紙に記入")
    SPOKEN = "spoken", _("本人から口頭で聞き取り")


class HelperQuerySet(models.QuerySet["Helper"]):
    def of(self, municipality: Area) -> HelperQuerySet:
        return self.filter(municipality=municipality)

    def active(self) -> HelperQuerySet:
        return self.filter(removed_at__isnull=True)


class Helper(Audited):
    """Someone who offers time or skills: what, where, when, and how to reach them."""

    audit_exclude = frozenset({"updated_at"})

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="helpers", verbose_name=_("地域")
    )
    kinds = models.ManyToManyField(
        NeedKind, blank=True, related_name="helpers", verbose_name=_("手伝えること（種類）")
    )
    what = models.TextField(_("できること・得意なこと"), max_length=1000, blank=True)
    weekday_bits = models.PositiveSmallIntegerField(_("曜日"), default=0)
    daypart_bits = models.PositiveSmallIntegerField(_("時間帯"), default=0)
    latitude = models.FloatField(_("おおよその緯度"), null=True, blank=True)
    longitude = models.FloatField(_("おおよその経度"), null=True, blank=True)
    name = models.CharField(_("お名前"), max_length=60, blank=True)
    contact = models.CharField(_("連絡先（電話かメール）"), max_length=120, blank=True)
    consent_how = models.CharField(
        _("同意の取り方"), max_length=12, choices=ConsentHow.choices, default=ConsentHow.WEB_FORM
    )
    consent_at = models.DateTimeField(_("同意を記録した日時"), default=timezone.now)
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("同意を記録した人"),
    )  # fmt: skip
    consent_by_name = models.CharField(_("同意を記録した人"), max_length=100, blank=True)
    number_year = models.PositiveSmallIntegerField(editable=False)
    number_seq = models.PositiveIntegerField(editable=False)
    receipt = models.CharField(_("登録番号"), max_length=24, editable=False)
    removal_requested_at = models.DateTimeField(_("削除の依頼"), null=True, blank=True)
    removed_at = models.DateTimeField(_("削除した日時"), null=True, blank=True)
    seen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HelperQuerySet.as_manager()

    class Meta:
        verbose_name = _("担い手")
        verbose_name_plural = _("担い手")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "number_year", "number_seq"], name="helper_number_per_muni"
            ),
            models.CheckConstraint(
                condition=models.Q(removed_at__isnull=True)
                | models.Q(name="", contact="", what="", latitude__isnull=True),
                name="helper_removed_is_anonymous",
            ),
        ]
        indexes = [
            # Matching reads an area's active helpers; the list reads them newest first.
            models.Index(fields=["area", "removed_at", "id"], name="helper_area_active"),
            models.Index(fields=["municipality", "receipt"], name="helper_receipt"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("needs_staff:helper", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.municipality = self.area.municipality or self.area
        if self.latitude is not None:
            self.latitude = round(self.latitude, POINT_DECIMALS)
        if self.longitude is not None:
            self.longitude = round(self.longitude, POINT_DECIMALS)
        super().save(*args, **kwargs)

    @property
    def number(self) -> str:
        return f"H-{self.number_year}-{self.number_seq:04d}"

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None

    def when_in_words(self) -> str:
        return when_in_words(self.weekday_bits, self.daypart_bits)


def when_in_words(weekday_bits: int, daypart_bits: int) -> str:
    """水・金曜の午後 / 毎日 / 午前 — or "" when nothing is known."""
    days = "・".join(WEEKDAYS[d] for d in range(7) if weekday_bits & (1 << d))
    parts = "・".join(str(label) for bit, label in DAYPARTS if daypart_bits & bit)
    if days and parts:
        return f"{days}曜の{parts}"
    return f"{days}曜" if days else parts


class LookingFor(models.TextChoices):
    MEMBERS = "members", _("参加する仲間")
    HELPERS = "helpers", _("運営を手伝う人（担い手）")


class PeerCallQuerySet(models.QuerySet["PeerCall"]):
    def open(self, today: dt.date | None = None) -> PeerCallQuerySet:
        today = today or timezone.localdate()
        return self.filter(models.Q(until__isnull=True) | models.Q(until__gte=today))

    def shown_publicly(self, municipality: Area) -> PeerCallQuerySet:
        """Open calls of the municipality's published public activities (仲間募集)."""
        public = Activity.objects.of(municipality).public()
        return self.open().filter(activity__in=public)


class PeerCall(Audited):
    """An activity says it is looking for members or helpers (仲間募集)."""

    audit_exclude = frozenset({"updated_at"})

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="peer_calls", verbose_name=_("活動")
    )
    # The activity's area, copied on save: matching reads an area's open calls from an index
    # instead of joining every activity of the area. Access still goes by the activity.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", editable=False)
    looking_for = models.CharField(
        _("募集するのは"), max_length=8, choices=LookingFor.choices, default=LookingFor.MEMBERS
    )
    what = models.CharField(_("どんな人・どんなこと"), max_length=200)
    when = models.CharField(_("いつ"), max_length=100, blank=True)
    until = models.DateField(_("募集の締め切り"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The version its edit form carries (lib/optimistic.py).
    updated_at = models.DateTimeField(auto_now=True)

    objects = PeerCallQuerySet.as_manager()

    class Meta:
        verbose_name = _("仲間募集")
        verbose_name_plural = _("仲間募集")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["activity", "until"], name="peercall_activity_until"),
            models.Index(fields=["area", "looking_for", "until"], name="peercall_area_open"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.what}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.area_id = self.activity.area_id
        super().save(*args, **kwargs)

    @property
    def audit_area(self) -> Area:
        return self.activity.area


class Outcome(models.TextChoices):
    PENDING = "pending", _("紹介した（結果待ち）")
    CONNECTED = "connected", _("つながった")
    DECLINED = "declined", _("見送り")
    NO_CONTACT = "no_contact", _("連絡がつかなかった")


class Introduction(Audited):
    """An SC put a need (or a helper) in touch with an activity or a helper."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    need = models.ForeignKey(
        Need, on_delete=models.CASCADE, null=True, blank=True, related_name="introductions"
    )
    helper = models.ForeignKey(
        Helper, on_delete=models.SET_NULL, null=True, blank=True, related_name="introductions"
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.SET_NULL, null=True, blank=True, related_name="introductions"
    )
    peer_call = models.ForeignKey(
        PeerCall, on_delete=models.SET_NULL, null=True, blank=True, related_name="introductions"
    )
    event = models.OneToOneField(
        NeedEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="introduction"
    )
    on = models.DateField(_("紹介した日"), default=timezone.localdate)
    outcome = models.CharField(
        _("結果"), max_length=12, choices=Outcome.choices, default=Outcome.PENDING
    )
    reasons = models.CharField(_("提案の理由"), max_length=200, blank=True)
    note = models.TextField(_("メモ"), max_length=1000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    by_name = models.CharField(_("記録した人"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("紹介")
        verbose_name_plural = _("紹介")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["area", "on"], name="introduction_area_on")]

    def __str__(self) -> str:
        return f"{self.on} {self.get_outcome_display()}"
