"""Whoever a request's notice is for also gets a mail, once, sent by the task worker after
the step is kept: the request's number and a link, never its title, what was asked, a reason
or a message."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from sasaeai.support import services
from sasaeai.support.models import RequestNotice, Status
from sasaeai.test import run_tasks

from .builders import make_request

pytestmark = pytest.mark.django_db
BASE = "/staff/support/"
SECRETS = ("交流会の受付", "毎月第2火曜", "人手が足りない", "何人くらい", "3人いると助かります")


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SASAEAI_BASE_URL = "https://sasaeai.example.jp"


def assert_says_nothing(message: Any, req: Any) -> None:
    text = f"{message.subject}\n{message.body}"
    assert req.number in message.subject
    assert f"\nhttps://sasaeai.example.jp{BASE}{req.pk}/\n" in message.body
    assert len(message.to) == 1 and not message.cc and not message.bcc
    for secret in SECRETS:
        assert secret not in text


def test_a_new_request_tells_nobody_as_before(
    users: dict, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        make_request(by=users["sc"], detail="毎月第2火曜、20人ほど。")
    assert run_tasks() == 0
    assert not RequestNotice.objects.exists() and mail.outbox == []


def test_the_requester_hears_of_each_answer_once_after_commit(
    client: Client, users: dict, django_capture_on_commit_callbacks: Any
) -> None:
    req = make_request(by=users["sc"], detail="毎月第2火曜、20人ほど。")
    client.force_login(users["ward"])
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(f"{BASE}{req.pk}/status/", {"to": "accepted"})
    assert response.status_code == 302
    assert mail.outbox == []  # not before the step is kept
    for callback in callbacks:
        callback()
    assert mail.outbox == []  # the worker sends it, not the page
    assert run_tasks() == 1
    assert [m.to for m in mail.outbox] == [["sc@example.jp"]]
    assert "応援の依頼" in mail.outbox[0].subject and "新しい動き" in mail.outbox[0].body
    assert_says_nothing(mail.outbox[0], req)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{BASE}{req.pk}/status/", {"to": "declined", "note": "人手が足りないため"})
    run_tasks()
    req.refresh_from_db()
    assert req.status == Status.DECLINED
    assert [m.to for m in mail.outbox] == [["sc@example.jp"]] * 2  # the ward is not told
    assert_says_nothing(mail.outbox[1], req)
    assert RequestNotice.objects.filter(user=users["sc"]).count() == 2


def test_a_refused_step_mails_nobody(
    client: Client, users: dict, django_capture_on_commit_callbacks: Any
) -> None:
    req = make_request(by=users["sc"])
    client.force_login(users["ward"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{BASE}{req.pk}/status/", {"to": "done"})
    assert run_tasks() == 0
    assert mail.outbox == [] and not RequestNotice.objects.exists()


def test_messages_mail_the_other_side_and_never_the_writer(
    client: Client, users: dict, django_capture_on_commit_callbacks: Any
) -> None:
    req = make_request(by=users["sc"])
    services.step(req, Status.ACCEPTED, by=users["ward"])
    mail.outbox.clear()
    client.force_login(users["ward"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{BASE}{req.pk}/messages/", {"body": "何人くらい必要ですか。"})
    run_tasks()
    assert [m.to for m in mail.outbox] == [["sc@example.jp"]]
    client.force_login(users["member"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{BASE}{req.pk}/messages/", {"body": "3人いると助かります。"})
    assert run_tasks() == 1  # one task for both
    # The member's message: whoever accepted and the requester, one mail each.
    later = sorted(m.to[0] for m in mail.outbox[1:])
    assert later == ["sc@example.jp", "ward@example.jp"]
    for message in mail.outbox:
        assert_says_nothing(message, req)
