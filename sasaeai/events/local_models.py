"""Local events for residents (地域の催し): a region's 体験会, お試し参加, 交流会 and calls for
helpers (呼びかけ), published by its SC on the public site, with sign-ups that need no account.

A sign-up keeps the least a coordinator needs to reach the person: a name, a phone number or
a mail address, and how many come. Ninety days after the event the nightly job erases those
(`local_services.purge_signups`), keeping only how many came, for the counts.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited

from .happenings import HappeningQuerySet
from .models import RegistrationStatus, when_text

# How long a sign-up's name and contact are kept after the event ends.
KEEP_DAYS = 90
MAX_PEOPLE = 9


class LocalKind(models.TextChoices):
    TAIKEN = "taiken", _("体験会")
    TRIAL = "trial", _("お試し参加")
    SOCIAL = "social", _("交流会")
    CALL = "call", _("担い手の呼びかけ")
    OTHER = "other", _("地域の催し")


class LocalEventQuerySet(HappeningQuerySet["LocalEvent"]):
    def within(self, area: Area) -> LocalEventQuerySet:
        """Events of this area and the regions below it."""
        return self.filter(area__in=Area.objects.within(area))


class LocalEvent(Audited):
    """One local event of a region, for residents: draft → published; may be called off."""

    audit_exclude = frozenset({"updated_at"})

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="local_events", verbose_name=_("地域")
    )
    kind = models.CharField(_("種類"), max_length=16, choices=LocalKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    organiser = models.CharField(
        _("主催"), max_length=200, help_text=_("例: 高島平地域 支え合い会議")
    )
    starts_at = models.DateTimeField(_("開始日時"))
    ends_at = models.DateTimeField(_("終了日時"))
    venue = models.CharField(_("会場"), max_length=200)
    address = models.CharField(_("会場の住所"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(
        _("定員（人）"), null=True, blank=True,
        help_text=_("空欄なら定員なし。いっぱいになると、キャンセル待ちで受け付けます。"),
    )  # fmt: skip
    fee = models.CharField(
        _("参加費"), max_length=100, blank=True, help_text=_("例: 無料、100円（お茶代）")
    )
    bring = models.CharField(
        _("持ち物"), max_length=200, blank=True, help_text=_("例: 動きやすい服装、タオル")
    )
    description = models.TextField(_("内容"), help_text=_("どんな催しか、やさしい言葉で。"))
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(_("中止日時"), null=True, blank=True, editable=False)
    cancel_reason = models.CharField(_("中止の理由"), max_length=300, blank=True, editable=False)
    # iCalendar SEQUENCE: raised on every change a subscribed calendar must pick up.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", editable=False,
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LocalEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("地域の催し")
        verbose_name_plural = _("地域の催し")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["municipality", "starts_at"], name="localevent_muni_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="localevent_ends_after",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events_staff:local_detail", args=[self.pk])

    def public_url(self) -> str:
        return reverse("events:local", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def closes_at(self) -> dt.datetime:
        """Sign-up closes when the event starts."""
        return self.starts_at

    def is_open(self, now: dt.datetime | None = None) -> bool:
        return (
            self.is_published and not self.is_cancelled and (now or timezone.now()) < self.closes_at
        )

    @property
    def when(self) -> str:
        return when_text(self.starts_at, self.ends_at)

    @property
    def has_point(self) -> bool:  # the calendar feed asks; local events give no coordinates
        return False

    @property
    def keep_until(self) -> dt.date:
        """The day the sign-ups' names and contacts are erased."""
        return timezone.localtime(self.ends_at).date() + dt.timedelta(days=KEEP_DAYS)


class SignupQuerySet(models.QuerySet["Signup"]):
    def registered(self) -> SignupQuerySet:
        return self.filter(status=RegistrationStatus.REGISTERED)

    def waiting(self) -> SignupQuerySet:
        return self.filter(status=RegistrationStatus.WAITING).order_by("applied_at", "pk")

    def active(self) -> SignupQuerySet:
        return self.exclude(status=RegistrationStatus.CANCELLED)

    def people(self) -> int:
        return int(self.aggregate(n=models.Sum("people"))["n"] or 0)


class Signup(Audited):
    """A resident's sign-up (or place on the waiting list, in order of `applied_at`), for
    `people` persons. No account: the receipt number (受付番号) is what they quote."""

    event = models.ForeignKey(LocalEvent, on_delete=models.CASCADE, related_name="signups")
    number = models.PositiveIntegerField(_("番号"))  # 1, 2, … within the event
    name = models.CharField(_("お名前"), max_length=60, blank=True)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    email = models.EmailField(_("メールアドレス"), max_length=254, blank=True)
    people = models.PositiveSmallIntegerField(_("人数"), default=1)
    status = models.CharField(_("状態"), max_length=16, choices=RegistrationStatus.choices)
    applied_at = models.DateTimeField(_("申込日時"), default=timezone.now)
    promoted_at = models.DateTimeField(_("繰り上げ日時"), null=True, blank=True)
    purged_at = models.DateTimeField(_("個人情報の削除日時"), null=True, blank=True)

    objects = SignupQuerySet.as_manager()

    class Meta:
        verbose_name = _("地域の催しの申込み")
        verbose_name_plural = _("地域の催しの申込み")
        ordering = ["applied_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="signup_number_unique"),
            models.CheckConstraint(
                condition=models.Q(people__gte=1), name="signup_people_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.receipt

    @property
    def receipt(self) -> str:
        """The receipt number: the event's number and the sign-up's, e.g. 12-003."""
        return f"{self.event_id}-{self.number:03d}"

    @property
    def audit_area(self) -> Area:
        return self.event.area
