"""The report's workflow: save a draft, send it for review, return it with a comment, approve
it (which freezes a version), comment. Views, demo data and tests all go through these; each
step lands in the report's history, and every record written is audited (Audited)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.areas.models import Area
from sasaeai.councils.models import Council, MeetingPhoto
from sasaeai.lib import links, optimistic
from sasaeai.lib.actors import actor_name
from sasaeai.lib.notices import Message, notify
from sasaeai.progress import year_figures

from . import lookups, pictures
from .compile import compile_year
from .models import (
    SECTIONS,
    Notice,
    Report,
    ReportComment,
    ReportStatus,
    ReportStep,
    ReportVersion,
)


def _step(report: Report, by: Any, note: str) -> ReportStep:
    return ReportStep.record(
        by=by, report=report, version=report.version, status=report.status, note=note
    )


def _locked(area: Area, year: int) -> Report:
    """The area's report of `year`, locked for this transaction (made if not begun)."""
    report, _made = Report.objects.get_or_create(
        area=area, fiscal_year=year,
        defaults={"council": Council.objects.filter(area=area).first()},
    )  # fmt: skip
    return Report.objects.select_for_update().select_related("area").get(pk=report.pk)


@transaction.atomic
def save_draft(
    area: Area,
    year: int,
    texts: dict[str, str],
    *,
    by: Any,
    photos: Iterable[MeetingPhoto] | None = None,
    version: optimistic.Version = None,
) -> Report:
    """Save the written sections (and, when given, the minutes' photos chosen). After
    approval this begins the next version (the approved one stays as it was); while the
    report is with the reviewer it cannot be changed. `version`: the one the person read
    (`optimistic.NEW` before the report was begun); `optimistic.Stale`, and nothing
    written, if someone saved it since."""
    optimistic.unclaimed_new(Report, version, area=area, fiscal_year=year)
    report = _locked(area, year)
    if version != optimistic.NEW:
        optimistic.claim(report, version)
    if report.status == ReportStatus.REVIEW:
        raise ValidationError(
            _("確認をお願いしている間は書き直せません。差し戻しを待ってください。")
        )
    if report.status == ReportStatus.APPROVED:
        report.version += 1
        report.status = ReportStatus.DRAFT
        _step(report, by, _("第%(n)s版を書き始めました。") % {"n": report.version})
    for name, _label in SECTIONS:
        setattr(report, name, texts.get(name, "").strip())
    report.save()
    if photos is not None:
        report.photos.set(list(photos))
    _step(report, by, _("下書きを保存しました。"))
    return report


@transaction.atomic
def send_for_review(report: Report, *, by: Any) -> Report:
    report = Report.objects.select_for_update().select_related("area").get(pk=report.pk)
    if report.status != ReportStatus.DRAFT:
        raise ValidationError(_("下書きのときだけ確認をお願いできます。"))
    if not report.is_written:
        raise ValidationError(_("まだ何も書かれていません。"))
    report.status = ReportStatus.REVIEW
    report.save()
    _step(report, by, _("確認をお願いしました。"))
    _tell(report, lookups.reviewers(report.area), _("活動報告の確認をお願いします"), by)
    return report


@transaction.atomic
def return_to_draft(report: Report, text: str, *, by: Any) -> Report:
    """The reviewer sends the report back to its writer, saying what to change."""
    report = Report.objects.select_for_update().select_related("area").get(pk=report.pk)
    if report.status != ReportStatus.REVIEW:
        raise ValidationError(_("確認をお願いされている報告だけ差し戻せます。"))
    comment(report, text, by=by)
    report.status = ReportStatus.DRAFT
    report.save()
    _step(report, by, _("差し戻しました。"))
    _tell(report, lookups.writers(report.area), _("活動報告が差し戻されました"), by)
    return report


@transaction.atomic
def approve(report: Report, *, by: Any, today: dt.date | None = None) -> ReportVersion:
    """Approve the version under review: its texts and the facts as they are now (a closed
    year's frozen figures) are kept in a ReportVersion, never changed again."""
    report = Report.objects.select_for_update().select_related("area").get(pk=report.pk)
    if report.status != ReportStatus.REVIEW:
        raise ValidationError(_("確認をお願いされている報告だけ承認できます。"))
    municipality = report.area.municipality or report.area
    closure = year_figures.closures(municipality, [report.fiscal_year]).get(report.fiscal_year)
    data = compile_year(report.area, report.fiscal_year, today=today)
    data["photos"] = pictures.frozen(report)  # copies: the minutes may lose them later
    version = ReportVersion.objects.create(
        report=report, number=report.version, **report.texts(), data=data, closure=closure,
        approved_at=timezone.now(),
        approved_by=by if getattr(by, "is_authenticated", False) else None,
        approved_by_name=actor_name(by),
    )  # fmt: skip
    report.status = ReportStatus.APPROVED
    report.save()
    _step(report, by, _("第%(n)s版を承認しました。") % {"n": version.number})
    _tell(report, lookups.writers(report.area), _("活動報告が承認されました"), by)
    return version


def _tell(report: Report, users: Any, subject: str, by: Any) -> None:
    """An in-app notice and a mail without the report's words (lib/notices.py) to `users`,
    whoever took the step excepted."""
    path = reverse("reports_staff:report", args=[report.area.code, report.fiscal_year])
    lead = _("%(area)sの%(year)s年度の活動報告です。") % {
        "area": report.area.name,
        "year": report.fiscal_year,
    }
    link = links.absolute(path, report.area.municipality or report.area)
    notify(users, Notice, Message(subject=subject, lead=lead, link=link), but=by, report=report)


def comment(report: Report, text: str, *, by: Any) -> ReportComment:
    if not text.strip():
        raise ValidationError(_("コメントを書いてください。"))
    return ReportComment.objects.create(
        report=report, version=report.version, author=by if by else None,
        author_name=actor_name(by), text=text.strip(),
    )  # fmt: skip
