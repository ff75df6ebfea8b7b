"""lib.notices: a notice for each user told, once; its mail sent by the task worker after
commit only (test_notices_task.py), one address a mail, no content. Support's request notices
stand in for any app's notice model."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail

from sasaeai.lib import notices
from sasaeai.support.models import RequestNotice
from sasaeai.support.tests.builders import make_request
from sasaeai.test import make_user, run_tasks

pytestmark = pytest.mark.django_db


def message() -> notices.Message:
    return notices.Message("【支え合い】お知らせ", "新しい動きがあります。", "https://x.test/p/1/")


def test_the_body_is_the_lead_and_the_link_and_says_it_holds_no_content() -> None:
    assert message().body == (
        "新しい動きがあります。\n\n"
        "内容は、ログインしてからご確認ください。このメールには内容を書いていません。\n"
        "https://x.test/p/1/\n"
    )
    shown = notices.Message(
        "件名", "案内です。", "https://x.test/e/2/", details=("研修", "12月3日")
    )
    assert shown.body == (
        "案内です。\n\n研修\n12月3日\n\n詳しくは、ログインしてご覧ください。\nhttps://x.test/e/2/\n"
    )


def test_one_mail_per_address_and_none_without_one() -> None:
    people = [SimpleNamespace(email="a@example.jp"), SimpleNamespace(email=""),
              SimpleNamespace(email="b@example.jp")]  # fmt: skip
    assert message().send(people) == 2
    assert [m.to for m in mail.outbox] == [["a@example.jp"], ["b@example.jp"]]
    assert all(not m.cc and not m.bcc for m in mail.outbox)


def test_notify_tells_each_active_user_once_and_mails_through_the_worker(
    users: dict, django_capture_on_commit_callbacks: Any
) -> None:
    req = make_request(by=users["sc"])
    retired = make_user("retired@example.jp", is_active=False)
    with django_capture_on_commit_callbacks() as callbacks:
        told = notices.notify(
            [users["sc"], None, users["ward"], users["sc"], retired, users["member"]],
            RequestNotice, message(), but=users["member"], request=req,
        )  # fmt: skip
    assert [n.user for n in told] == [users["sc"], users["ward"]]
    assert all(n.pk for n in told)
    assert run_tasks() == 0  # nothing is queued before the transaction is kept
    for callback in callbacks:
        callback()
    assert mail.outbox == []  # nor sent by the request: the worker sends
    assert run_tasks() == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["sc@example.jp", "ward@example.jp"]


def test_unread_for_user_and_mark_read(users: dict) -> None:
    first, second = make_request(by=users["sc"]), make_request(by=users["sc"])
    for req in (first, second):
        RequestNotice.objects.create(user=users["sc"], request=req)
    RequestNotice.objects.create(user=users["ward"], request=first)
    mine = RequestNotice.objects.for_user(users["sc"])
    assert mine.unread().count() == 2
    assert mine.filter(request=first).mark_read() == 1
    read = RequestNotice.objects.get(user=users["sc"], request=first)
    assert read.is_read and mine.unread().get().request == second
    assert mine.filter(request=first).mark_read() == 0  # read stays read, at its first time
    read_at = read.read_at
    read.refresh_from_db()
    assert read.read_at == read_at
    assert RequestNotice.objects.for_user(users["ward"]).unread().count() == 1
