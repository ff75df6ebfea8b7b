"""lib.notices.notify and lib.tasks.send_notice_mail: after commit, one task whose payload is
ids and the message's texts; the worker loads the active users and their addresses when it
runs; a rolled-back step queues nothing; a failing mail server is logged and undoes nothing."""

from __future__ import annotations

import json
import logging
import smtplib
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from sasaeai.lib import notices
from sasaeai.support.models import RequestNotice
from sasaeai.support.tests.builders import make_request
from sasaeai.test import make_user, run_tasks

pytestmark = pytest.mark.django_db
MESSAGE = notices.Message(
    "【支え合い】応援の依頼 S-00001 に新しい動きがあります",
    "応援の依頼（S-00001）に新しい動きがあります。",
    "https://sasaeai.example.jp/staff/support/1/",
)


def test_a_rolled_back_step_queues_nothing(
    users: dict, django_capture_on_commit_callbacks: Any
) -> None:
    req = make_request(by=users["sc"])
    capture = django_capture_on_commit_callbacks(execute=True)
    with capture, pytest.raises(RuntimeError), transaction.atomic():
        notices.notify([users["sc"]], RequestNotice, MESSAGE, request=req)
        raise RuntimeError
    assert not RequestNotice.objects.exists() and not DBTaskResult.objects.exists()
    assert run_tasks() == 0 and mail.outbox == []


def test_one_task_of_ids_and_texts_then_one_mail_per_active_user_with_an_address(
    users: dict, django_capture_on_commit_callbacks: Any
) -> None:
    req = make_request(by=users["sc"])
    told = [users["sc"], users["ward"], users["block"], users["member"]]
    with django_capture_on_commit_callbacks(execute=True):
        notices.notify(told, RequestNotice, MESSAGE, request=req)
    assert RequestNotice.objects.count() == 4 and mail.outbox == []
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "sasaeai.lib.tasks.send_notice_mail"
    ids = [u.pk for u in told]
    assert queued.args_kwargs == {
        "args": [ids, MESSAGE.subject, MESSAGE.lead, MESSAGE.link, []],
        "kwargs": {},
    }
    assert "@" not in json.dumps(queued.args_kwargs, ensure_ascii=False)
    # Between the step and the worker: one user leaves, one loses their address.
    users["block"].is_active = False
    users["block"].save(update_fields=["is_active"])
    type(users["member"])._default_manager.filter(pk=users["member"].pk).update(email="")

    assert run_tasks() == 1
    assert [m.to for m in mail.outbox] == [["sc@example.jp"], ["ward@example.jp"]]
    for sent in mail.outbox:
        assert sent.subject == MESSAGE.subject and sent.body == MESSAGE.body
        assert not sent.cc and not sent.bcc
    assert RequestNotice.objects.filter(user=users["block"]).exists()  # in the app, still


def test_a_failing_mail_server_is_logged_and_undoes_nothing(
    users: dict,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    send_mail = mail.send_mail

    def refuse_sc(subject: str, body: str, sender: str, to: list[str], **kw: Any) -> int:
        if to == ["sc@example.jp"]:
            raise smtplib.SMTPRecipientsRefused({"sc@example.jp": (550, b"no such user")})
        return send_mail(subject, body, sender, to, **kw)

    monkeypatch.setattr(mail, "send_mail", refuse_sc)
    req = make_request(by=users["sc"])
    retired = make_user("retired@example.jp")
    with django_capture_on_commit_callbacks(execute=True):
        notices.notify([users["sc"], users["ward"], retired], RequestNotice, MESSAGE, request=req)
    retired.delete()  # gone before the worker runs: nothing to send, nothing to fail
    with caplog.at_level(logging.ERROR, logger="sasaeai.lib.tasks"):
        assert run_tasks() == 1
    assert RequestNotice.objects.filter(user=users["sc"]).exists()
    assert [m.to for m in mail.outbox] == [["ward@example.jp"]]  # the others still get theirs
    assert f"user {users['sc'].pk} failed: SMTPRecipientsRefused" in caplog.text
    assert "sc@example.jp" not in caplog.text
