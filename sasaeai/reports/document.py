"""A report as one document: what the page, the PDF, the .docx and the .xlsx all show.

An approved version shows what was frozen in it; otherwise the facts are compiled now and the
texts are those being written. A block's or the ward's report carries, after its own sections,
each region's approved version (by id: an approved version never changes).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sasaeai.areas.models import Area

from .compile import compile_year
from .models import SECTIONS, Report, ReportVersion
from .pictures import Picture, chosen, read_pictures


@dataclass
class Document:
    area: Area
    year: int
    data: dict[str, Any]
    texts: dict[str, str]
    state: str  # "第2版（承認済み）", "下書き（第3版）"…
    version: ReportVersion | None = None
    regions: list[Document] = field(default_factory=list)

    @property
    def title(self) -> str:
        return _("%(area)s %(year)s 活動報告") % {
            "area": self.area.name,
            "year": self.data.get("year_label", self.year),
        }

    @cached_property
    def pictures(self) -> list[Picture]:
        """The chosen photos, read once for the page or the file (pictures.py)."""
        return read_pictures(self.data)

    @property
    def pictures_missing(self) -> int:
        return sum(1 for p in self.pictures if p.missing)

    def sections(self) -> list[tuple[str, str, str]]:
        """(name, heading, text) of each written section, in order."""
        return [(name, str(label), self.texts.get(name, "")) for name, label in SECTIONS]


def state_of(report: Report | None, version: ReportVersion | None) -> str:
    if version is not None:
        day = date_format(timezone.localtime(version.approved_at).date(), "Y年n月j日")
        return _("第%(n)s版（%(day)s 承認）") % {"n": version.number, "day": day}
    if report is None:
        return _("まだ書き始めていません")
    return _("第%(n)s版 %(status)s") % {"n": report.version, "status": report.get_status_display()}


def build(area: Area, year: int, report: Report | None, version: ReportVersion | None) -> Document:
    """The document of `area`'s report of `year`: the approved `version` if given, else the
    report as it is being written (or not begun)."""
    if version is not None:
        data, texts = version.data, version.texts()
    else:
        data = compile_year(area, year)
        data["photos"] = chosen(report)
        texts = report.texts() if report else {name: "" for name, _label in SECTIONS}
    found = Document(area, year, data, texts, state_of(report, version), version)
    found.regions = regions_of(data)
    return found


def regions_of(data: dict[str, Any]) -> list[Document]:
    """The regions' approved versions a block's or the ward's report gathers."""
    ids = [row["version_id"] for row in data.get("regions", [])]
    if not ids:
        return []
    versions = ReportVersion.objects.filter(pk__in=ids).select_related("report__area")
    by_id = {v.pk: v for v in versions}
    return [
        Document(v.report.area, v.report.fiscal_year, v.data, v.texts(), state_of(v.report, v), v)
        for pk in ids
        if (v := by_id.get(pk)) is not None
    ]
