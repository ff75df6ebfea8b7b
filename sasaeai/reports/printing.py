"""The report as a PDF (A4, the booklet's type: lib/pdf.py with print-document.css, then
this app's pdf.css). A region's report is made in the request; a block's or the ward's, with
every region's approved report in it, in a task (tasks.py) that tells its progress."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from sasaeai.areas.models import Area
from sasaeai.lib import jobs, links, pdf

from . import document
from .document import Document
from .models import Report, ReportFile

log = logging.getLogger(__name__)

STYLESHEET = Path(__file__).parent / "pdf.css"


def steps(doc: Document) -> int:
    """How many steps `pdf_of` reports: the report's own part, then each region's chapter."""
    return 1 + len(doc.regions)


def pdf_of(doc: Document, base_url: str, progress: Callable[[int], None] | None = None) -> bytes:
    """The PDF of the report, calling `progress(done)` after each part is laid out: the
    report's own (cover and its chapter), then each region's chapter of a block's or the
    ward's. Each part's page numbers go on from the last one's; the pages are written as one
    document, so the fonts are embedded once."""
    sheets = pdf.sheets(STYLESHEET)
    parts = [render_to_string("reports/pdf.html", {"doc": doc})]
    for number, region in enumerate(doc.regions, start=1):
        context = {"doc": region, "pre": f"r{number}-", "chapter": True}
        parts.append(render_to_string("reports/pdf_chapter.html", context))
    pages: list[Any] = []
    first = None
    for done, markup in enumerate(parts, start=1):
        numbered = pdf.numbered_from(len(pages) + 1)
        laid_out = pdf.html(markup, base_url).render(stylesheets=[*sheets, numbered])
        first = first or laid_out
        pages.extend(laid_out.pages)
        if progress is not None:
            progress(done)
    assert first is not None
    written = first.copy(pages).write_pdf()
    assert written is not None
    return written


def base_url(area: Area) -> str:
    return links.absolute("/", area.municipality or area)


def start(record: ReportFile) -> bool:
    """Queue the making of a block's or the ward's PDF; False when one is queued or running
    already (nothing more is started)."""
    if not jobs.claim(record):
        return False
    from .tasks import make_report_pdf  # the tasks module imports this one

    transaction.on_commit(lambda: make_report_pdf.enqueue(record.pk), robust=True)
    return True


def build(record: ReportFile) -> None:
    """Make the PDF of the record's report and version and store it; a failure is recorded
    on the record (its reason for people) and logged."""
    try:
        report = Report.objects.filter(area=record.area, fiscal_year=record.fiscal_year).first()
        version = report.versions.filter(number=record.version).first() if report else None
        doc = document.build(record.area, record.fiscal_year, report, version)
        jobs.begin(record, steps(doc))
        pdf = pdf_of(doc, base_url(record.area), lambda done: jobs.advance(record, done))
    except Exception:
        log.exception("The report PDF %s could not be made", record.pk)
        jobs.fail(record, _("作成の途中で問題が起きました。もう一度お試しください。"))
        return
    if record.pdf:
        record.pdf.delete(save=False)
    name = f"report-{record.area.code}-{record.fiscal_year}-v{record.version}.pdf"
    record.pdf.save(name, ContentFile(pdf), save=False)
    ReportFile.objects.filter(pk=record.pk).update(pdf=record.pdf.name)
    jobs.finish(record)
