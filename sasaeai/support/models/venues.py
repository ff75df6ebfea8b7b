"""The register of venues (施設・場所) and professionals (専門職) the ward side lends, and
their bookings."""

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

from .requests import SupportRequest


class VenueKind(models.TextChoices):
    VENUE = "venue", _("施設・場所")
    PROFESSIONAL = "professional", _("専門職")


class VenueQuerySet(models.QuerySet["Venue"]):
    def of(self, municipality: Area) -> VenueQuerySet:
        return self.filter(municipality=municipality)

    def active(self) -> VenueQuerySet:
        return self.filter(is_active=True)


class Venue(Audited):
    """One entry of the register: a room or hall, or a professional who can be sent."""

    audit_exclude = frozenset({"updated_at"})

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="support_venues", verbose_name=_("地域")
    )
    kind = models.CharField(
        _("種類"), max_length=12, choices=VenueKind.choices, default=VenueKind.VENUE
    )
    name = models.CharField(_("名前"), max_length=120)
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    latitude = models.FloatField(_("緯度"), null=True, blank=True)
    longitude = models.FloatField(_("経度"), null=True, blank=True)
    specialty = models.CharField(
        _("専門（専門職のとき）"), max_length=200, blank=True,
        help_text=_("例: 理学療法士（10の筋トレの指導）"),
    )  # fmt: skip
    capacity = models.PositiveIntegerField(_("定員（人）"), null=True, blank=True)
    notes = models.TextField(_("備考"), max_length=2000, blank=True)
    is_active = models.BooleanField(_("貸し出している"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VenueQuerySet.as_manager()

    class Meta:
        verbose_name = _("貸し出せる施設・専門職")
        verbose_name_plural = _("貸し出せる施設・専門職")
        ordering = ["kind", "area__sort_order", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="venue_name_per_area"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("support_staff:venue", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.municipality = self.area.municipality or self.area
        super().save(*args, **kwargs)


class BookingQuerySet(models.QuerySet["Booking"]):
    def overlapping(self, starts_at: dt.datetime, ends_at: dt.datetime) -> BookingQuerySet:
        """Bookings sharing any moment with [starts_at, ends_at): one may start as another ends."""
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)

    def upcoming(self, now: dt.datetime | None = None) -> BookingQuerySet:
        return self.filter(ends_at__gt=now or timezone.now())

    def in_month(self, first: dt.date) -> BookingQuerySet:
        """Bookings touching the month that starts on `first` (Asia/Tokyo days)."""
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(first, dt.time(), tzinfo=tz)
        following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        end = dt.datetime.combine(following, dt.time(), tzinfo=tz)
        return self.overlapping(start, end)


class Booking(Audited):
    """A register entry taken for a time, perhaps to answer a request."""

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("施設・専門職")
    )
    starts_at = models.DateTimeField(_("開始"))
    ends_at = models.DateTimeField(_("終了"))
    purpose = models.CharField(_("使いみち"), max_length=120)
    request = models.ForeignKey(
        SupportRequest, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="bookings", verbose_name=_("応援の依頼"),
    )  # fmt: skip
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("予約した人"),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("予約")
        verbose_name_plural = _("予約")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after"
            ),
        ]
        indexes = [models.Index(fields=["venue", "starts_at"], name="booking_venue_start")]

    def __str__(self) -> str:
        return f"{self.venue} {self.when}"

    @property
    def audit_area(self) -> Area:
        return self.venue.area

    @property
    def when(self) -> str:
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        if start.date() == end.date():
            return f"{start:%Y年}{start.month}月{start.day}日 {start:%H:%M}〜{end:%H:%M}"
        return (
            f"{start:%Y年}{start.month}月{start.day}日 {start:%H:%M}〜"
            f"{end.month}月{end.day}日 {end:%H:%M}"
        )
