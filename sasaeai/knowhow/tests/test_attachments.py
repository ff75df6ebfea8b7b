"""A case's photos and files: added on the case page, checked by their content (an .exe
renamed .pdf is refused and nothing is kept), photos on the public page only with consent and
never internal ones, files downloaded by staff who read the case."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sasaeai.accounts.models import User
from sasaeai.directory.tests.photos import image_bytes

from ..models import Audience, CaseFile, CasePhoto, CaseStatus
from .builders import make_case

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def as_(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def stored(media: Path) -> set[Path]:
    return {path for path in media.rglob("*") if path.is_file()}


def xlsx_bytes() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["参加者", 25])  # type: ignore[union-attr]
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def add_photo(client: Client, pk: int, **fields: Any) -> Any:
    data = {"image": SimpleUploadedFile("IMG_0001 山田さん.jpg", image_bytes()),
            "caption": "朝の体操のあと", **fields}  # fmt: skip
    return client.post(f"/staff/knowhow/cases/{pk}/photos/", data, follow=True)


def add_file(client: Client, pk: int, content: bytes, name: str) -> Any:
    data = {"title": "参加者の記録", "file": SimpleUploadedFile(name, content)}
    return client.post(f"/staff/knowhow/cases/{pk}/files/", data, follow=True)


def test_an_exe_renamed_pdf_is_refused_and_nothing_is_kept(
    users: dict[str, User], tmp_path: Path
) -> None:
    case = make_case(by=users["sc"])
    client = as_(users["sc"])
    page = add_file(client, case.pk, b"MZ\x90\x00\x03" + b"\x00" * 200, "議事録.pdf")
    assert "PDF か Excel（.xlsx）のファイルを選んでください。" in page.content.decode()
    # An .xlsx named .pdf, and a file over 5 MB, are refused too.
    page = add_file(client, case.pk, xlsx_bytes(), "記録.pdf")
    assert "中身（Excel (.xlsx)）が合っていません" in page.content.decode()
    page = add_file(client, case.pk, PDF + b"0" * (5 * 1024 * 1024), "大きい.pdf")
    assert "5MBまで" in page.content.decode()
    assert not CaseFile.objects.exists() and not stored(tmp_path)


def test_a_pdf_and_an_xlsx_are_kept_and_downloaded_by_staff_who_read_the_case(
    users: dict[str, User],
) -> None:
    case = make_case(by=users["sc"])
    client = as_(users["sc"])
    page = add_file(client, case.pk, PDF, "チラシ.pdf").content.decode()
    assert "資料を追加しました。" in page and "参加者の記録" in page
    add_file(client, case.pk, xlsx_bytes(), "記録.xlsx")
    pdf, xlsx = CaseFile.objects.order_by("pk")
    response = client.get(f"/staff/knowhow/cases/{case.pk}/files/{pdf.pk}/")
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert str(pdf.file.name).endswith(".pdf") and "チラシ" not in str(pdf.file.name)  # random
    assert xlsx.kind == "xlsx"
    # A draft is not read by another region's SC: their download is a 404.
    assert (
        as_(users["other_sc"]).get(f"/staff/knowhow/cases/{case.pk}/files/{pdf.pk}/").status_code
        == 404
    )


def test_a_photo_without_consent_never_reaches_the_public_page(users: dict[str, User]) -> None:
    case = make_case(by=users["sc"])
    client = as_(users["sc"])
    page = add_photo(client, case.pk, consent="on").content.decode()
    assert "写真を追加しました。" in page
    add_photo(client, case.pk, caption="名前の見える写真")  # no consent
    add_photo(client, case.pk, caption="内部の写真", consent="on", internal="on")
    agreed, unagreed, internal = CasePhoto.objects.order_by("pk")
    case.refresh_from_db()
    # Published for residents by the block's SC.
    from .. import services

    case.audience = Audience.PUBLIC
    case.save()
    services.send_for_review(case, by=users["sc"])
    services.publish(case, by=users["block"])
    public = Client().get(f"/knowhow/{case.pk}/").content.decode()
    assert agreed.public_url in public and "朝の体操のあと" in public
    assert "名前の見える写真" not in public and "内部の写真" not in public
    assert unagreed.file_name not in public and internal.file_name not in public
    anyone = Client()
    assert anyone.get(agreed.public_url).status_code == 200
    assert anyone.get(agreed.public_url)["Content-Type"] == "image/jpeg"
    for hidden in (unagreed, internal):
        assert anyone.get(hidden.public_url).status_code == 404
        assert anyone.get(hidden.url).status_code in (302, 403, 404)
    # Staff who read the case see all three.
    staff = as_(users["other_sc"]).get(f"/staff/knowhow/cases/{case.pk}/").content.decode()
    assert all(p.url in staff for p in (agreed, unagreed, internal))
    assert as_(users["other_sc"]).get(internal.url).status_code == 200


def test_a_disguised_photo_is_refused_and_who_may_not_change_the_case_cannot_add(
    users: dict[str, User], tmp_path: Path
) -> None:
    case = make_case(by=users["sc"])
    client = as_(users["sc"])
    data = {"image": SimpleUploadedFile("写真.jpg", b"MZ\x90\x00" + b"\x00" * 100)}
    page = client.post(f"/staff/knowhow/cases/{case.pk}/photos/", data, follow=True)
    assert "JPEG か PNG の画像を選んでください。" in page.content.decode()
    published = make_case("itabashi", by=users["other_sc"], status=CaseStatus.PUBLISHED)
    refused = add_photo(client, published.pk)  # another region's case: read, not changed
    assert refused.status_code == 403
    assert not CasePhoto.objects.exists() and not stored(tmp_path)


def test_removing_a_photo_removes_its_file(
    users: dict[str, User], tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    case = make_case(by=users["sc"])
    client = as_(users["sc"])
    add_photo(client, case.pk)
    photo = CasePhoto.objects.get()
    assert stored(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(f"/staff/knowhow/cases/{case.pk}/photos/{photo.pk}/remove/", follow=True)
    assert "写真を外しました。" in page.content.decode()
    assert not CasePhoto.objects.exists() and not stored(tmp_path)
