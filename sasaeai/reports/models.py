"""The annual report (年度活動報告) of a region, a block or the ward.

The facts come from the year's records (compile.py); the SC writes four sections beside them.
A report is written as a draft, sent to the block or the ward for review (comments go both
ways), and approved: approval freezes the texts and the facts as they were that day in a
`ReportVersion`, which never changes again. Writing after that starts the next version; the
earlier ones stay readable.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited
from sasaeai.councils.models import Council, MeetingPhoto
from sasaeai.lib.history import Step
from sasaeai.lib.jobs import JobState
from sasaeai.lib.notices import NoticeBase, recipient
from sasaeai.progress.models import YearClosure

TEXT_LIMIT = 4000  # characters of each written section
PHOTO_LIMIT = 6  # photos a report may carry: about two A4 pages


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    REVIEW = "review", _("確認をお願いしています")
    APPROVED = "approved", _("承認済み")


# The sections the SC writes, in the order they are printed.
SECTIONS = [
    ("intro", _("はじめに")),
    ("achievements", _("今年度の成果")),
    ("issues", _("課題")),
    ("next_year", _("来年度に向けて")),
]


class ReportQuerySet(models.QuerySet["Report"]):
    def in_review(self) -> ReportQuerySet:
        """Sent for review and waiting on the block or the ward."""
        return self.filter(status=ReportStatus.REVIEW)


class Report(Audited):
    """One area's report of one 年度: the texts being written (for `version`) and where it
    stands. Approved versions live in ReportVersion."""

    audit_exclude = frozenset({"updated_at"})

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="annual_reports", verbose_name=_("地域")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    council = models.ForeignKey(
        Council, on_delete=models.SET_NULL, null=True, blank=True, related_name="annual_reports",
        verbose_name=_("支え合い会議"),
    )  # fmt: skip
    version = models.PositiveSmallIntegerField(_("版"), default=1)
    status = models.CharField(
        _("状態"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    intro = models.TextField(_("はじめに"), max_length=TEXT_LIMIT, blank=True)
    achievements = models.TextField(_("今年度の成果"), max_length=TEXT_LIMIT, blank=True)
    issues = models.TextField(_("課題"), max_length=TEXT_LIMIT, blank=True)
    next_year = models.TextField(_("来年度に向けて"), max_length=TEXT_LIMIT, blank=True)
    # The minutes' photos chosen for the draft. Approval copies them into the version
    # (ReportVersion.data["photos"]): removing one from the minutes later leaves it there.
    photos = models.ManyToManyField(
        MeetingPhoto, blank=True, related_name="+", verbose_name=_("載せる写真")
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度活動報告")
        verbose_name_plural = _("年度活動報告")
        ordering = ["fiscal_year", "area__sort_order", "area__path"]
        constraints = [
            models.UniqueConstraint(fields=["area", "fiscal_year"], name="one_report_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.fiscal_year}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.municipality = self.area.municipality or self.area
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("reports_staff:report", args=[self.area.code, self.fiscal_year])

    def texts(self) -> dict[str, str]:
        return {name: getattr(self, name) for name, _label in SECTIONS}

    @property
    def is_written(self) -> bool:
        return any(text.strip() for text in self.texts().values())


class ReportVersion(Audited):
    """An approved version: the texts and the facts (`data`, from compile.py) as they were when
    it was approved. Never changed after it is made."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版"))
    intro = models.TextField(_("はじめに"), blank=True)
    achievements = models.TextField(_("今年度の成果"), blank=True)
    issues = models.TextField(_("課題"), blank=True)
    next_year = models.TextField(_("来年度に向けて"), blank=True)
    data = models.JSONField(_("承認したときの数字と記録"), default=dict)
    # The closed 年度 whose frozen figures the facts show, where the year was closed.
    closure = models.ForeignKey(
        YearClosure, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("承認日時"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    approved_by_name = models.CharField(_("承認した人"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("承認済みの版")
        verbose_name_plural = _("承認済みの版")
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_version_a_number")
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"

    @property
    def audit_area(self) -> Area:
        return self.report.area

    def texts(self) -> dict[str, str]:
        return {name: getattr(self, name) for name, _label in SECTIONS}


class ReportComment(Audited):
    """A word on a report, from the reviewer (block, ward) or the writer answering."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    version = models.PositiveSmallIntegerField(_("版"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    author_name = models.CharField(_("書いた人"), max_length=100)
    text = models.TextField(_("コメント"), max_length=2000)
    created_at = models.DateTimeField(_("日時"), default=timezone.now)

    class Meta:
        verbose_name = _("報告へのコメント")
        verbose_name_plural = _("報告へのコメント")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def audit_area(self) -> Area:
        return self.report.area


class ReportStep(Step, Audited):
    """One dated step of a report's history: saved, sent, returned, approved, reopened."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField(_("日時"), default=timezone.now)
    version = models.PositiveSmallIntegerField(_("版"))
    status = models.CharField(_("この後の状態"), max_length=10, choices=ReportStatus.choices)
    note = models.CharField(_("できごと"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("報告の歩み")
        verbose_name_plural = _("報告の歩み")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.report} {self.at:%Y-%m-%d} {self.status}"

    @property
    def audit_area(self) -> Area:
        return self.report.area


class ReportFile(JobState, Audited):
    """A PDF made in the background (a block's or the ward's report, many pages): one per
    area, 年度 and version (0: the draft as it stands), made again on request. Kept apart from
    Report so that printing an area's report never begins one."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("版"), default=0)
    pdf = models.FileField(upload_to="reports/", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["area", "fiscal_year", "version"], name="one_file_a_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.fiscal_year} v{self.version} pdf"


class Notice(NoticeBase):
    """A report sent for review (to its reviewers), or returned or approved (to its writers)."""

    user = recipient("report_notices")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notices")

    class Meta(NoticeBase.Meta):
        verbose_name = _("活動報告のお知らせ")
        verbose_name_plural = _("活動報告のお知らせ")
