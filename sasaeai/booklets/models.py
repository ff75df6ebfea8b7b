"""The region booklet (シニアガイドブック): one edition per area and 年度, its free texts,
which activities and institutions it leaves out, its コラム, and the PDFs once made.

An edition is made from what the directory holds at the time (services.collect); making
it stores what went in (`content`) beside the PDFs, so that a finished edition is printed
again exactly as it was, whatever happens to the activities later.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited
from sasaeai.directory.models import Activity
from sasaeai.lib.jobs import JobState
from sasaeai.lib.notices import NoticeBase, recipient
from sasaeai.referrals.models import Institution


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("作成中")
    FINISHED = "finished", _("確定（印刷用）")


class Edition(JobState, Audited):
    """One 年度's booklet of a region, a block or the whole ward."""

    audit_exclude = frozenset({"content", "job_done", "job_total", "updated_at"})

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="booklets", verbose_name=_("地域")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("題名"), max_length=100, default=_("シニアガイドブック"))
    issued_by = models.CharField(_("発行"), max_length=200, blank=True)
    issued_on = models.DateField(_("発行日"), null=True, blank=True)
    welcome = models.TextField(_("はじめのあいさつ"), max_length=2000, blank=True)
    contact = models.TextField(
        _("問い合わせ先に添えることば"),
        max_length=500,
        blank=True,
        help_text=_(
            "問い合わせ先は「地域の相談窓口」（SCの窓口）を載せます。窓口がない地域では、"
            "連絡先の公開に同意のない活動の問い合わせ先として、ここを載せます。"
        ),
    )
    back_cover = models.TextField(_("裏表紙のことば"), max_length=1000, blank=True)
    left_out = models.ManyToManyField(
        Activity, blank=True, related_name="+", verbose_name=_("載せない活動")
    )
    institutions_left_out = models.ManyToManyField(
        Institution, blank=True, related_name="+", verbose_name=_("載せない相談先")
    )
    status = models.CharField(
        _("状態"), max_length=10, choices=EditionStatus.choices, default=EditionStatus.DRAFT
    )
    # What the PDFs were made from, as it was (services.collect): a finished edition is
    # printed from these, never from today's activities.
    content = models.JSONField(default=dict, blank=True, editable=False)
    pdf = models.FileField(upload_to="booklets/%Y/", blank=True, editable=False)
    sheet = models.FileField(upload_to="booklets/%Y/", blank=True, editable=False)
    made_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ガイドブックの版")
        verbose_name_plural = _("ガイドブックの版")
        ordering = ["-fiscal_year", "area__path"]
        constraints = [
            models.UniqueConstraint(fields=["area", "fiscal_year"], name="booklet_area_year")
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.fiscal_year}"

    def get_absolute_url(self) -> str:
        return reverse("booklets:edition", args=[self.pk])

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.municipality = self.area.municipality or self.area
        super().save(*args, **kwargs)

    @property
    def is_finished(self) -> bool:
        return self.status == EditionStatus.FINISHED


class Column(Audited):
    """A page the council writes (コラム): a title, text and an optional photo."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="columns")
    title = models.CharField(_("見出し"), max_length=100)
    body = models.TextField(_("本文"), max_length=3000)
    photo = models.ImageField(_("写真"), upload_to="booklets/columns/%Y/", blank=True)
    photo_caption = models.CharField(_("写真の説明"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("順番"), default=0)

    class Meta:
        verbose_name = _("コラム")
        verbose_name_plural = _("コラム")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_area(self) -> Area:
        return self.edition.area


class Notice(NoticeBase):
    """A booklet the worker finished making, for whoever asked for it."""

    user = recipient("booklet_notices")
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="notices")

    class Meta(NoticeBase.Meta):
        verbose_name = _("ガイドブックのお知らせ")
        verbose_name_plural = _("ガイドブックのお知らせ")
