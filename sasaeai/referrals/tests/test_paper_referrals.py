"""The referral form on paper, both ways: the region's SC prints sheets for an institution
(its QR code holding the reference), attaches a returned sheet by its reference (its image
encrypted at rest, seen only by those a referral's rules let see it, every look audited) and
types the draft referral beside it. The image goes with the referral's personal data."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from pypdf import PdfReader

from sasaeai.audit.models import AuditEntry
from sasaeai.lib import paper_forms
from sasaeai.lib.tests.test_paper_forms import (
    codes,
    needs_poppler,
    needs_zbar,
    pages,
    png,
    upload,
)
from sasaeai.referrals import crypto, services
from sasaeai.referrals.models import Referral, ReferralSheet
from sasaeai.test import area

from .builders import consent, link_staff, make_institution

pytestmark = pytest.mark.django_db
BASE = "/staff/referrals/paper/"


@pytest.fixture
def centre(users: dict) -> Any:
    return make_institution()


def blank(centre: Any, code: str = "takashimadaira", by: Any = None) -> ReferralSheet:
    return paper_forms.issue(ReferralSheet, 1, by=by, area=area(code), institution=centre)[0]


def returned(centre: Any, by: Any) -> ReferralSheet:
    sheet = blank(centre, by=by)
    sealed = ContentFile(crypto.encrypt_bytes(png()), name="x.bin")
    paper_forms.attach(sheet, sealed, by=by)
    return sheet


def typed(sheet: ReferralSheet, centre: Any) -> dict[str, Any]:
    return {
        "area": sheet.area.pk, "institution": centre.pk, "problem_kind": "dementia",
        "person_name": "板橋 太郎", "person_contact": "03-0000-1234", "person_address": "",
        "problem": "物忘れが増え、一人暮らしが心配。", "tried": "",
        "consent_by": "person", "consent_method": "written", "consent_witness": "",
        "consent_on": "2026-04-01", "consent_purpose": "介護の相談をつなぐため",
    }  # fmt: skip


def test_the_sc_prints_forms_for_an_institution(client: Client, users: dict, centre: Any) -> None:
    client.force_login(users["sc"])
    response = client.post(BASE, {"area": area("takashimadaira").pk, "institution": centre.pk,
                                  "count": 2})  # fmt: skip
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    sheets = list(ReferralSheet.objects.order_by("pk"))
    assert len(sheets) == 2 and all(s.institution == centre for s in sheets)
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "つなぎ連絡票" in text and centre.name in text and sheets[0].reference in text
    assert sheets[0].reference in client.get(BASE).content.decode()


def test_only_referral_senders_print(client: Client, users: dict, centre: Any) -> None:
    client.force_login(users["ward"])  # handles no referral: the pages do not exist
    assert client.get(BASE).status_code == 404
    link_staff(users["institution"], centre)
    client.force_login(users["institution"])  # answers referrals, opens none
    assert client.get(BASE).status_code == 403
    assert not ReferralSheet.objects.exists()


@needs_poppler
@needs_zbar
def test_the_form_reads_back_and_its_image_is_kept_encrypted(
    client: Client, users: dict, centre: Any, tmp_path: Path
) -> None:
    client.force_login(users["sc"])
    pdf = client.post(BASE, {"area": area("takashimadaira").pk, "institution": centre.pk,
                             "count": 1}).content  # fmt: skip
    sheet = ReferralSheet.objects.get()
    [page] = pages(pdf, tmp_path, "referral-sheet")
    assert codes(page) == [sheet.reference]
    response = client.post(BASE + "attach/", {"reference": "", "scan": upload(page)})
    assert response.status_code == 302 and response["Location"] == sheet.get_absolute_url()
    sheet.refresh_from_db()
    with sheet.scan.open("rb") as file:
        stored = file.read()
    assert not stored.startswith(b"\xff\xd8")  # not a JPEG at rest
    assert crypto.decrypt_bytes(stored).startswith(b"\xff\xd8")
    shown = client.get(sheet.scan_url)
    assert shown["Content-Type"] == "image/jpeg" and shown.content.startswith(b"\xff\xd8")
    assert "no-store" in shown["Cache-Control"]
    assert AuditEntry.objects.filter(action="read", detail="paper referral form").exists()


def test_the_draft_typed_beside_the_image_carries_the_sheet(
    client: Client, users: dict, centre: Any
) -> None:
    sheet = returned(centre, users["sc"])
    client.force_login(users["sc"])
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert sheet.scan_url in page and "用紙の内容を入力する" in page
    response = client.post(sheet.get_absolute_url(), typed(sheet, centre))
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == referral.get_absolute_url()
    assert referral.is_draft and referral.person_name == "板橋 太郎"
    sheet.refresh_from_db()
    assert sheet.referral == referral
    assert sheet.reference in client.get(referral.get_absolute_url()).content.decode()


@pytest.mark.parametrize("which", ["mistyped", "other-region", "unknown"])
def test_a_wrong_reference_is_told_and_nothing_is_kept(
    client: Client, users: dict, centre: Any, which: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paper_forms, "read_reference", lambda content: "")
    other = blank(make_institution("おとしより相談センター板橋", ("itabashi",)), "itabashi")
    reference = {"mistyped": "R-2345-6789", "other-region": other.reference,
                 "unknown": paper_forms.new_reference("R")}[which]  # fmt: skip
    client.force_login(users["sc"])
    response = client.post(BASE + "attach/", {"reference": reference, "scan": upload(png())})
    assert response.status_code == 400
    assert ("打ち間違い" if which == "mistyped" else "見つかりません") in response.content.decode()
    assert not ReferralSheet.objects.exclude(scan="").exists()


@pytest.mark.parametrize("who", ["other_sc", "other_admin", "member", "institution"])
def test_the_filled_sheet_is_hidden_from_everyone_else(
    client: Client, users: dict, centre: Any, who: str
) -> None:
    sheet = returned(centre, users["sc"])
    client.force_login(users[who])
    assert client.get(sheet.get_absolute_url()).status_code == 404
    assert client.get(sheet.scan_url).status_code == 404
    assert client.post(sheet.get_absolute_url(), typed(sheet, centre)).status_code == 404
    assert not Referral.objects.exists()


def test_the_institution_sees_the_sheet_once_the_referral_is_sent(
    client: Client, users: dict, centre: Any
) -> None:
    link_staff(users["institution"], centre)
    sheet = returned(centre, users["sc"])
    client.force_login(users["sc"])
    client.post(sheet.get_absolute_url(), typed(sheet, centre))
    referral = Referral.objects.get()
    client.force_login(users["institution"])
    assert client.get(sheet.scan_url).status_code == 404  # a draft is the sender's
    services.send(referral, by=users["sc"])
    assert client.get(sheet.scan_url).status_code == 200


def test_the_image_goes_with_the_personal_data(
    client: Client, users: dict, centre: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sheet = returned(centre, users["sc"])
    referral = Referral(area=sheet.area, institution=centre, person_name="x", problem="y",
                        **consent())  # fmt: skip
    services.open_referral(referral, by=users["sc"])
    sheet.referral = referral
    sheet.save(update_fields=["referral"])
    path = Path(sheet.scan.path)
    with django_capture_on_commit_callbacks(execute=True):
        services.erase_now(referral, by=users["sc"])
    sheet.refresh_from_db()
    assert not sheet.scan and not path.exists()
    client.force_login(users["sc"])
    assert "個人情報とともに消しました" in client.get(sheet.get_absolute_url()).content.decode()


def test_key_rotation_moves_the_sheet_images_to_the_newest_key(
    users: dict, centre: Any, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv(crypto.ENV, old)
    crypto.forget_keys()
    try:
        sheet = returned(centre, users["sc"])
        before = sheet.scan.name or ""
        monkeypatch.setenv(crypto.ENV, f"{new},{old}")
        crypto.forget_keys()
        with pytest.raises(Exception):  # noqa: B017 - the old key's file, unreadable by `new` alone
            Fernet(new.encode()).decrypt(Path(sheet.scan.path).read_bytes())
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("rotate_personal_data_keys", stdout=out)
        assert "1 paper referral forms" in out.getvalue()
        monkeypatch.setenv(crypto.ENV, new)  # the old key gone: the image still reads
        crypto.forget_keys()
        sheet.refresh_from_db()
        with sheet.scan.open("rb") as file:
            assert crypto.decrypt_bytes(file.read()) == png()
        assert sheet.scan.name != before and not sheet.scan.storage.exists(before)
    finally:
        monkeypatch.delenv(crypto.ENV)
        crypto.forget_keys()
