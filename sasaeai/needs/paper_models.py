"""The need form on paper (困りごと受付票): a blank A4 sheet printed for one region with a
fresh reference number (lib/paper_forms.py), and, once it comes back by FAX or by hand, the
scanned sheet kept beside the need typed from it. Seen by whoever sees the region's needs."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited
from sasaeai.lib.paper_forms import PaperSheet

from .models.needs import Need


class NeedSheetQuerySet(models.QuerySet["NeedSheet"]):
    def waiting(self) -> NeedSheetQuerySet:
        """Returned, and no need typed from them yet."""
        return self.filter(returned_at__isnull=False, need__isnull=True)


class NeedSheet(Audited, PaperSheet):
    prefix = "N"

    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="+", verbose_name=_("地域")
    )
    need = models.OneToOneField(
        Need, on_delete=models.SET_NULL, null=True, blank=True, related_name="paper_sheet",
        verbose_name=_("この用紙から記録した困りごと"),
    )  # fmt: skip

    objects = NeedSheetQuerySet.as_manager()

    class Meta:
        verbose_name = _("困りごと受付票（紙）")
        verbose_name_plural = _("困りごと受付票（紙）")
        ordering = ["-printed_at", "-pk"]

    def get_absolute_url(self) -> str:
        return reverse("needs_staff:paper_sheet", args=[self.pk])

    @property
    def scan_url(self) -> str:
        return reverse("needs_staff:paper_scan", args=[self.pk, self.file_name])
