"""The PDF of a block's or the ward's report, made by the task worker. The payload is an id."""

from __future__ import annotations

from django.tasks import task

from . import printing
from .models import ReportFile


@task()
def make_report_pdf(file_id: int) -> bool:
    """Make the PDF of a ReportFile (printing.build); False if the record is gone."""
    record = ReportFile.objects.select_related("area").filter(pk=file_id).first()
    if record is None:
        return False
    printing.build(record)
    return True
