"""The SC manages the local events of their region: create, publish, edit, call off, delete a
draft, see, enter, cancel and print the sign-ups, print the flyer. Others are refused."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from sasaeai.audit.models import AuditEntry
from sasaeai.events.models import LocalEvent, RegistrationStatus, Signup

from .builders import make_local_event, make_signup

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_sc_creates_publishes_and_edits_a_local_event(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    form = client.get("/staff/events/local/new/").content.decode()
    assert "高島平" in form and "赤塚" not in form.split("<form")[1].split("</form>")[0]
    start = (timezone.localtime() + dt.timedelta(days=20)).replace(hour=13, minute=30)
    region = users["sc"].memberships.get().area
    data = {
        "title": "スマホ教室 お試し参加", "kind": "trial", "area": region.pk,
        "organiser": "高島平地域 支え合い会議", "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "venue": "高島平地域センター", "capacity": "1", "description": "電話のかけ方を教えます。",
    }  # fmt: skip
    response = client.post("/staff/events/local/new/", data, follow=True)
    assert "下書きとして保存しました" in response.content.decode()
    event = LocalEvent.objects.get()
    assert not event.is_published and event.municipality.code == "131199"
    assert client.get(f"/events/local/{event.pk}/").status_code == 404
    response = client.post(f"/staff/events/local/{event.pk}/publish/", follow=True)
    assert "公開しました" in response.content.decode()
    assert client.get(f"/events/local/{event.pk}/").status_code == 200
    # One seat, two sign-ups: more seats move the waiter up, and the SC is told to call.
    make_signup(event)
    waiter = make_signup(event, name="石川 次郎")
    response = client.post(f"/staff/events/local/{event.pk}/edit/", {**data, "capacity": "2"},
                           follow=True)  # fmt: skip
    assert "繰り上がりました" in response.content.decode()
    waiter.refresh_from_db()
    assert waiter.status == RegistrationStatus.REGISTERED
    event.refresh_from_db()
    assert event.sequence == 1


def test_bad_event_input_is_refused_with_a_message(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    data = {"title": "", "kind": "taiken", "starts_at": "2001-01-01T10:00",
            "ends_at": "2000-01-01T10:00", "capacity": "0"}  # fmt: skip
    page = client.post("/staff/events/local/new/", data).content.decode()
    for message in ("名称を入れてください", "終了日時は開始日時より後に", "これからの日時を",
                    "定員は1人以上に", "会場を入れてください"):  # fmt: skip
        assert message in page, message
    assert not LocalEvent.objects.exists()


def test_the_sc_sees_enters_cancels_and_prints_signups(client: Client, users: dict) -> None:
    event = make_local_event(title="ふれあい交流会", capacity=2)
    first = make_signup(event, name="青木 花子", people=2, phone="03-1111-2222")
    make_signup(event, name="上田 三郎", email="ueda@example.jp", phone="")
    client.force_login(users["sc"])
    page = client.get(f"/staff/events/local/{event.pk}/").content.decode()
    assert "青木 花子" in page and "03-1111-2222" in page and "ueda@example.jp" in page
    assert f"{event.pk}-001" in page and "キャンセル待ち 1番目" in page
    response = client.post(f"/staff/events/local/{event.pk}/signups/",
                           {"name": "窓口 四郎", "phone": "03-3333-4444", "people": "1"},
                           follow=True)  # fmt: skip
    assert f"受付番号 {event.pk}-003" in response.content.decode()
    response = client.post(f"/staff/events/local/signups/{first.pk}/cancel/", follow=True)
    page = response.content.decode()
    assert "取り消しました" in page and f"{event.pk}-002" in page and "繰り上がった方" in page
    pdf = client.get(f"/staff/events/local/{event.pk}/signups.pdf")
    reads = AuditEntry.objects.filter(action="read", model="events.LocalEvent", user=users["sc"])
    assert reads.filter(detail="local event sign-ups printed").exists()
    assert reads.filter(detail="local event sign-ups").exists()
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "ふれあい交流会" in text and "上田" in text and "窓口" in text and "青木" not in text


def test_the_flyer_is_one_a4_page_with_the_qr_code_and_the_desk(
    client: Client, users: dict
) -> None:
    event = make_local_event(title="いきいき体操 体験会", fee="無料", capacity=20)
    client.force_login(users["sc"])
    response = client.get(f"/staff/events/local/{event.pk}/flyer.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = pdf_text(response.content)
    assert "いきいき体操" in text and "無料" in text and "QRコード" in text
    assert f"/events/local/{event.pk}/" in text.replace("\n", "")
    assert reader.pages[0].images  # the QR code


def test_calling_off_and_deleting_a_draft(client: Client, users: dict) -> None:
    event = make_local_event(title="囲碁・将棋 体験会")
    make_signup(event)
    draft = make_local_event(title="準備中の交流会", published=False)
    client.force_login(users["sc"])
    assert client.post(f"/staff/events/local/{event.pk}/call-off/", {"reason": ""}).status_code
    event.refresh_from_db()
    assert not event.is_cancelled
    client.post(f"/staff/events/local/{event.pk}/call-off/", {"reason": "会場の都合のため"})
    event.refresh_from_db()
    assert event.is_cancelled and event.sequence == 1
    page = client.get("/events/").content.decode()
    assert "囲碁・将棋 体験会" in page and "中止" in page
    assert client.get(f"/staff/events/local/{event.pk}/delete/").status_code == 302
    client.post(f"/staff/events/local/{draft.pk}/delete/")
    assert not LocalEvent.objects.filter(pk=draft.pk).exists()
    assert LocalEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize(("who", "status"), [("other_sc", 404), ("member", 403),
                                             ("other_admin", 404)])  # fmt: skip
def test_others_cannot_see_the_signups(client: Client, users: dict, who: str, status: int) -> None:
    event = make_local_event()
    signup = make_signup(event, name="青木 花子")
    client.force_login(users[who])
    for url in (f"/staff/events/local/{event.pk}/", f"/staff/events/local/{event.pk}/signups.pdf",
                f"/staff/events/local/{event.pk}/flyer.pdf"):  # fmt: skip
        response = client.get(url)
        assert response.status_code == status, url
        assert "青木" not in response.content.decode(errors="ignore")
    assert client.post(f"/staff/events/local/signups/{signup.pk}/cancel/").status_code == status
    signup.refresh_from_db()
    assert signup.status == RegistrationStatus.REGISTERED


def test_ward_and_block_staff_manage_their_regions_events(client: Client, users: dict) -> None:
    mine = make_local_event(title="高島平の体験会")
    other_block = make_local_event("itabashi", title="板橋の体験会")
    client.force_login(users["block"])
    page = client.get("/staff/events/local/").content.decode()
    assert "高島平の体験会" in page and "板橋の体験会" not in page
    assert client.get(f"/staff/events/local/{other_block.pk}/").status_code == 404
    client.force_login(users["ward"])
    page = client.get("/staff/events/local/").content.decode()
    assert "高島平の体験会" in page and "板橋の体験会" in page
    assert client.get(f"/staff/events/local/{mine.pk}/").status_code == 200
    assert Signup.objects.count() == 0


def test_the_menu_leads_only_those_who_may_edit_to_local_events(
    client: Client, users: dict
) -> None:
    for who, shown in (("sc", True), ("ward", True), ("member", False)):
        client.force_login(users[who])
        page = client.get("/staff/").content.decode()
        assert ('href="/staff/events/local/"' in page) is shown, who
