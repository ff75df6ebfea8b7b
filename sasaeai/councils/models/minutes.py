"""Minutes: revisions of a meeting's record, draft → approved, with their decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited

from .meetings import AgendaItem, Meeting


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    APPROVED = "approved", _("承認済み")
    SUPERSEDED = "superseded", _("訂正前の版")


class ApprovedAs(models.TextChoices):
    CHAIR = "chair", _("会長")
    SC = "sc", _("生活支援コーディネーター")


class Minutes(Audited):
    """One revision of a meeting's minutes.

    `version` counts saves for optimistic locking; `revision` counts corrections.
    """

    audit_exclude = frozenset({"updated_at", "version"})

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minutes")
    revision = models.PositiveSmallIntegerField(_("版"), default=1)
    status = models.CharField(
        _("状態"), max_length=12, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    notes = models.TextField(_("全体のメモ・報告事項"), blank=True)
    correction_reason = models.CharField(_("訂正の理由"), max_length=300, blank=True)
    approved_as = models.CharField(
        _("承認した人"), max_length=8, choices=ApprovedAs.choices, blank=True
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("承認日時"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("議事録")
        verbose_name_plural = _("議事録")
        ordering = ["meeting", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "revision"], name="minutes_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meeting} 議事録 第{self.revision}版"

    def get_absolute_url(self) -> str:
        return reverse("councils_staff:minutes", args=[self.pk])

    @property
    def audit_area(self) -> Area:
        return self.meeting.council.area

    @property
    def is_locked(self) -> bool:
        return self.status != MinutesStatus.DRAFT


class MinutesItem(Audited):
    """What was discussed under one agenda item, in one revision of the minutes."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="items")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="+")
    discussion = models.TextField(_("話し合ったこと"), blank=True)

    class Meta:
        ordering = ["agenda_item__order", "agenda_item__pk"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "agenda_item"], name="minutes_item_unique")
        ]

    @property
    def audit_area(self) -> Area:
        return self.minutes.meeting.council.area


class Decision(Audited):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("決まったこと"), max_length=500)
    public = models.BooleanField(_("公開する概要に載せる"), default=False)

    class Meta:
        verbose_name = _("決定事項")
        verbose_name_plural = _("決定事項")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def audit_area(self) -> Area:
        return self.minutes.meeting.council.area
