"""The minutes' photos a report carries.

A draft names the photos chosen on its edit page (Report.photos); approval copies each file
under reports/photos/ and keeps the copies' names in the version's data (`data["photos"]`,
beside the facts), so an approved version shows the same photos whatever happens to the
minutes later: a photo removed from a meeting is gone from the minutes, not from a report
already approved. Copies rather than a lock on the minutes' photos, because a photo of a
person who asks for it to go must be removable from the minutes at once, and an approved
version must still print as it was approved (the ward's record of the year).

Every row is plain data (file name, caption, meeting, day); `read_pictures` reads the files for the
page, the PDF (data: URLs: lib/pdf.py fetches nothing else) and the .docx. A missing or
unreadable file is left out with a note, never an error.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.utils.formats import date_format

from sasaeai.councils.models import Council, MeetingPhoto
from sasaeai.lib import photos
from sasaeai.lib.fiscal import year_bounds

from .models import Report

COPIES = "reports/photos/"


def year_photos(council: Council | None, year: int) -> QuerySet[MeetingPhoto]:
    """The photos of the council's meetings held in 年度 `year`: what a report may choose."""
    if council is None:
        return MeetingPhoto.objects.none()
    start, end = year_bounds(year)
    return (
        MeetingPhoto.objects.filter(
            meeting__council=council, meeting__date__gte=start, meeting__date__lte=end
        )
        .select_related("meeting")
        .order_by("meeting__date", "meeting__number", "added_at", "pk")
    )


def _row(photo: MeetingPhoto, file: str) -> dict[str, Any]:
    return {
        "file": file,
        "caption": photo.caption,
        "meeting": photo.meeting.title,
        "date": date_format(photo.meeting.date, "Y年n月j日"),
    }


def chosen(report: Report | None) -> list[dict[str, Any]]:
    """The draft's chosen photos, pointing at the minutes' own files."""
    if report is None or report.pk is None:
        return []
    return [_row(p, p.image.name or "") for p in _ordered(report)]


def frozen(report: Report) -> list[dict[str, Any]]:
    """The chosen photos copied for an approved version (a file that cannot be read is kept
    as a row without a file: the version notes it)."""
    rows = []
    for photo in _ordered(report):
        stored = photos.read(photo.image.storage, photo.image.name or "")
        copy = ""
        if stored is not None:
            copy = default_storage.save(
                f"{COPIES}{secrets.token_hex(8)}.jpg", ContentFile(stored[0])
            )
        rows.append(_row(photo, copy))
    return rows


def _ordered(report: Report) -> list[MeetingPhoto]:
    return list(
        report.photos.select_related("meeting").order_by(
            "meeting__date", "meeting__number", "added_at", "pk"
        )
    )


@dataclass(frozen=True)
class Picture:
    caption: str
    meeting: str
    date: str
    content: bytes | None  # None: the file is missing or unreadable
    uri: str  # a data: URL, "" when missing

    @property
    def missing(self) -> bool:
        return self.content is None


def read_pictures(data: dict[str, Any]) -> list[Picture]:
    """The photos of a report's data, read from storage."""
    found = []
    for row in data.get("photos", []):
        stored = photos.read(default_storage, row.get("file", ""))
        found.append(
            Picture(
                caption=row.get("caption", ""), meeting=row.get("meeting", ""),
                date=row.get("date", ""), content=stored[0] if stored else None,
                uri=photos.data_uri(*stored) if stored else "",
            )
        )  # fmt: skip
    return found
