"""Photos from the minutes in the annual report: none until ticked on the edit page, the
choice saved with the draft and frozen (copied) on approval, so the approved version still
prints a photo later removed from the minutes; in the PDF and the .docx with their captions; a
missing file is left out with a note, never an error."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from docx import Document
from pypdf import PdfReader

from sasaeai.councils.models import Meeting, MeetingPhoto
from sasaeai.councils.tests.builders import make_council, make_meeting
from sasaeai.directory.tests.photos import image_bytes
from sasaeai.reports import services
from sasaeai.reports.models import Report

from .builders import TEXTS, YEAR, make_year

pytestmark = pytest.mark.django_db
URL = f"/staff/reports/takashimadaira/{YEAR}/"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def as_(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf_images(content: bytes) -> int:
    """The distinct images of a PDF (WeasyPrint shares one resource dictionary between pages,
    so each page lists every image)."""
    reader = PdfReader(io.BytesIO(content))
    return len({image.name for page in reader.pages for image in page.images})


def photo_of_the_year(caption: str = "みんなで地図を広げました") -> MeetingPhoto:
    council = make_year()
    meeting = Meeting.objects.get(council=council)
    return MeetingPhoto.objects.create(
        meeting=meeting, caption=caption, image=ContentFile(image_bytes(), name="a.jpg")
    )


def save(client: Client, *photos: MeetingPhoto, send: bool = False) -> Any:
    data: dict[str, Any] = {**TEXTS, "photos": [str(p.pk) for p in photos]}
    data["send" if send else "save"] = "1"
    return client.post(URL + "edit/", data)


def test_the_edit_page_offers_the_years_photos_none_ticked(users: dict) -> None:
    photo = photo_of_the_year()
    page = as_(users["sc"]).get(URL + "edit/").content.decode()
    assert "報告に載せる写真" in page and "みんなで地図を広げました" in page
    assert photo.url in page and "checked" not in page.split("報告に載せる写真")[1]


def test_the_choice_is_saved_with_the_draft_and_printed(users: dict) -> None:
    photo = photo_of_the_year()
    client = as_(users["sc"])
    assert save(client, photo).status_code == 302
    report = Report.objects.get()
    assert list(report.photos.all()) == [photo]
    page = client.get(URL).content.decode()
    assert "活動の様子（写真）" in page and "data:image/jpeg;base64," in page
    pdf = client.get(URL + "report.pdf")
    assert pdf.status_code == 200
    assert pdf_images(pdf.content) == 1
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "みんなで地図を広げました" in text.replace("\n", "")
    word = Document(io.BytesIO(client.get(URL + "report.docx").content))
    assert len(word.inline_shapes) == 1
    assert any("みんなで地図を広げました" in p.text for p in word.paragraphs)


def test_unticking_takes_the_photo_out(users: dict) -> None:
    photo = photo_of_the_year()
    client = as_(users["sc"])
    save(client, photo)
    save(client)
    assert not Report.objects.get().photos.exists()
    assert "活動の様子（写真）" not in client.get(URL).content.decode()


def test_a_photo_of_another_area_cannot_be_chosen(users: dict) -> None:
    photo_of_the_year()
    other = make_meeting(make_council("itabashi"), dt.date(YEAR, 6, 1))
    stranger = MeetingPhoto.objects.create(
        meeting=other, image=ContentFile(image_bytes(), name="b.jpg")
    )
    response = save(as_(users["sc"]), stranger)
    assert response.status_code == 200  # the form again, with its message
    assert not Report.objects.filter(photos=stranger).exists()


def test_approval_freezes_the_photo_even_after_it_leaves_the_minutes(
    users: dict, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    photo = photo_of_the_year()
    client = as_(users["sc"])
    save(client, photo, send=True)
    report = Report.objects.get()
    version = services.approve(report, by=users["ward"])
    assert [row["caption"] for row in version.data["photos"]] == ["みんなで地図を広げました"]
    copy = version.data["photos"][0]["file"]
    assert copy.startswith("reports/photos/") and copy != photo.image.name
    original = Path(photo.image.path)
    with django_capture_on_commit_callbacks(execute=True):
        as_(users["sc"]).post(f"/staff/councils/photos/{photo.pk}/remove/")
    assert not MeetingPhoto.objects.exists() and not original.exists()
    pdf = client.get(URL + f"report.pdf?version={version.number}")
    assert pdf_images(pdf.content) == 1
    word = Document(io.BytesIO(client.get(URL + f"report.docx?version={version.number}").content))
    assert len(word.inline_shapes) == 1


def test_a_missing_file_is_left_out_with_a_note(users: dict) -> None:
    photo = photo_of_the_year()
    client = as_(users["sc"])
    save(client, photo)
    Path(photo.image.path).unlink()
    page = client.get(URL)
    assert page.status_code == 200
    assert "ファイルが見つからないため、載せていません" in page.content.decode()
    pdf = client.get(URL + "report.pdf")
    assert pdf.status_code == 200
    assert pdf_images(pdf.content) == 0
    word = client.get(URL + "report.docx")
    assert word.status_code == 200
    assert len(Document(io.BytesIO(word.content)).inline_shapes) == 0
