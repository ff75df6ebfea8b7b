"""The SC writes to a chosen set of the region's organisers: the message is kept, each
recipient with an address gets a mail without its content, the others are listed to phone."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_tasks_db.models import DBTaskResult

from sasaeai.directory.models import NetworkMessage, NetworkRecipient
from sasaeai.test import run_tasks

from .network_builders import make_member

pytestmark = pytest.mark.django_db
NEW = "/staff/network/takashimadaira/messages/new/"
BODY = "次の連絡会は5月20日です。みなさんの近況を教えてください。"


@pytest.fixture
def members(users: dict[str, Any]) -> dict[str, Any]:
    return {
        "mail": make_member("高島平サロン", contact_name="山田 花子",
                            contact_email="hanako@example.jp"),
        "phone": make_member("見守りの会", contact_name="田中 次郎", contact_phone="03-2222-3333"),
        "other": make_member("体操の会", contact_name="鈴木 三郎", contact_email="s@example.jp"),
    }  # fmt: skip


def test_a_chosen_set_gets_a_mail_without_the_content(
    client: Client, users: dict[str, Any], members: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    client.force_login(users["sc"])
    chosen = [members["mail"].pk, members["phone"].pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NEW, {"members": chosen, "body": BODY})
    message = NetworkMessage.objects.get()
    assert response["Location"] == f"/staff/network/messages/{message.pk}/"
    assert message.body == BODY and message.sent_by == users["sc"]
    assert {r.member_id for r in message.recipients.all()} == set(chosen)
    # The task's payload: ids only.
    payload = str(DBTaskResult.objects.get().args_kwargs)
    tokens = [r.token for r in message.recipients.all()]
    assert "@" not in payload and "連絡会" not in payload
    assert not any(token in payload for token in tokens)
    assert run_tasks() == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["hanako@example.jp"] and "高島平" in sent.subject
    token = NetworkRecipient.objects.get(member=members["mail"]).token
    assert f"/network/{token}/" in sent.body
    for secret in ("連絡会", "5月20日", "山田", "田中", "サロン"):
        assert secret not in sent.body and secret not in sent.subject
    page = client.get(response["Location"]).content.decode()
    assert "メッセージを送りました（メールで1件、電話・印刷でお知らせする方1件）" in page
    assert "電話か印刷した紙でお知らせする方" in page and "03-2222-3333" in page
    assert "メール済み" in page and "鈴木" not in page


def test_everyone(client: Client, users: dict[str, Any], members: dict[str, Any]) -> None:
    members["other"].activity.status = "ended"
    members["other"].activity.save()
    client.force_login(users["sc"])
    client.post(NEW, {"everyone": "on", "body": BODY})
    message = NetworkMessage.objects.get()
    assert {r.member_id for r in message.recipients.all()} == {
        members["mail"].pk, members["phone"].pk,
    }  # fmt: skip


def test_bad_input_sends_nothing(
    client: Client, users: dict[str, Any], members: dict[str, Any]
) -> None:
    client.force_login(users["sc"])
    page = client.post(NEW, {"body": BODY}).content.decode()
    assert "送る相手を選んでください" in page
    page = client.post(NEW, {"everyone": "on", "body": "<script>x</script>"}).content.decode()
    assert "タグ（HTMLなど）は使えません" in page
    page = client.post(NEW, {"everyone": "on", "body": ""}).content.decode()
    assert "ここを入れてください" in page
    foreign = make_member("徳丸体操", "tokumaru")
    page = client.post(NEW, {"members": [foreign.pk], "body": BODY}).content.decode()
    assert "選びなおしてください" in page
    assert not NetworkMessage.objects.exists() and not DBTaskResult.objects.exists()


def test_who_may_write(client: Client, users: dict[str, Any], members: dict[str, Any]) -> None:
    client.force_login(users["member"])
    assert client.post(NEW, {"everyone": "on", "body": BODY}).status_code == 403
    client.force_login(users["other_sc"])
    assert client.post(NEW, {"everyone": "on", "body": BODY}).status_code == 404
    client.force_login(users["ward"])
    client.post(NEW, {"everyone": "on", "body": BODY})
    message = NetworkMessage.objects.get()
    client.force_login(users["other_sc"])
    assert client.get(f"/staff/network/messages/{message.pk}/").status_code == 404
    client.force_login(users["member"])
    assert BODY in client.get(f"/staff/network/messages/{message.pk}/").content.decode()
    response = client.get(f"/staff/network/messages/{message.pk}/print.pdf")
    assert response.content[:4] == b"%PDF"


def test_a_member_who_left_before_the_worker_ran_gets_no_mail(
    client: Client, users: dict[str, Any], members: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    client.force_login(users["sc"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(NEW, {"members": [members["mail"].pk, members["other"].pk], "body": BODY})
    client.post(f"/staff/network/members/{members['other'].pk}/remove/")
    run_tasks()
    assert [m.to for m in mail.outbox] == [["hanako@example.jp"]]
