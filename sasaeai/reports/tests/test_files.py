"""The report as files: the PDF's text holds the sections and the figures, the .docx opens in
python-docx with the sections, the .xlsx reads back; a long text wraps inside the page; the
ward's PDF is made in the background, with its progress, and then downloaded."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client, TestCase
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from sasaeai.reports.models import ReportFile
from sasaeai.test import run_tasks

from .builders import TEXTS, YEAR, approved, make_report, make_year

pytestmark = pytest.mark.django_db
URL = f"/staff/reports/takashimadaira/{YEAR}/"


def as_(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_holds_the_sections_and_the_figures(users: dict) -> None:
    make_year()
    approved()
    response = as_(users["sc"]).get(URL + "report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "report-takashimadaira-2026-v1.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    for heading in ("はじめに", "今年度の成果", "課題", "来年度に向けて", "開いた会議"):
        assert heading in text, heading
    assert TEXTS["intro"] in text.replace("\n", "")
    assert "活動マップづくり" in text and "秋までに活動マップを作る" in text
    assert "会議の開催" in text and "2025年度" in text and "2026年度" in text


def test_a_long_text_wraps_inside_the_page(users: dict) -> None:
    make_report(intro="ながい" * 600 + "x" * 300)
    content = as_(users["sc"]).get(URL + "report.pdf").content
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 2
    assert "x" * 40 in pdf_text(content).replace("\n", "")


def test_the_docx_opens_and_holds_the_sections(users: dict) -> None:
    make_year()
    make_report()
    response = as_(users["sc"]).get(URL + "report.docx")
    assert response.status_code == 200
    word = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in word.paragraphs)
    for heading in ("はじめに", "今年度の成果", "課題", "来年度に向けて", TEXTS["issues"]):
        assert heading in text, heading
    cells = {c.text for t in word.tables for row in t.rows for c in row.cells}
    assert "活動マップづくり" in cells and "会議の開催" in cells


def test_the_xlsx_reads_back(users: dict) -> None:
    make_year()
    response = as_(users["sc"]).get(URL + "figures.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    figures = {row[1]: row for row in book["数字"].iter_rows(min_row=2, values_only=True)}
    assert figures["会議の開催"][2:4] == (0, 1)
    meetings = list(book["会議"].iter_rows(min_row=2, values_only=True))
    assert meetings[0][:3] == ("第1回", "2026年5月21日", "活動マップづくり")
    assert next(book["目標"].iter_rows(min_row=2, values_only=True))[0] == "活動マップを配る"


def test_the_wards_pdf_is_made_in_the_background(users: dict) -> None:
    make_year()
    approved()
    ward = as_(users["ward"])
    url = f"/staff/reports/131199/{YEAR}/"
    assert ward.get(url + "report.pdf")["Location"] == url + "pdf/"
    assert ward.get(url + "pdf/").status_code == 200
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert ward.post(url + "pdf/").status_code == 302
    record = ReportFile.objects.get()
    assert record.job_status == "queued"
    # A second request while it waits starts nothing more.
    ward.post(url + "pdf/")
    assert run_tasks() == 1
    record.refresh_from_db()
    assert record.job_status == "done" and record.job_total == 2 and record.pdf
    fragment = ward.get(url + "pdf/", headers={"HX-Request": "true"}).content.decode()
    assert "100%" in fragment and url + "pdf/file/" in fragment
    response = ward.get(url + "pdf/file/")
    text = pdf_text(response.content)
    assert "板橋区" in text and "高島平" in text and TEXTS["next_year"] in text.replace("\n", "")
    pages = PdfReader(io.BytesIO(response.content)).pages
    numbers = [int(re.findall(r"(\d+)\s*$", page.extract_text())[0]) for page in pages]
    assert numbers == list(range(1, len(pages) + 1))  # numbered on through the regions' chapters
    texts = [page.extract_text() for page in pages]
    chapter = next(n for n, text in enumerate(texts) if "第1版（" in text)
    assert chapter > 0 and "高島平" in texts[chapter]  # the region's chapter starts a page
    assert as_(users["other_admin"]).get(url + "pdf/file/").status_code == 404
