"""Residents' proposals: a new activity or a correction, shown nowhere until an SC acts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited

from .activities import Activity


class ProposalKind(models.TextChoices):
    NEW = "new", _("新しい活動を知らせる")
    CORRECTION = "correction", _("載っている内容の訂正")


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("未対応")
    ACCEPTED = "accepted", _("反映した")
    DECLINED = "declined", _("見送った")


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def open(self) -> ProposalQuerySet:
        return self.filter(status=ProposalStatus.OPEN)


class Proposal(Audited):
    """A resident's note of a new activity or a correction; nothing is shown until an SC acts."""

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("地域")
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="proposals"
    )
    kind = models.CharField(_("種類"), max_length=12, choices=ProposalKind.choices)
    name = models.CharField(_("活動の名前"), max_length=120)
    details = models.TextField(_("内容（いつ・どこで・どんな活動か、訂正したいこと）"))
    sender_name = models.CharField(_("お名前（任意）"), max_length=60, blank=True)
    sender_contact = models.CharField(_("連絡先（任意・電話かメール）"), max_length=120, blank=True)
    status = models.CharField(
        _("対応"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("活動の情報提供")
        verbose_name_plural = _("活動の情報提供")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name
