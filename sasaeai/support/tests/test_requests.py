"""Asking for help, the ward side's steps, the conversation and the notices."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from sasaeai.councils.tests.builders import make_meeting
from sasaeai.support import services
from sasaeai.support.models import Kind, RequestNotice, Status, SupportRequest

from .builders import council_of, make_request

pytestmark = pytest.mark.django_db
BASE = "/staff/support/"


def test_sc_asks_for_help_of_a_kind(client: Client, users: dict) -> None:
    council = council_of()
    meeting = make_meeting(council)
    client.force_login(users["sc"])
    page = client.get(BASE + "new/").content.decode()
    assert "他自治体の活動調査・視察" in page and "運営費管理の補佐" in page
    response = client.post(BASE + "new/", {
        "council": council.pk, "topic": "venue", "title": "体操教室の会場を借りたい",
        "detail": "毎月第2火曜、20人ほど。", "needed_by": str(timezone.localdate()),
        "meeting": meeting.pk,
    })  # fmt: skip
    req = SupportRequest.objects.get()
    assert response["Location"] == f"{BASE}{req.pk}/"
    assert (req.kind, req.status, req.opened_by, req.area) == (
        Kind.CONTRIBUTE,
        Status.NEW,
        users["sc"],
        council.area,
    )
    page = client.get(response["Location"]).content.decode()
    assert "出し合う: 施設（場所）の活用・調整" in page and "依頼を受け付けました" in page


def test_council_member_may_ask_too(client: Client, users: dict) -> None:
    council = council_of()
    client.force_login(users["member"])
    client.post(BASE + "new/", {"council": council.pk, "topic": "visit", "title": "視察したい"})
    assert SupportRequest.objects.get().kind == Kind.LEARN


def test_bad_request_is_explained_and_saves_nothing(client: Client, users: dict) -> None:
    council = council_of()
    other_meeting = make_meeting(council_of("narimasu"))
    client.force_login(users["sc"])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(BASE + "new/", {
        "council": council.pk, "topic": "", "title": "<b>助けて</b>",
        "needed_by": str(yesterday), "meeting": other_meeting.pk,
    })  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "このフィールドは必須です。" in page or "選んでください" in page
    assert "今日より前の日付は選べません。" in page
    assert "タグ（HTMLなど）は使えません" in page
    # Another council's meeting is not even offered: the choice is refused.
    assert "正しく選択してください" in page
    assert not SupportRequest.objects.exists()


def test_ward_accepts_then_finishes_and_the_requester_is_told(client: Client, users: dict) -> None:
    req = make_request(by=users["sc"])
    client.force_login(users["ward"])
    page = client.get(f"{BASE}{req.pk}/").content.decode()
    assert "引き受ける" in page and "完了にする" not in page
    client.post(f"{BASE}{req.pk}/status/", {"to": "accepted"})
    req.refresh_from_db()
    assert (req.status, req.accepted_by) == (Status.ACCEPTED, users["ward"])
    client.post(f"{BASE}{req.pk}/status/", {"to": "done", "note": "当日3人で受付を手伝いました。"})
    req.refresh_from_db()
    assert req.status == Status.DONE and req.closed_at is not None
    steps = [(e.status, e.by) for e in req.events.all()]
    assert steps == [("new", users["sc"]), ("accepted", users["ward"]), ("done", users["ward"])]
    assert RequestNotice.objects.filter(user=users["sc"], read_at__isnull=True).count() == 2
    client.force_login(users["sc"])
    page = client.get(BASE + "?status=").content.decode()
    assert "お知らせあり" in page
    page = client.get(f"{BASE}{req.pk}/").content.decode()
    assert (
        "当日3人で受付を手伝いました。" in page
        and "区・社協・包括" not in page.split("やりとり")[0]
    )
    assert not RequestNotice.objects.filter(user=users["sc"], read_at__isnull=True).exists()


def test_a_new_request_cannot_be_finished_without_accepting(client: Client, users: dict) -> None:
    req = make_request(by=users["sc"])
    client.force_login(users["ward"])
    response = client.post(f"{BASE}{req.pk}/status/", {"to": "done"}, follow=True)
    assert "まず引き受けてから完了にしてください" in response.content.decode()
    req.refresh_from_db()
    assert req.status == Status.NEW and req.events.count() == 1
    with pytest.raises(ValidationError):
        services.step(req, Status.DONE, by=users["ward"])


def test_decline_needs_a_reason(client: Client, users: dict) -> None:
    req = make_request(by=users["sc"])
    client.force_login(users["block"])
    response = client.post(f"{BASE}{req.pk}/status/", {"to": "declined", "note": "  "})
    assert response.status_code == 400
    assert "お断りするときは、理由を書いてください。" in response.content.decode()
    req.refresh_from_db()
    assert req.status == Status.NEW
    client.post(f"{BASE}{req.pk}/status/", {"to": "declined", "note": "その日は職員が出せません。"})
    req.refresh_from_db()
    assert (req.status, req.decline_reason) == (Status.DECLINED, "その日は職員が出せません。")
    # Finished is finished: no step leads out of it.
    response = client.post(f"{BASE}{req.pk}/status/", {"to": "accepted"}, follow=True)
    assert "今の状態からは、その操作はできません。" in response.content.decode()


def test_the_council_side_may_not_answer_its_own_request(client: Client, users: dict) -> None:
    req = make_request(by=users["sc"])
    client.force_login(users["sc"])
    assert client.post(f"{BASE}{req.pk}/status/", {"to": "accepted"}).status_code == 403
    req.refresh_from_db()
    assert req.status == Status.NEW


def test_both_sides_talk_on_the_thread(client: Client, users: dict) -> None:
    req = make_request(by=users["sc"])
    services.step(req, Status.ACCEPTED, by=users["ward"])
    client.force_login(users["ward"])
    client.post(f"{BASE}{req.pk}/messages/", {"body": "何人くらい必要ですか。"})
    client.force_login(users["member"])
    client.post(f"{BASE}{req.pk}/messages/", {"body": "3人いると助かります。"})
    thread = [(m.side, m.author, m.body) for m in req.messages.all()]
    assert thread == [
        ("ward", users["ward"], "何人くらい必要ですか。"),
        ("council", users["member"], "3人いると助かります。"),
    ]
    page = client.get(f"{BASE}{req.pk}/").content.decode()
    assert "何人くらい必要ですか。" in page and "3人いると助かります。" in page
    # The ward's reply told the requester; the member's told the one who accepted (and the SC).
    assert RequestNotice.objects.filter(user=users["ward"]).count() == 1
    assert RequestNotice.objects.filter(user=users["sc"]).count() == 3


def test_empty_message_is_explained(client: Client, users: dict) -> None:
    req = make_request(by=users["sc"])
    client.force_login(users["sc"])
    response = client.post(f"{BASE}{req.pk}/messages/", {"body": ""})
    assert response.status_code == 400
    assert "メッセージを書いてください。" in response.content.decode()
    assert not req.messages.exists()


def test_list_filters_and_puts_the_oldest_open_first(client: Client, users: dict) -> None:
    now = timezone.now()
    old = make_request(title="ずっと待っている依頼")
    SupportRequest.objects.filter(pk=old.pk).update(opened_at=now - dt.timedelta(days=40))
    recent = make_request(title="きのうの依頼", topic="paperwork")
    SupportRequest.objects.filter(pk=recent.pk).update(opened_at=now - dt.timedelta(days=1))
    done = make_request(title="終わった依頼")
    services.step(done, Status.ACCEPTED, by=users["ward"])
    services.step(done, Status.DONE, by=users["ward"])
    client.force_login(users["ward"])
    page = client.get(BASE).content.decode()
    assert page.index("ずっと待っている依頼") < page.index("きのうの依頼")
    assert "終わった依頼" not in page and "依頼から 40 日" in page
    page = client.get(BASE + "?kind=support&status=open").content.decode()
    assert "きのうの依頼" in page and "ずっと待っている依頼" not in page
    page = client.get(BASE + "?age=30&status=open").content.decode()
    assert "ずっと待っている依頼" in page and "きのうの依頼" not in page
    page = client.get(BASE + "?status=done").content.decode()
    assert "終わった依頼" in page and "きのうの依頼" not in page


def test_a_need_of_another_region_cannot_be_linked(users: dict) -> None:
    from sasaeai.councils.models import Council, Meeting
    from sasaeai.needs.models import Need
    from sasaeai.support.forms import RequestForm

    council = council_of()
    council_of("narimasu")
    form = RequestForm(
        {"council": council.pk, "topic": "hands", "title": "手伝って",
         "meeting": make_meeting(Council.objects.get(area__code="narimasu")).pk},
        councils=Council.objects.all(), meetings=Meeting.objects.all(), needs=Need.objects.none(),
    )  # fmt: skip
    assert not form.is_valid()
    assert form.errors["meeting"] == ["依頼する会議の回を選んでください。"]
