"""A local event's sign-up sheet on paper, both ways: the SC prints sheets for the event (one
page and reference each, the QR code holding the reference), attaches a returned sheet by its
reference, and types its rows beside the image into the event's sign-ups, with the seats'
rules. A wrong or foreign reference keeps nothing; another region or town gets 404."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from sasaeai.events.models import EventSheet, Signup
from sasaeai.lib import paper_forms
from sasaeai.lib.tests.test_paper_forms import (
    codes,
    needs_poppler,
    needs_zbar,
    pages,
    png,
    returned_sheet,
    upload,
)

from .builders import make_local_event, make_signup

pytestmark = pytest.mark.django_db
BASE = "/staff/events/local/"


def returned(event: Any, by: Any = None) -> EventSheet:
    return returned_sheet(EventSheet, by=by, event=event)


def rows(*filled: tuple[str, str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {"row-TOTAL_FORMS": "10", "row-INITIAL_FORMS": "0"}
    for n, (name, phone, people) in enumerate(filled):
        data |= {f"row-{n}-name": name, f"row-{n}-phone": phone, f"row-{n}-people": people}
    return data


def test_the_sc_prints_sheets_for_an_event(client: Client, users: dict) -> None:
    event = make_local_event(title="いきいき体操 体験会", fee="無料")
    client.force_login(users["sc"])
    response = client.post(f"{BASE}{event.pk}/paper/", {"count": 2})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    sheets = list(EventSheet.objects.order_by("pk"))
    assert len(sheets) == 2 and all(s.event == event and s.area == event.area for s in sheets)
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    text = reader.pages[1].extract_text()
    assert "申込用紙" in text and "いきいき体操" in text and sheets[1].reference in text
    detail = client.get(f"{BASE}{event.pk}/").content.decode()
    assert sheets[0].reference in detail and "申込用紙を印刷する" in detail


def test_too_many_sheets_are_refused(client: Client, users: dict) -> None:
    event = make_local_event()
    client.force_login(users["sc"])
    response = client.post(f"{BASE}{event.pk}/paper/", {"count": 11}, follow=True)
    assert "一度に印刷できるのは10枚までです。" in response.content.decode()
    assert not EventSheet.objects.exists()


@needs_poppler
@needs_zbar
def test_the_sheet_reads_back_as_its_reference(client: Client, users: dict, tmp_path: Path) -> None:
    event = make_local_event()
    client.force_login(users["sc"])
    pdf = client.post(f"{BASE}{event.pk}/paper/", {"count": 1}).content
    sheet = EventSheet.objects.get()
    [page] = pages(pdf, tmp_path, "event-sheet")
    assert codes(page) == [sheet.reference]
    response = client.post(BASE + "paper/attach/", {"reference": "", "scan": upload(page)})
    assert response.status_code == 302 and response["Location"] == sheet.get_absolute_url()


def test_rows_typed_beside_the_image_become_sign_ups(client: Client, users: dict) -> None:
    event = make_local_event(capacity=3)
    make_signup(event, name="先の 申込者")
    sheet = paper_forms.issue(EventSheet, 1, by=None, event=event)[0]
    client.force_login(users["sc"])
    attached = client.post(BASE + "paper/attach/",
                           {"reference": sheet.reference, "scan": upload(png())})  # fmt: skip
    assert attached.status_code == 302
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert "書かれた申込みを入力する" in page and "1行目" in page
    response = client.post(sheet.get_absolute_url(), rows(
        ("青木 一郎", "０３－１２３４－５６７８", "2"), ("井上 花子", "03-9999-0000", ""),
    ))  # fmt: skip
    assert response.status_code == 302
    shown = client.get(response["Location"]).content.decode()
    assert "2件の申込みを受け付けました。うち1件はキャンセル待ちです。" in shown
    made = {s.name: s for s in Signup.objects.filter(paper_sheets=sheet)}
    assert made["青木 一郎"].phone == "03-1234-5678" and made["青木 一郎"].people == 2
    assert made["青木 一郎"].status == "registered" and made["井上 花子"].status == "waiting"
    assert "青木 一郎" in client.get(f"{BASE}{event.pk}/").content.decode()


def test_a_row_without_a_phone_keeps_nothing(client: Client, users: dict) -> None:
    event = make_local_event()
    sheet = returned(event)
    client.force_login(users["sc"])
    typed = rows(("青木 一郎", "03-1234-5678", "1"), ("井上 花子", "", ""))
    response = client.post(sheet.get_absolute_url(), typed)
    assert response.status_code == 400 and "電話番号を入れてください。" in response.content.decode()
    assert not Signup.objects.exists()


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("other-region", "見つかりません"),
        ("need-sheet", "見つかりません"),
        ("used", "もう取り込まれています"),
    ],
)
def test_a_foreign_or_used_reference_keeps_nothing(
    client: Client, users: dict, which: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paper_forms, "read_reference", lambda content: "")
    mine = returned(make_local_event())
    references = {
        "other-region": paper_forms.issue(EventSheet, 1, by=None,
                                          event=make_local_event("itabashi"))[0].reference,
        "need-sheet": paper_forms.new_reference("N"),
        "used": mine.reference,
    }  # fmt: skip
    client.force_login(users["sc"])
    response = client.post(BASE + "paper/attach/",
                           {"reference": references[which], "scan": upload(png())})  # fmt: skip
    assert response.status_code == 400 and message in response.content.decode()
    assert EventSheet.objects.exclude(scan="").count() == 1


@pytest.mark.parametrize("who", ["other_sc", "other_admin"])
def test_another_region_or_town_gets_404(client: Client, users: dict, who: str) -> None:
    event = make_local_event()
    sheet = returned(event)
    client.force_login(users[who])
    assert client.get(sheet.get_absolute_url()).status_code == 404
    assert client.get(sheet.scan_url).status_code == 404
    assert (
        client.post(sheet.get_absolute_url(), rows(("x", "03-1234-5678", "1"))).status_code == 404
    )
    assert client.post(f"{BASE}{event.pk}/paper/", {"count": 1}).status_code == 404
    assert not Signup.objects.exists() and EventSheet.objects.count() == 1


def test_a_council_member_gets_403(client: Client, users: dict) -> None:
    sheet = returned(make_local_event())
    client.force_login(users["member"])
    assert client.get(sheet.get_absolute_url()).status_code == 403
    assert client.get(sheet.scan_url).status_code == 403


def test_the_image_goes_with_the_sign_ups_names(
    client: Client, users: dict, django_capture_on_commit_callbacks: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    from sasaeai.events import paper_services

    event = make_local_event(starts_at=timezone.now() - dt.timedelta(days=100))
    sheet = returned(event)
    path = Path(sheet.scan.path)
    with django_capture_on_commit_callbacks(execute=True):
        assert paper_services.purge_sheets() == 1
    sheet.refresh_from_db()
    assert not sheet.scan and sheet.is_returned and not path.exists()
    client.force_login(users["sc"])
    page = client.get(sheet.get_absolute_url()).content.decode()
    assert "お名前と連絡先とともに消しました" in page
    again = client.post(
        BASE + "paper/attach/", {"reference": sheet.reference, "scan": upload(png())}
    )
    assert "もう取り込まれています" in again.content.decode()
