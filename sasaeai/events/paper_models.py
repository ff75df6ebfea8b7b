"""The sign-up sheet of a local event on paper (申込用紙): a blank A4 sheet printed for one
event with a fresh reference number (lib/paper_forms.py), sent round by FAX or handed out,
and, once it comes back, the scanned sheet kept beside the sign-ups typed from it.

The sheet holds residents' names and phone numbers as their sign-ups do: its pages ask what
the event's sign-ups ask (EDIT on the event's region), and its image goes when the event's
sign-ups are erased (`paper_services.purge_sheets`, run with the nightly purge)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited
from sasaeai.lib.paper_forms import PaperSheet

from .local_models import LocalEvent, Signup


class EventSheet(Audited, PaperSheet):
    prefix = "E"

    event = models.ForeignKey(
        LocalEvent, on_delete=models.CASCADE, related_name="paper_sheets",
        verbose_name=_("地域の催し"),
    )  # fmt: skip
    # The event's region, kept on the sheet so that access asks it as for every record.
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    signups = models.ManyToManyField(
        Signup, blank=True, related_name="paper_sheets", verbose_name=_("この用紙からの申込み")
    )

    class Meta:
        verbose_name = _("催しの申込用紙（紙）")
        verbose_name_plural = _("催しの申込用紙（紙）")
        ordering = ["-printed_at", "-pk"]

    def save(self, *args: object, **kwargs: object) -> None:
        self.area_id = self.event.area_id
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("events_staff:paper_sheet", args=[self.pk])

    @property
    def scan_url(self) -> str:
        return reverse("events_staff:paper_scan", args=[self.pk, self.file_name])
