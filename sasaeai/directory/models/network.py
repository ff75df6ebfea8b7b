"""The organisers' network of a region (つながる: 活動者同士のネットワークづくり).

Organisers have no accounts. An activity's contact joins its region's network when staff
record that they asked the organiser and the organiser agreed (who recorded it, and the day
they checked). The list is seen by staff who may view the region and, through a message's
secret link, by the other organisers in it; never on the public site, in an export or in the
open data. The SC's messages to a chosen set of them are stored here; the mail tells only that
there is a message and gives each recipient their own link (directory/network.py).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area, AreaKind
from sasaeai.audit.models import Audited

from .activities import Activity, Status

# How long a message's link keeps working: a couple of liaison meetings (連絡会) apart.
LINK_LIFETIME = dt.timedelta(days=60)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def region_of(area: Area) -> Area | None:
    """The region (第2層) an area lies in: itself, or the region above it; None above regions."""
    if area.kind == AreaKind.REGION:
        return area
    return area.ancestors().filter(kind=AreaKind.REGION).first()


class LeftHow(models.TextChoices):
    STAFF = "staff", _("職員が外した")
    ORGANISER = "organiser", _("主催者が自分で外れた")


class NetworkMemberQuerySet(models.QuerySet["NetworkMember"]):
    def active(self) -> NetworkMemberQuerySet:
        """In the network now: not left, and the activity not ended."""
        return self.filter(left_at__isnull=True).exclude(activity__status=Status.ENDED)

    def within(self, region: Area) -> NetworkMemberQuerySet:
        return self.filter(activity__in=Activity.objects.within(region))


class NetworkMember(Audited):
    """An activity's contact in the network of its region's organisers, opted in through
    staff. One row per activity: leaving keeps the row (and when and how), joining again
    reuses it with the new check."""

    activity = models.OneToOneField(
        Activity, on_delete=models.CASCADE, related_name="network_member", verbose_name=_("活動")
    )
    checked_on = models.DateField(_("主催者に確認した日"))
    joined_at = models.DateTimeField(_("参加を記録した日時"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("記録した職員"),
    )
    left_at = models.DateTimeField(_("外れた日時"), null=True, blank=True)
    left_how = models.CharField(_("外れ方"), max_length=10, choices=LeftHow.choices, blank=True)
    # The staff member who took them out; empty when the organiser left by their own button.
    left_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = NetworkMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("活動者ネットワークの参加者")
        verbose_name_plural = _("活動者ネットワークの参加者")
        ordering = ["activity__kana", "activity__name", "pk"]

    def __str__(self) -> str:
        # Never the contact's name: `__str__` ends up in logs and the audit trail.
        return f"network member {self.pk}"

    @property
    def audit_area(self) -> Area:
        return self.activity.area

    @property
    def is_active(self) -> bool:
        return self.left_at is None and self.activity.status != Status.ENDED


class NetworkMessage(Audited):
    """What the region's SC wrote to a chosen set of its network (kept; never mailed)."""

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("地域")
    )
    body = models.TextField(_("メッセージ"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("送った職員"),
    )
    created_at = models.DateTimeField(_("送った日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("活動者ネットワークへのメッセージ")
        verbose_name_plural = _("活動者ネットワークへのメッセージ")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"network message {self.pk}"


class NetworkRecipientQuerySet(models.QuerySet["NetworkRecipient"]):
    def by_token(self, token: str) -> NetworkRecipient | None:
        return (
            self.filter(token=token)
            .select_related("message__area", "member__activity__area")
            .first()
        )


class NetworkRecipient(models.Model):
    """One organiser a message went to, with the secret of their own link to it."""

    message = models.ForeignKey(NetworkMessage, on_delete=models.CASCADE, related_name="recipients")
    member = models.ForeignKey(NetworkMember, on_delete=models.CASCADE, related_name="received")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    expires_at = models.DateTimeField()
    mailed_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)

    objects = NetworkRecipientQuerySet.as_manager()

    class Meta:
        ordering = ["member__activity__kana", "member__activity__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["message", "member"], name="network_recipient_once")
        ]

    def __str__(self) -> str:
        return f"network recipient {self.pk}"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()
