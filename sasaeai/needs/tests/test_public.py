"""The public form /needs/new/: a resident sends a need without an account; bad input is
refused in Japanese and stores nothing; bots and floods are turned away."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.needs.models import Need, Status

pytestmark = pytest.mark.django_db
URL = "/needs/new/"
NEW_BADGE = '<span class="badge-new">新着</span>'
GOOD = {
    "area": "takashimadaira",
    "kind": "shopping",
    "what": "重い物を運べず買い物に困っています。",
}


def test_form_lists_regions_and_kinds_in_plain_japanese(client: Client, itabashi: Any) -> None:
    text = client.get(URL).content.decode()
    assert "困っていることを知らせる" in text and "高島平" in text
    assert "ちょっとした家事（電球交換など）" in text and "話し相手" in text
    assert "中学校区" not in text  # another municipality's regions


def test_a_need_is_received_numbered_and_reaches_the_region(client: Client, users: dict) -> None:
    response = client.post(URL, GOOD)
    assert response.status_code == 302 and response["Location"] == "/needs/new/thanks/"
    need = Need.objects.get()
    assert need.area.code == "takashimadaira" and need.status == Status.NEW
    assert not need.reporter_consent and need.reporter_name == "" and need.seen_at is None
    assert need.receipt.startswith(f"N-{need.reported_on.year}-0001-")
    thanks = client.get("/needs/new/thanks/").content.decode()
    assert need.receipt in thanks and "高島平" in thanks
    assert need.receipt not in response["Location"]
    assert [e.get_action_display() for e in need.events.all()] == ["受付"]

    staff = Client()
    staff.force_login(users["sc"])
    assert "新着 1 件" in staff.get("/staff/").content.decode()
    listing = staff.get("/staff/needs/").content.decode()
    assert NEW_BADGE in listing and "重い物を運べず" in listing
    detail = staff.get(f"/staff/needs/{need.pk}/").content.decode()
    assert NEW_BADGE in detail  # shown on the first opening, then it is seen
    assert NEW_BADGE not in staff.get("/staff/needs/").content.decode()
    assert "新着 1 件" not in staff.get("/staff/").content.decode()

    other = Client()
    other.force_login(users["other_sc"])
    assert "重い物を運べず" not in other.get("/staff/needs/").content.decode()


def test_a_named_sender_is_stored_only_with_consent(client: Client, itabashi: Any) -> None:
    data = {**GOOD, "contact_ok": "on", "name": "板橋 花子", "contact": "03-0000-0000"}
    assert client.post(URL, data).status_code == 302
    need = Need.objects.get()
    assert need.reporter_consent and need.consent_recorded_at is not None
    assert need.reporter_name == "板橋 花子"


BAD = [
    ("empty", {}, ["地域を選んでください。", "いちばん近いものを1つ選んでください。",
                   "ここを入れてください。"]),
    ("blank text", {**GOOD, "what": "   "}, ["ここを入れてください。"]),
    ("too long", {**GOOD, "what": "あ" * 1001},
     ["1000文字までで書いてください（いまは1001文字です）。"]),
    ("script tag", {**GOOD, "what": "<script>alert(1)</script>"}, ["タグ（HTMLなど）は使えません"]),
    ("tag in name", {**GOOD, "contact_ok": "on", "name": "<b>x</b>", "contact": "03"},
     ["タグ（HTMLなど）は使えません"]),
    ("unknown area", {**GOOD, "area": "nowhere"}, ["選びなおしてください。"]),
    ("other town's area", {**GOOD, "area": "kita-jhs"}, ["選びなおしてください。"]),
    ("kind as a number", {**GOOD, "kind": "12345"}, ["選びなおしてください。"]),
    ("kind as a list", {**GOOD, "kind": ["shopping", "1 OR 1=1"]}, ["選びなおしてください。"]),
    ("null character", {**GOOD, "what": "買い物\x00"}, []),
    ("name without consent", {**GOOD, "name": "板橋 花子"}, ["チェックを入れてください"]),
    ("consent without contact", {**GOOD, "contact_ok": "on", "name": "板橋 花子"},
     ["電話番号かメールを書いてください"]),
    ("name too long", {**GOOD, "contact_ok": "on", "name": "あ" * 61, "contact": "03"},
     ["60文字までで書いてください"]),
]  # fmt: skip


@pytest.mark.parametrize(("case", "data", "messages"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_refused_in_japanese_and_nothing_is_stored(
    client: Client, itabashi: Any, case: str, data: dict, messages: list[str]
) -> None:
    response = client.post(URL, data)
    text = response.content.decode()
    assert response.status_code == 200, case
    assert "入力内容を確認してください。" in text
    for message in messages:
        assert message in text, (case, message)
    assert "<script>alert(1)" not in text
    assert not Need.objects.exists()


def test_honeypot_and_rate_limit(client: Client, itabashi: Any) -> None:
    client.post(URL, {**GOOD, "website": "http://spam.example"})
    assert not Need.objects.exists()
    for _ in range(5):
        assert client.post(URL, GOOD).status_code == 302
    response = client.post(URL, GOOD)
    assert response.status_code == 429 and "一時的に止めています" in response.content.decode()
    assert Need.objects.count() == 5
    numbers = sorted(n.number for n in Need.objects.all())
    assert [n[-4:] for n in numbers] == ["0001", "0002", "0003", "0004", "0005"]


def test_thanks_without_a_sent_need_goes_back_to_the_form(client: Client, itabashi: Any) -> None:
    response = client.get("/needs/new/thanks/")
    assert response.status_code == 302 and response["Location"] == URL


def test_another_municipality_has_its_own_form(client: Client, itabashi: Any) -> None:
    host = "midori.example.jp"
    text = client.get(URL, HTTP_HOST=host).content.decode()
    assert "南中学校区" in text and "高島平" not in text
    assert client.post(URL, GOOD, HTTP_HOST=host).status_code == 200  # 高島平 is not theirs
    data = {**GOOD, "area": "minami-jhs"}
    assert client.post(URL, data, HTTP_HOST=host).status_code == 302
    need = Need.objects.get()
    assert need.municipality.code == "999991" and need.kind.municipality.code == "999991"


def test_wrong_methods(client: Client, itabashi: Any) -> None:
    assert client.put(URL).status_code == 405
    assert client.delete(URL).status_code == 405
    assert client.post("/needs/new/thanks/").status_code == 405
