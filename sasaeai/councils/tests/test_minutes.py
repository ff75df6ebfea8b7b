"""Minutes: draft, optimistic locking, approval locks, corrections keep the old version,
the public summary, and the printable page and PDF."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from sasaeai.councils.models import Minutes, MinutesStatus

from .builders import make_action, make_council, make_item, make_meeting

pytestmark = pytest.mark.django_db
BASE = "/staff/councils/"


def minutes_data(item_pk: int, version: int, discussion: str, **extra: str) -> dict[str, str]:
    return {"version": str(version), f"discussion_{item_pk}": discussion,
            f"decisions_{item_pk}": "", "notes": "", "general_decisions": "", **extra}  # fmt: skip


def test_sc_writes_draft_minutes_with_decisions(client: Client, users: dict) -> None:
    meeting = make_meeting()
    item = make_item(meeting, "見守りマップ")
    client.force_login(users["sc"])
    decisions = {f"decisions_{item.pk}": "6月に配る\n町会で回覧する"}
    data = minutes_data(item.pk, 1, "地図の案を見た。", **decisions)
    response = client.post(f"{BASE}meetings/{meeting.pk}/minutes/", data)
    assert response.status_code == 302
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.version == 2 and minutes.status == MinutesStatus.DRAFT
    assert list(minutes.decisions.values_list("text", flat=True)) == ["6月に配る", "町会で回覧する"]
    page = client.get(f"{BASE}meetings/{meeting.pk}/").content.decode()
    assert "地図の案を見た。" in page and "6月に配る" in page


def test_second_save_of_the_same_version_is_refused_and_text_kept(
    client: Client, users: dict
) -> None:
    meeting = make_meeting()
    item = make_item(meeting)
    client.force_login(users["sc"])
    other = Client()
    other.force_login(users["block"])
    # Both opened the draft at version 1; the block SC saves first.
    first = other.post(
        f"{BASE}meetings/{meeting.pk}/minutes/", minutes_data(item.pk, 1, "先に保存した内容")
    )
    assert first.status_code == 302
    response = client.post(
        f"{BASE}meetings/{meeting.pk}/minutes/",
        minutes_data(item.pk, 1, "あとから書いた大事なメモ"),
    )
    text = response.content.decode()
    assert response.status_code == 409
    assert "ほかの人がこの議事録を保存しています" in text
    assert "あとから書いた大事なメモ" in text  # what this person typed is still in the form
    assert "先に保存した内容" in text  # and what is saved now is shown beside it
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.items.get().discussion == "先に保存した内容" and minutes.version == 2
    # Having seen the other text, saving again (the form now carries version 2) works.
    assert 'name="version" value="2"' in text
    again = client.post(
        f"{BASE}meetings/{meeting.pk}/minutes/", minutes_data(item.pk, 2, "両方をまとめた内容")
    )
    assert again.status_code == 302
    assert minutes.items.get().discussion == "両方をまとめた内容"


def test_approved_minutes_are_locked(client: Client, users: dict) -> None:
    meeting = make_meeting()
    item = make_item(meeting)
    client.force_login(users["sc"])
    client.post(f"{BASE}meetings/{meeting.pk}/minutes/", minutes_data(item.pk, 1, "承認前の内容"))
    minutes = Minutes.objects.get(meeting=meeting)
    response = client.post(f"{BASE}minutes/{minutes.pk}/approve/", {"approved_as": "chair"})
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.APPROVED and minutes.approved_by == users["sc"]
    assert "会長が承認" in client.get(f"{BASE}meetings/{meeting.pk}/").content.decode()
    response = client.post(
        f"{BASE}meetings/{meeting.pk}/minutes/", minutes_data(item.pk, 2, "書き換え"), follow=True
    )
    assert "承認済みの議事録は変更できません" in response.content.decode()
    assert minutes.items.get().discussion == "承認前の内容"
    again = client.post(f"{BASE}minutes/{minutes.pk}/approve/", {"approved_as": "sc"}, follow=True)
    assert "すでに承認されています" in again.content.decode()


def test_correction_is_a_new_version_and_the_old_stays_readable(
    client: Client, users: dict
) -> None:
    meeting = make_meeting()
    item = make_item(meeting)
    client.force_login(users["sc"])
    client.post(f"{BASE}meetings/{meeting.pk}/minutes/", minutes_data(item.pk, 1, "参加者は12名"))
    first = Minutes.objects.get(meeting=meeting)
    client.post(f"{BASE}minutes/{first.pk}/approve/", {"approved_as": "sc"})
    response = client.post(f"{BASE}minutes/{first.pk}/correct/", {"reason": "人数の誤り"})
    assert response["Location"] == f"{BASE}meetings/{meeting.pk}/minutes/"
    second = meeting.minutes.get(revision=2)
    assert second.status == MinutesStatus.DRAFT and second.items.get().discussion == "参加者は12名"
    client.post(f"{BASE}meetings/{meeting.pk}/minutes/", minutes_data(item.pk, 1, "参加者は13名"))
    client.post(f"{BASE}minutes/{second.pk}/approve/", {"approved_as": "chair"})
    first.refresh_from_db()
    assert first.status == MinutesStatus.SUPERSEDED
    old = client.get(f"{BASE}minutes/{first.pk}/").content.decode()
    assert "参加者は12名" in old and "訂正前の版" in old
    assert "参加者は13名" in client.get(f"{BASE}meetings/{meeting.pk}/").content.decode()


def test_draft_cannot_be_corrected(client: Client, users: dict) -> None:
    minutes = Minutes.objects.create(meeting=make_meeting())
    client.force_login(users["sc"])
    response = client.post(f"{BASE}minutes/{minutes.pk}/correct/", {"reason": "x"}, follow=True)
    assert "訂正できるのは承認済みの議事録だけです" in response.content.decode()
    assert Minutes.objects.count() == 1


def test_public_summary_is_chosen_after_approval(client: Client, users: dict) -> None:
    meeting = make_meeting()
    shown, hidden = make_item(meeting, "サロンの紹介"), make_item(meeting, "個別の相談")
    client.force_login(users["sc"])
    extra = {f"decisions_{shown.pk}": "冊子を作る", f"discussion_{hidden.pk}": "",
             f"decisions_{hidden.pk}": "非公開の決定"}  # fmt: skip
    data = minutes_data(shown.pk, 1, "内部のメモ", **extra)
    client.post(f"{BASE}meetings/{meeting.pk}/minutes/", data)
    follow = client.get(f"{BASE}meetings/{meeting.pk}/summary/", follow=True)
    assert "議事録を承認してから" in follow.content.decode()
    minutes = Minutes.objects.get(meeting=meeting)
    client.post(f"{BASE}minutes/{minutes.pk}/approve/", {"approved_as": "sc"})
    decision = minutes.decisions.get(text="冊子を作る")
    response = client.post(
        f"{BASE}meetings/{meeting.pk}/summary/",
        {"publish": "on", "topics": [str(shown.pk)], "decisions": [str(decision.pk)]},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    shown.refresh_from_db()
    assert meeting.summary_published and shown.public
    assert list(minutes.decisions.filter(public=True)) == [decision]


def test_member_may_not_choose_summary(client: Client, users: dict) -> None:
    meeting = make_meeting()
    client.force_login(users["member"])
    assert client.get(f"{BASE}meetings/{meeting.pk}/summary/").status_code == 403


def test_print_page_and_pdf_carry_the_japanese_text(client: Client, users: dict) -> None:
    council = make_council(name="支え合い会議高島平")
    earlier = make_meeting(council)
    make_action(earlier, "防災訓練の案内を配る")
    meeting = make_meeting(council, venue="高島平地域センター")
    item = make_item(meeting, "見守りネットワークの報告", initiatives="tsunagaru,kikan")
    client.force_login(users["sc"])
    decisions = {f"decisions_{item.pk}": "次回は民生委員を招く"}
    data = minutes_data(item.pk, 1, "包括と一緒に見守りを続ける。", **decisions)
    client.post(f"{BASE}meetings/{meeting.pk}/minutes/", data)
    page = client.get(f"{BASE}meetings/{meeting.pk}/print/").content.decode()
    assert "第2回 次第・議事録" in page and "防災訓練の案内を配る" in page
    response = client.get(f"{BASE}meetings/{meeting.pk}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    flat = "".join(text.split())
    for expected in ("支え合い会議高島平", "第2回次第・議事録", "見守りネットワークの報告",
                     "関係機関とのつながり", "包括と一緒に見守りを続ける。", "次回は民生委員を招く",
                     "防災訓練の案内を配る", "高島平地域センター"):  # fmt: skip
        assert expected in flat, expected
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index]
    }
    # A subset prefix ("ABCDEF+") means the font is embedded, not just named.
    assert any("+BIZ-UDGothic" in f or "+NotoSansCJK" in f for f in fonts), fonts
