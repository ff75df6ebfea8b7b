"""The referral form on paper (つなぎ連絡票): a blank A4 sheet printed for one institution
with a fresh reference number (lib/paper_forms.py), filled in by hand and sent back by FAX,
then typed into a draft referral beside its image.

A filled sheet holds what a referral holds (要配慮個人情報), so it is kept as the referral's
fields are: its image is encrypted at rest with the personal-data keys (crypto.py), it is
seen only by those a referral's rules let see it (lookups: the sending side while it is a
sheet, the referral's three kinds of people once it became one), every look is audited, and
it goes with the referral's personal data (anonymised, erased or deleted)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited
from sasaeai.lib import photos
from sasaeai.lib.paper_forms import PaperSheet

from .models import Institution, Referral


class ReferralSheet(Audited, PaperSheet):
    prefix = "R"

    # The region it is printed from: its referral handlers (and the printer) see the sheet.
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("地域")
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("つなぐ先")
    )
    # The sheet goes with its referral (a deleted draft takes its image with it).
    referral = models.OneToOneField(
        Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="paper_sheet",
        verbose_name=_("この用紙から作ったつなぎ"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("つなぎ連絡票（紙）")
        verbose_name_plural = _("つなぎ連絡票（紙）")
        ordering = ["-printed_at", "-pk"]

    def get_absolute_url(self) -> str:
        return reverse("referrals_staff:paper_sheet", args=[self.pk])

    @property
    def scan_url(self) -> str:
        return reverse("referrals_staff:paper_scan", args=[self.pk, self.file_name])

    def forget_scan(self) -> None:
        """Delete the image (the referral's personal data went): the row stays, so the
        reference is not issued or attached again."""
        if self.scan:
            photos.delete_later(self.scan.storage, self.scan.name or "")
            ReferralSheet.objects.filter(pk=self.pk).update(scan="")
            self.scan = ""  # type: ignore[assignment]


@receiver(post_save, sender=Referral, dispatch_uid="referrals-paper-anonymised")
def forget_with_personal_data(sender: type, instance: Referral, **kw: Any) -> None:
    if instance.anonymised_at is not None:
        for sheet in ReferralSheet.objects.filter(referral=instance).exclude(scan=""):
            sheet.forget_scan()


@receiver(post_delete, sender=ReferralSheet, dispatch_uid="referrals-paper-deleted")
def delete_file(sender: type, instance: ReferralSheet, **kw: Any) -> None:
    if instance.scan:
        photos.delete_later(instance.scan.storage, instance.scan.name or "")
