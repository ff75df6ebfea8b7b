"""The need form on paper, both ways: staff print blank sheets for a region (one page and one
reference each, its QR code holding the reference), attach a returned sheet by its reference
(typed, or read from the QR code), and type the need beside its image. A wrong, unknown,
foreign or used reference is told in Japanese and keeps nothing; another region or town
gets 404."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from sasaeai.lib import paper_forms
from sasaeai.lib.tests.test_paper_forms import (
    codes,
    needs_poppler,
    needs_zbar,
    pages,
    png,
    returned_sheet,
    upload,
)  # fmt: skip
from sasaeai.needs.models import Need, NeedSheet
from sasaeai.test import area

from .builders import need_kind

pytestmark = pytest.mark.django_db
BASE = "/staff/needs/paper/"


def print_sheets(client: Client, code: str = "takashimadaira", count: int = 1) -> Any:
    return client.post(BASE, {"area": area(code).pk, "count": count})


def returned(code: str = "takashimadaira", by: Any = None) -> NeedSheet:
    return returned_sheet(NeedSheet, by=by, area=area(code))


def blank(code: str = "takashimadaira") -> NeedSheet:
    return paper_forms.issue(NeedSheet, 1, by=None, area=area(code))[0]


def kept_files(settings: Any) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).glob("paper/**/*") if p.is_file()]


def test_the_sc_prints_sheets_each_with_its_own_reference(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    response = print_sheets(client, count=3)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    sheets = list(NeedSheet.objects.order_by("pk"))
    assert len(sheets) == 3 and len({s.reference for s in sheets}) == 3
    assert all(s.area.code == "takashimadaira" and s.printed_by == users["sc"] for s in sheets)
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 3
    first = reader.pages[0].extract_text()
    assert "困りごと受付票" in first and sheets[0].reference in first and "高島平" in first
    listed = client.get(BASE).content.decode()
    assert sheets[0].reference in listed and "まだ戻っていません" in listed


def test_printing_for_a_region_not_ones_own_is_refused(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    response = print_sheets(client, code="itabashi")
    assert response.status_code == 400
    assert "地域は一覧から選んでください。" in response.content.decode()
    assert not NeedSheet.objects.exists()
    too_many = print_sheets(client, count=31)
    assert too_many.status_code == 400 and "30枚まで" in too_many.content.decode()
    assert not NeedSheet.objects.exists()


@needs_poppler
@needs_zbar
def test_the_printed_sheet_reads_back_as_its_reference(
    client: Client, users: dict, tmp_path: Path
) -> None:
    client.force_login(users["sc"])
    pdf = print_sheets(client, count=1).content
    sheet = NeedSheet.objects.get()
    [page] = pages(pdf, tmp_path, "need-sheet")
    assert codes(page) == [sheet.reference]
    # Sent back as a photo of the page, with no number typed: the QR code finds the sheet.
    response = client.post(BASE + "attach/", {"reference": "", "scan": upload(page)})
    assert response.status_code == 302 and response["Location"] == f"{BASE}{sheet.pk}/"
    sheet.refresh_from_db()
    assert sheet.is_returned and sheet.returned_by == users["sc"]


def test_a_sheet_is_attached_by_its_typed_reference(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    sheet = blank()
    typed = sheet.reference.lower().replace("-", "ー")
    response = client.post(BASE + "attach/", {"reference": typed, "scan": upload(png())})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "取り込みました" in page and sheet.reference in page
    sheet.refresh_from_db()
    assert client.get(sheet.scan_url)["Content-Type"] == "image/jpeg"
    assert client.get(sheet.scan_url)["Cache-Control"] == "private, no-store"
    assert client.get(f"{BASE}{sheet.pk}/scan/guessed.jpg/").status_code == 404


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("", "受付票番号を入れてください"),
        ("N-2345-6789", "打ち間違い"),  # its check character does not fit
        ("mine-but-used", "もう取り込まれています"),
        ("other-region", "見つかりません"),
        ("other-town", "見つかりません"),
        ("unknown", "見つかりません"),
    ],
)
def test_a_wrong_reference_is_told_and_nothing_is_kept(
    client: Client, users: dict, settings: Any, monkeypatch: pytest.MonkeyPatch,
    reference: str, message: str,
) -> None:  # fmt: skip
    monkeypatch.setattr(paper_forms, "read_reference", lambda content: "")  # no QR on it
    used = returned(by=users["sc"])
    places = {
        "mine-but-used": used.reference,
        "other-region": blank("itabashi").reference,
        "other-town": blank("minami-jhs").reference,
        "unknown": paper_forms.new_reference("N"),
    }  # fmt: skip
    files_before = kept_files(settings)
    client.force_login(users["sc"])
    response = client.post(
        BASE + "attach/", {"reference": places.get(reference, reference), "scan": upload(png())}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert NeedSheet.objects.exclude(scan="").count() == 1  # only the one used before
    assert kept_files(settings) == files_before


def test_a_file_that_is_not_a_sheet_is_refused(client: Client, users: dict) -> None:
    sheet = blank()
    client.force_login(users["sc"])
    response = client.post(
        BASE + "attach/", {"reference": sheet.reference, "scan": upload(b"MZ...", "a.exe")}
    )
    assert response.status_code == 400
    assert "JPEG・PNG の画像か、スキャンした PDF" in response.content.decode()
    sheet.refresh_from_db()
    assert not sheet.is_returned


def test_the_need_typed_beside_the_image_is_saved_with_the_sheet(
    client: Client, users: dict
) -> None:
    sheet = returned(by=users["sc"])
    client.force_login(users["sc"])
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert sheet.scan_url in page and "用紙の内容を入力する" in page
    response = client.post(sheet.get_absolute_url(), {
        "area": area("takashimadaira").pk, "kind": need_kind("shopping").pk,
        "what": "坂の上に住んでいて、重い物を買って帰れない。", "source": "resident",
        "people_count": 2, "urgency": 2, "reported_on": "2026-01-05",
    })  # fmt: skip
    need = Need.objects.get()
    assert response.status_code == 302 and response["Location"] == need.get_absolute_url()
    sheet.refresh_from_db()
    assert sheet.need == need and need.created_by == users["sc"]
    detail = client.get(need.get_absolute_url()).content.decode()
    assert sheet.reference in detail and "もとの紙の受付票" in detail
    assert f"紙の受付票 {sheet.reference} から" in detail
    # The sheet is used: a second need is not made from it.
    again = client.post(sheet.get_absolute_url(), {"what": "二度目"})
    assert again.status_code == 302 and Need.objects.count() == 1


def test_a_need_form_with_mistakes_keeps_nothing(client: Client, users: dict) -> None:
    sheet = returned(by=users["sc"])
    client.force_login(users["sc"])
    response = client.post(sheet.get_absolute_url(), {"area": area("takashimadaira").pk})
    assert response.status_code == 400 and "入力内容を確認してください" in response.content.decode()
    assert not Need.objects.exists()


@pytest.mark.parametrize("who", ["other_sc", "other_admin"])
def test_another_region_or_town_gets_404(client: Client, users: dict, who: str) -> None:
    sheet = returned(by=users["sc"])
    client.force_login(users[who])
    for path in (sheet.get_absolute_url(), sheet.scan_url, f"{BASE}{sheet.pk}/pdf/"):
        assert client.get(path).status_code == 404, path
    assert client.post(sheet.get_absolute_url(), {"what": "x"}).status_code == 404
    assert sheet.reference not in client.get(BASE).content.decode()


def test_a_council_member_may_look_but_not_type(client: Client, users: dict) -> None:
    sheet = returned(by=users["sc"])
    client.force_login(users["member"])
    assert client.get(sheet.get_absolute_url()).status_code == 200
    assert client.post(sheet.get_absolute_url(), {"what": "x"}).status_code == 403
    assert client.get(BASE).status_code == 403
    assert client.post(BASE + "attach/").status_code == 403
