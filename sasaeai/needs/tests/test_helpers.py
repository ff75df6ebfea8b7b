"""Helpers: the public form (bad input stores nothing), the receipt, removal on request
(public and by the SC), and what public pages never show."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from sasaeai.audit.models import AuditEntry
from sasaeai.needs.models import Helper

from .builders import make_helper

pytestmark = pytest.mark.django_db
NEW = "/needs/helpers/new/"
REMOVE = "/needs/helpers/remove/"
GOOD = {"area": "takashimadaira", "kinds": ["shopping", "talk"], "what": "買い物の付き添い",
        "weekdays": ["2"], "dayparts": ["2"], "name": "高島 一郎", "contact": "03-1111-2222",
        "consent": "on"}  # fmt: skip


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def test_register_and_get_a_receipt(client: Client, itabashi: Any) -> None:
    response = client.post(NEW, GOOD, follow=True)
    helper = Helper.objects.get()
    assert helper.receipt in response.content.decode()
    assert helper.weekday_bits == 4 and helper.daypart_bits == 2
    assert {k.code for k in helper.kinds.all()} == {"shopping", "talk"}
    assert helper.consent_how == "web_form" and helper.consent_by is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"area": ""}, "地域を選んでください。"),
        ({"kinds": []}, "手伝えることを1つ以上選んでください。"),
        ({"name": ""}, "ここを入れてください。"),
        ({"consent": ""}, "登録するには、同意のチェックが必要です。"),
        ({"what": "<script>alert(1)</script>"}, "タグ（HTMLなど）は使えません"),
        ({"name": "あ" * 61}, "60文字までで書いてください"),
        ({"area": "kita-jhs"}, "選びなおしてください。"),
        ({"kinds": ["no-such"]}, "選びなおしてください。"),
        ({"weekdays": ["9"]}, "選びなおしてください。"),
        ({"website": "http://spam"}, "送信できませんでした。"),
    ],
)
def test_bad_input_stores_nothing(
    client: Client, itabashi: Any, change: dict, message: str
) -> None:
    response = client.post(NEW, {**GOOD, **change})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Helper.objects.exists()


def test_a_flood_is_stopped(client: Client, itabashi: Any) -> None:
    for _i in range(5):
        client.post(NEW, GOOD)
    assert client.post(NEW, GOOD).status_code == 429
    assert Helper.objects.count() == 5


def test_removal_by_receipt_and_contact_erases_personal_data(client: Client, itabashi: Any) -> None:
    helper = make_helper(what="電球交換", latitude=35.7891, longitude=139.6591)
    wrong = client.post(REMOVE, {"receipt": helper.receipt, "contact": "03-9999-9999"})
    assert "見つかりませんでした" in wrong.content.decode()
    response = client.post(REMOVE, {"receipt": helper.receipt, "contact": "0312345678"},
                           follow=True)  # fmt: skip
    assert "登録を削除しました" in response.content.decode()
    helper.refresh_from_db()
    assert helper.is_removed and helper.name == helper.contact == helper.what == ""
    assert helper.latitude is None and helper.kinds.count() == 1  # the anonymous record stays
    assert AuditEntry.objects.filter(model="needs.Helper", action="delete").exists()


def test_removal_form_bad_input(client: Client, itabashi: Any) -> None:
    response = client.post(REMOVE, {"receipt": "", "contact": "<b>x</b>"})
    text = response.content.decode()
    assert "ここを入れてください。" in text and "タグ（HTMLなど）は使えません" in text


def test_sc_records_a_removal_request(client: Client, users: dict) -> None:
    helper = make_helper()
    client.force_login(users["sc"])
    client.post(f"/staff/needs/helpers/{helper.pk}/remove/")
    helper.refresh_from_db()
    assert helper.is_removed and helper.name == ""
    page = client.get(f"/staff/needs/helpers/{helper.pk}/").content.decode()
    assert "板橋 花子" not in page and "削除済みの担い手" in page


def test_sc_enters_a_helper_with_consent(client: Client, users: dict) -> None:
    from sasaeai.test import area

    from .builders import need_kind

    client.force_login(users["sc"])
    data = {"area": area("takashimadaira").pk, "kinds": [need_kind("talk").pk],
            "name": "平 次郎", "contact": "090-1", "consent_how": "spoken"}  # fmt: skip
    response = client.post("/staff/needs/helpers/new/", data)
    assert "本人の同意を確認してから登録してください。" in response.content.decode()
    assert not Helper.objects.exists()
    client.post("/staff/needs/helpers/new/", {**data, "consent": "on"})
    helper = Helper.objects.get()
    assert helper.consent_by == users["sc"] and helper.consent_how == "spoken"


def test_public_pages_never_show_helpers(client: Client, itabashi: Any) -> None:
    make_helper(name="秘密 花子", contact="090-7777-8888")
    for page in ("/", "/needs/peers/", NEW, REMOVE):
        text = client.get(page).content.decode()
        assert "秘密 花子" not in text and "090-7777-8888" not in text, page
