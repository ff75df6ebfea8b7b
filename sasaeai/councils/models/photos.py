"""Photos of a meeting, kept with its minutes: never public, seen only by staff who may view
the council's area (the gated view in minutes_views.py); the annual report may choose some."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited
from sasaeai.lib import photos

from .meetings import Meeting

PHOTOS_A_MEETING = 5


class MeetingPhoto(Audited):
    """One photo of a meeting: the JPEG made by lib/photos.py (upright, no EXIF, random name)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("写真"), upload_to="minutes/%Y/")
    caption = models.CharField(_("写真の説明"), max_length=100, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    added_at = models.DateTimeField(_("追加した日時"), default=timezone.now)

    class Meta:
        verbose_name = _("会議の写真")
        verbose_name_plural = _("会議の写真")
        ordering = ["meeting", "added_at", "pk"]

    def __str__(self) -> str:
        return self.caption or str(_("会議の写真"))

    @property
    def audit_area(self) -> Area:
        return self.meeting.council.area

    @property
    def file_name(self) -> str:
        return PurePosixPath(self.image.name or "").name

    @property
    def url(self) -> str:
        return reverse("councils_staff:photo", args=[self.pk, self.file_name])


@receiver(post_delete, sender=MeetingPhoto)
def _delete_file(sender: type, instance: MeetingPhoto, **kw: Any) -> None:
    photos.delete_later(instance.image.storage, instance.image.name or "")
