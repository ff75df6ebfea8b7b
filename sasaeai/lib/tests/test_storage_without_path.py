"""Uploaded files on a storage that has no local path, as an S3 bucket has none
(SASAEAI_S3_BUCKET): a receipt, an activity's photo, a meeting's photo, a case's photo and
file, an event's material, a booklet's PDF and a staged import are each kept in that
storage, nothing lands on the disk, and each is read back through its own view after the
view's access check. No code asks any of them for a path. And the S3 configuration builds
the storages it should (receipts in the same bucket, under private/, with no URL) without a
network call."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory

from sasaeai.booklets.tests.builders import make_edition
from sasaeai.budgets.models import Expense
from sasaeai.budgets.tests.builders import PDF, YEAR, category, make_budget, pdf_file
from sasaeai.councils.models import MeetingPhoto
from sasaeai.councils.tests.builders import make_meeting
from sasaeai.directory.tests.builders import make_activity
from sasaeai.directory.tests.photos import edit_data, image_bytes, upload
from sasaeai.events.models import Material
from sasaeai.events.tests.builders import make_event
from sasaeai.knowhow.models import CaseFile, CasePhoto
from sasaeai.knowhow.tests.builders import make_case
from sasaeai.lib import import_views

from .pathless import PathlessStorage, every_file, use_pathless

pytestmark = pytest.mark.django_db


@pytest.fixture
def storage(settings: Any, tmp_path: Path) -> Iterator[Storage]:
    """The default storage without a path; MEDIA_ROOT an empty folder that must stay empty."""
    settings.MEDIA_ROOT = tmp_path / "media"
    yield use_pathless(settings)
    assert PathlessStorage.asked == []  # nobody asked for a path, not even in a try
    assert not (tmp_path / "media").exists()  # nothing written to the disk


def as_(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_receipt_goes_to_the_storage_and_only_its_view_serves_it(
    users: dict[str, Any], storage: Storage
) -> None:
    budget = make_budget()
    data = {"spent_on": f"{YEAR}-05-01", "category": category().pk, "item": "会場費",
            "amount": "2000", "receipt": pdf_file("領収書 5月.pdf")}  # fmt: skip
    url = f"/staff/budgets/{budget.council_id}/{YEAR}/expenses/new/"
    assert as_(users["sc"]).post(url, data).status_code == 302
    expense = Expense.objects.get()
    name = str(expense.receipt.name)
    assert name.startswith("private/budgets/receipts/") and every_file(storage) == {name: PDF}
    with pytest.raises(ValueError, match="no public URL"):
        _ = expense.receipt.url
    receipt = f"/staff/budgets/expenses/{expense.pk}/receipt/"
    response = as_(users["block"]).get(receipt)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert as_(users["other_sc"]).get(receipt).status_code == 404


def test_an_activity_photo_is_kept_in_the_storage_and_shown_from_it(
    users: dict[str, Any], storage: Storage
) -> None:
    activity = make_activity("いきいきサロン")
    client, data = as_(users["sc"]), edit_data(activity, photo=upload(image_bytes()))
    assert client.post(f"/staff/activities/{activity.pk}/edit/", data).status_code == 302
    activity.refresh_from_db()
    [(name, content)] = every_file(storage).items()
    assert name == activity.photo.name and content.startswith(b"\xff\xd8")  # a JPEG
    response = client.get(activity.photo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response.content == content


def test_a_meeting_photo_is_kept_in_the_storage_and_shown_to_staff_of_the_area(
    users: dict[str, Any], storage: Storage
) -> None:
    meeting = make_meeting()
    data = {"image": upload(image_bytes()), "caption": "グループで話し合い"}
    as_(users["sc"]).post(f"/staff/councils/meetings/{meeting.pk}/photos/", data)
    photo = MeetingPhoto.objects.get()
    [(name, content)] = every_file(storage).items()
    assert name == photo.image.name
    response = as_(users["ward"]).get(photo.url)
    assert response.status_code == 200 and response.content == content
    assert as_(users["other_sc"]).get(photo.url).status_code == 404


def test_a_case_photo_and_file_are_kept_in_the_storage_and_served_from_it(
    users: dict[str, Any], storage: Storage, django_capture_on_commit_callbacks: Any
) -> None:
    case = make_case(by=users["sc"])
    client, base = as_(users["sc"]), f"/staff/knowhow/cases/{case.pk}"
    photo_data = {"image": SimpleUploadedFile("IMG_0001.jpg", image_bytes()), "caption": "体操"}
    client.post(f"{base}/photos/", photo_data)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    client.post(f"{base}/files/", {"title": "記録", "file": SimpleUploadedFile("記録.pdf", pdf)})
    photo, file = CasePhoto.objects.get(), CaseFile.objects.get()
    assert set(every_file(storage)) == {photo.image.name, file.file.name}
    shown = client.get(photo.url)
    assert shown.status_code == 200 and shown["Content-Type"] == "image/jpeg"
    download = client.get(f"{base}/files/{file.pk}/")
    assert download.status_code == 200 and download.content == pdf
    # Removing the photo removes its file from the storage once the removal commits.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{base}/photos/{photo.pk}/remove/")
    assert list(every_file(storage)) == [file.file.name]


def test_an_event_material_is_kept_in_the_storage_and_downloaded_from_it(
    users: dict[str, Any], storage: Storage
) -> None:
    event = make_event()
    upload_ = SimpleUploadedFile("shiryou.pdf", b"%PDF-1.4 test", "application/pdf")
    as_(users["ward"]).post(
        f"/staff/events/{event.pk}/materials/", {"title": "資料", "file": upload_}
    )
    material = Material.objects.get()
    assert every_file(storage) == {material.file.name: b"%PDF-1.4 test"}
    response = as_(users["sc"]).get(f"/staff/events/materials/{material.pk}/")
    assert response.status_code == 200 and response.getvalue() == b"%PDF-1.4 test"


def test_a_booklets_pdf_is_streamed_from_the_storage(
    users: dict[str, Any], storage: Storage
) -> None:
    edition = make_edition()
    edition.pdf.save("guidebook.pdf", ContentFile(PDF))  # as services.make keeps it
    url = f"/staff/booklets/editions/{edition.pk}/guidebook.pdf"
    response = as_(users["sc"]).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert every_file(storage) == {edition.pdf.name: PDF}
    assert as_(users["other_sc"]).get(url).status_code == 404


def test_an_import_waits_for_its_commit_in_the_storage(storage: Storage) -> None:
    request = RequestFactory().post("/")
    request.session = SessionStore()
    token = import_views.stage(request, "upload", b"id,a\n1,2\n")
    content, name = import_views.staged(request, "upload", token) or (b"", "")
    assert content == b"id,a\n1,2\n" and every_file(storage) == {name: content}
    import_views.stage(request, "upload", b"id,a\n3,4\n")  # a new dry run: the old one goes
    assert list(every_file(storage)) != [name] and len(every_file(storage)) == 1
    import_views.discard(request, "upload")
    assert every_file(storage) == {}


S3_SCRIPT = """
import json, socket, django

def refuse(*args, **kwargs):
    raise AssertionError("a network call")

socket.socket.connect = refuse
socket.create_connection = refuse
django.setup()
from django.core.files.storage import storages
from sasaeai.booklets.tests.builders import make_edition
from sasaeai.budgets.models import Expense

default, receipts = storages["default"], Expense._meta.get_field("receipt").storage
name = receipts.generate_filename("private/budgets/receipts/2026/ab12.pdf")
try:
    receipts.url(name)
    refused = False
except ValueError:
    refused = True
print(json.dumps({
    "default": f"{type(default).__module__}.{type(default).__name__}",
    "receipts_in": f"{type(receipts.backend).__module__}.{type(receipts.backend).__name__}",
    "same_storage": receipts.backend is default,
    "bucket": default.bucket_name, "endpoint": default.endpoint_url, "prefix": default.location,
    "acl": default.default_acl, "signed": default.querystring_auth,
    "overwrite": default.file_overwrite, "key": default._normalize_name(name),
    "receipt_url_refused": refused,
}))
"""


def test_the_s3_configuration_puts_every_upload_and_receipt_in_the_bucket() -> None:
    """settings.py with SASAEAI_S3_BUCKET, in a process of its own with no network."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SASAEAI_", "AWS_"))}
    clean.update(
        SASAEAI_TESTING="1", DATABASE_URL="sqlite:///:memory:",
        DJANGO_SETTINGS_MODULE="sasaeai.settings", AWS_EC2_METADATA_DISABLED="true",
        SASAEAI_S3_BUCKET="ward-files", SASAEAI_S3_ENDPOINT_URL="https://s3.example.jp",
        SASAEAI_S3_PREFIX="itabashi",
    )  # fmt: skip
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", S3_SCRIPT], cwd=django_settings.BASE_DIR, env=clean,
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.splitlines()[-1])
    assert found == {
        "default": "storages.backends.s3.S3Storage",
        "receipts_in": "storages.backends.s3.S3Storage",
        "same_storage": True,
        "bucket": "ward-files",
        "endpoint": "https://s3.example.jp",
        "prefix": "itabashi",
        "acl": None,
        "signed": True,
        "overwrite": False,
        "key": "itabashi/private/budgets/receipts/2026/ab12.pdf",
        "receipt_url_refused": True,
    }
