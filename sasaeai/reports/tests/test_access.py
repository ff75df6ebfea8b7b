"""Who may read, write, comment on and approve a report: the region's SC writes; the block SC
reviews only the regions of the block, the ward all; others' reports are 404, audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.audit.models import AuditEntry
from sasaeai.reports.models import Report, ReportStatus

from .builders import YEAR, make_report

pytestmark = pytest.mark.django_db
URL = f"/staff/reports/takashimadaira/{YEAR}/"


def as_(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_another_regions_report_is_not_found_and_audited(users: dict) -> None:
    make_report()
    denied = AuditEntry.objects.filter(action="denied").count()
    for who in ("other_sc", "other_admin"):
        client = as_(users[who])
        for path in ("", "edit/", "report.pdf", "report.docx", "figures.xlsx", "pdf/"):
            assert client.get(URL + path).status_code == 404, (who, path)
        for path in ("send/", "comment/", "approve/", "send-back/"):
            assert client.post(URL + path, {"text": "x"}).status_code == 404, (who, path)
    assert AuditEntry.objects.filter(action="denied").count() >= denied + 20
    assert Report.objects.get().status == ReportStatus.DRAFT


def test_only_the_regions_sc_writes(users: dict) -> None:
    for who in ("block", "ward", "admin", "member"):
        assert as_(users[who]).get(URL + "edit/").status_code == 403, who
        assert as_(users[who]).post(URL + "edit/", {"intro": "x"}).status_code == 403, who
    assert not Report.objects.exists()
    assert as_(users["member"]).get(URL).status_code == 200  # council members read it
    assert as_(users["sc"]).get(URL + "edit/").status_code == 200


def test_the_block_reviews_its_regions_and_no_other_block(users: dict) -> None:
    report = make_report()
    report.status = ReportStatus.REVIEW
    report.save()
    sc, member = as_(users["sc"]), as_(users["member"])
    assert sc.post(URL + "approve/").status_code == 403  # not one's own
    assert member.post(URL + "comment/", {"text": "x"}).status_code == 403
    assert member.post(URL + "approve/").status_code == 403
    other = make_report("itabashi")  # another block's region
    other.status = ReportStatus.REVIEW
    other.save()
    block = as_(users["block"])
    assert block.post(f"/staff/reports/itabashi/{YEAR}/approve/").status_code == 404
    assert block.post(URL + "approve/").status_code == 302
    report.refresh_from_db()
    other.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and other.status == ReportStatus.REVIEW
    assert as_(users["ward"]).post(f"/staff/reports/itabashi/{YEAR}/approve/").status_code == 302
    other.refresh_from_db()
    assert other.status == ReportStatus.APPROVED


def test_the_block_writes_its_own_and_the_ward_reviews_it(users: dict) -> None:
    url = f"/staff/reports/blk-akatsuka/{YEAR}/"
    block, ward = as_(users["block"]), as_(users["ward"])
    assert block.post(url + "edit/", {"intro": "ブロックの報告", "send": ""}).status_code == 302
    assert block.post(url + "approve/").status_code == 403
    assert ward.post(url + "approve/").status_code == 302
    assert Report.objects.get().status == ReportStatus.APPROVED


def test_a_bad_version_or_year_is_not_found(users: dict) -> None:
    make_report()
    sc = as_(users["sc"])
    for path in (URL + "?version=x", URL + "?version=9", "/staff/reports/takashimadaira/1900/"):
        assert sc.get(path).status_code == 404, path
