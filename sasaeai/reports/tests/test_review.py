"""Draft → review (with comments both ways) → approved: a locked version. Writing after that
makes version 2 and leaves version 1 as it was; every step is in the history and audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.audit.models import AuditEntry
from sasaeai.reports.models import Report, ReportStatus, ReportVersion

from .builders import TEXTS, YEAR, make_year

pytestmark = pytest.mark.django_db
URL = f"/staff/reports/takashimadaira/{YEAR}/"


def as_(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_draft_review_approve_then_version_two(users: dict) -> None:
    make_year()
    sc, block = as_(Client(), users["sc"]), as_(Client(), users["block"])
    response = sc.post(URL + "edit/", {**TEXTS, "save": ""})
    assert response.status_code == 302 and response["Location"] == URL
    report = Report.objects.get()
    assert report.status == ReportStatus.DRAFT and report.intro == TEXTS["intro"]
    sc.post(URL + "send/")
    report.refresh_from_db()
    assert report.status == ReportStatus.REVIEW
    # While it is with the reviewer, the writer cannot change it.
    sc.post(URL + "edit/", {**TEXTS, "intro": "書き換え"})
    report.refresh_from_db()
    assert report.intro == TEXTS["intro"]
    # The block sends it back with a comment; the SC answers, rewrites and sends again.
    assert block.post(URL + "send-back/", {"text": ""}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.REVIEW  # no comment, not returned
    block.post(URL + "send-back/", {"text": "数字の説明を足してください"})
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    sc.post(URL + "comment/", {"text": "足しました"})
    sc.post(URL + "edit/", {**TEXTS, "achievements": "会議を1回開きました。", "send": ""})
    report.refresh_from_db()
    assert report.status == ReportStatus.REVIEW
    block.post(URL + "approve/")
    report.refresh_from_db()
    first = ReportVersion.objects.get()
    assert report.status == ReportStatus.APPROVED and first.number == 1
    assert first.achievements == "会議を1回開きました。"
    assert first.approved_by == users["block"]
    assert first.data["meetings"][0]["title"] == "第1回"
    page = block.get(URL).content.decode()
    assert "数字の説明を足してください" in page and "足しました" in page

    # Writing after approval starts version 2; version 1 stays as it was.
    sc.post(URL + "edit/", {**TEXTS, "achievements": "第2版の成果"})
    report.refresh_from_db()
    assert (report.version, report.status) == (2, ReportStatus.DRAFT)
    first.refresh_from_db()
    assert first.achievements == "会議を1回開きました。"
    old = sc.get(URL + "?version=1").content.decode()
    assert "会議を1回開きました。" in old and "第2版の成果" not in old
    assert "第2版の成果" in sc.get(URL).content.decode()
    assert sc.get(URL + "?version=2").status_code == 404  # not approved yet
    notes = list(report.steps.values_list("note", flat=True))
    assert "第1版を承認しました。" in notes and "第2版を書き始めました。" in notes
    for model in ("reports.Report", "reports.ReportVersion", "reports.ReportComment"):
        assert AuditEntry.objects.filter(model=model, action="create").exists(), model
    assert AuditEntry.objects.filter(model="reports.Report", action="update").exists()


def test_nothing_written_cannot_be_sent(users: dict) -> None:
    sc = as_(Client(), users["sc"])
    sc.post(URL + "edit/", {"intro": "  "})
    response = sc.post(URL + "send/", follow=True)
    assert "まだ何も書かれていません。" in response.content.decode()
    assert Report.objects.get().status == ReportStatus.DRAFT


def test_very_long_texts_are_kept_and_markup_refused(users: dict) -> None:
    sc = as_(Client(), users["sc"])
    long = "あ" * 3999
    sc.post(URL + "edit/", {"intro": long})
    assert Report.objects.get().intro == long
    response = sc.post(URL + "edit/", {"intro": "い" * 4001, "issues": "<b>x</b>"})
    page = response.content.decode()
    assert response.status_code == 200 and "field__error" in page
    assert Report.objects.get().intro == long
