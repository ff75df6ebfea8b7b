"""The yearly confirmation by the organisers themselves (issue 30): a season the ward opens,
each region's batch of sheets (postcards or letters) and one request per published activity,
with the hash of the secret its sheet or mail carries.

The secret is never stored: only its keyed hash (`code_hash`), so that neither a copy of the
database nor whoever reads the tables can open an organiser's page. Issuing a code again
overwrites the hash, and the old code stops working at once.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited
from sasaeai.lib.jobs import JobState

from .activities import Activity
from .proposals import Proposal


class ConfirmationSeasonQuerySet(models.QuerySet["ConfirmationSeason"]):
    def of(self, municipality: Area) -> ConfirmationSeasonQuerySet:
        return self.filter(municipality=municipality)

    def current(self, today: dt.date | None = None) -> ConfirmationSeasonQuerySet:
        today = today or timezone.localdate()
        return self.filter(starts_on__lte=today, ends_on__gte=today)


class ConfirmationSeason(Audited):
    """The weeks in which a municipality's organisers confirm their listings (once a year)."""

    municipality = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("自治体")
    )
    name = models.CharField(_("名前"), max_length=60)
    starts_on = models.DateField(_("始まる日"))
    ends_on = models.DateField(_("締め切り日"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConfirmationSeasonQuerySet.as_manager()

    class Meta:
        verbose_name = _("活動確認の期間")
        verbose_name_plural = _("活動確認の期間")
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_area(self) -> Area:
        return self.municipality

    @property
    def expires_at(self) -> dt.datetime:
        """The end of the closing day, in the municipality's time: the links stop then."""
        day_after = self.ends_on + dt.timedelta(days=1)
        return timezone.make_aware(dt.datetime.combine(day_after, dt.time()))

    @property
    def is_over(self) -> bool:
        return timezone.now() >= self.expires_at


class Paper(models.TextChoices):
    POSTCARD = "postcard", _("はがき（A6）")
    LETTER = "letter", _("手紙（A4）")


class ConfirmationBatch(JobState, Audited):
    """A region's sheets for a season: made by the task worker (confirm_tasks.make_batch),
    with its progress on the SC's page. One per region, made when the season opens."""

    audit_exclude = frozenset({"job_done", "job_total"})

    season = models.ForeignKey(ConfirmationSeason, on_delete=models.CASCADE, related_name="batches")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("地域")
    )
    paper = models.CharField(
        _("用紙"), max_length=10, choices=Paper.choices, default=Paper.POSTCARD
    )
    by_mail = models.BooleanField(_("メールアドレスのある方にはメールで送る"), default=False)
    # The sheets hold the codes: a staff download only (never public storage names).
    pdf = models.FileField(upload_to="confirmations/%Y/", blank=True, editable=False)
    made_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("活動確認の送付（地域ごと）")
        verbose_name_plural = _("活動確認の送付（地域ごと）")
        ordering = ["area__path"]
        constraints = [
            models.UniqueConstraint(fields=["season", "area"], name="confirmation_batch_once")
        ]

    def __str__(self) -> str:
        return f"confirmation batch {self.pk}"


class SentHow(models.TextChoices):
    POST = "post", _("郵送")
    MAIL = "mail", _("メール")


class Answer(models.TextChoices):
    NONE = "", _("まだ回答がない")
    CONFIRMED = "confirmed", _("変わりなし")
    CORRECTED = "corrected", _("訂正あり")


class ConfirmationRequestQuerySet(models.QuerySet["ConfirmationRequest"]):
    def unanswered(self) -> ConfirmationRequestQuerySet:
        return self.filter(answer=Answer.NONE)

    def by_hash(self, code_hash: str) -> ConfirmationRequest | None:
        return (
            self.filter(code_hash=code_hash)
            .select_related(
                "batch__season", "batch__area", "activity__area", "activity__organization"
            )
            .first()
        )


class ConfirmationRequest(Audited):
    """One activity's sheet (or mail) in a season, and its organiser's answer."""

    audit_exclude = frozenset({"code_hash"})

    batch = models.ForeignKey(ConfirmationBatch, on_delete=models.CASCADE, related_name="requests")
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="confirmations", verbose_name=_("活動")
    )
    code_hash = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField(_("コードを発行した日時"))
    times_issued = models.PositiveSmallIntegerField(default=1)
    sent_how = models.CharField(
        _("送り方"), max_length=4, choices=SentHow.choices, default=SentHow.POST
    )
    mailed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(
        _("回答"), max_length=10, choices=Answer.choices, default=Answer.NONE, blank=True
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    # What the organiser changed, as [label, before, after] rows (shown to the SC).
    changes = models.JSONField(default=list, blank=True)
    proposal = models.ForeignKey(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ConfirmationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("活動確認のお願い")
        verbose_name_plural = _("活動確認のお願い")
        ordering = ["activity__kana", "activity__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "activity"], name="confirmation_request_once")
        ]

    def __str__(self) -> str:
        return f"confirmation request {self.pk}"

    @property
    def audit_area(self) -> Area:
        return self.batch.area
