"""The report as files: a PDF (a region's made in the request; a block's or the ward's, with
every region's approved report in it, by the task worker with its progress on a page), a
.docx and an .xlsx. Each of a draft as written now, or of an approved version (?version=N)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sasaeai.accounts import access
from sasaeai.areas.models import Area, AreaKind
from sasaeai.lib.spreadsheets import XLSX

from . import document, lookups, printing
from .docx import docx_of
from .models import ReportFile
from .views import _year, chosen
from .workbook import xlsx_of

VIEW = lookups.VIEW
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _document(request: HttpRequest, code: str, year: int) -> document.Document:
    area = lookups.area(request, code)
    report = lookups.report(area, _year(year))
    return document.build(area, year, report, chosen(request, report))


def _name(doc: document.Document, extension: str) -> str:
    version = f"-v{doc.version.number}" if doc.version else "-draft"
    return f"report-{doc.area.code}-{doc.year}{version}.{extension}"


def _attachment(content: bytes, kind: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@access.require(VIEW)
def pdf(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """A region's report as PDF, made now; a block's or the ward's is made in the background
    (its page)."""
    doc = _document(request, code, year)
    if doc.area.kind != AreaKind.REGION:
        query = f"?version={doc.version.number}" if doc.version else ""
        return redirect(reverse("reports_staff:pdf_job", args=[code, year]) + query)
    content = printing.pdf_of(doc, request.build_absolute_uri("/"))
    return _attachment(content, "application/pdf", _name(doc, "pdf"))


@require_GET
@access.require(VIEW)
def docx(request: HttpRequest, code: str, year: int) -> HttpResponse:
    doc = _document(request, code, year)
    return _attachment(docx_of(doc), DOCX, _name(doc, "docx"))


@require_GET
@access.require(VIEW)
def xlsx(request: HttpRequest, code: str, year: int) -> HttpResponse:
    doc = _document(request, code, year)
    return _attachment(xlsx_of(doc), XLSX, _name(doc, "xlsx"))


def _record(request: HttpRequest, code: str, year: int) -> tuple[Area, ReportFile | None, int]:
    area = lookups.area(request, code)
    report = lookups.report(area, _year(year))
    version = chosen(request, report)
    number = version.number if version else 0
    found = ReportFile.objects.filter(area=area, fiscal_year=year, version=number).first()
    return area, found, number


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def pdf_job(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The making of a report's PDF in the background: POST starts it, the page (and its
    fragment, asked again by htmx) shows how far it is, then the download."""
    area, record, number = _record(request, code, year)
    query = f"?version={number}" if number else ""
    if request.method == "POST":
        if record is None:
            record = ReportFile.objects.create(area=area, fiscal_year=year, version=number)
        if printing.start(record):
            started = _("PDFを作り始めました。できあがるまで、このページで待てます。")
            messages.success(request, started)
        else:
            messages.error(request, _("このPDFは、いま作っているところです。"))
        return redirect(reverse("reports_staff:pdf_job", args=[code, year]) + query)
    context = {
        "area": area, "year": year, "ancestors": area.ancestors(), "number": number,
        "query": query, "job": record or ReportFile(area=area, fiscal_year=year, version=number),
        "download": reverse("reports_staff:pdf_file", args=[code, year]) + query
        if record is not None and record.pdf else "",
    }  # fmt: skip
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "includes/job_progress.html", context)
    return render(request, "reports/pdf_job.html", context)


@require_GET
@access.require(VIEW)
def pdf_file(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """The PDF made in the background, once made; else its page."""
    _area, record, number = _record(request, code, year)
    if record is None or not record.pdf:
        query = f"?version={number}" if number else ""
        return redirect(reverse("reports_staff:pdf_job", args=[code, year]) + query)
    name = f"report-{code}-{year}-{'v' + str(number) if number else 'draft'}.pdf"
    with record.pdf.open("rb") as stored:
        return _attachment(stored.read(), "application/pdf", name)
