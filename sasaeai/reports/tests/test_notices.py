"""Who is told of a report's step: sending it for review tells its reviewers (the block SC of
a region, the ward), who find it waiting on their home page; returning or approving it tells
its writers. Each gets an in-app notice and a mail without the report's words; opening the
report reads the notice. The one who took the step is not told."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client, TestCase

from sasaeai.reports.models import Notice
from sasaeai.test import run_tasks

from .builders import TEXTS, YEAR, make_year

pytestmark = pytest.mark.django_db
URL = f"/staff/reports/takashimadaira/{YEAR}/"


def as_(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def told(user: Any) -> int:
    return Notice.objects.for_user(user).unread().count()


def test_the_reviewers_then_the_writer_are_told(users: dict) -> None:
    make_year()
    sc, block = as_(users["sc"]), as_(users["block"])
    sc.post(URL + "edit/", {**TEXTS, "save": ""})
    with TestCase.captureOnCommitCallbacks(execute=True):
        sc.post(URL + "send/")
    assert run_tasks() == 1
    assert told(users["block"]) == 1 and told(users["ward"]) == 1 and told(users["admin"]) == 1
    assert told(users["sc"]) == 0 and told(users["other_sc"]) == 0  # the writer; another region
    assert told(users["other_admin"]) == 0
    to = sorted(address for message in mail.outbox for address in message.to)
    assert to == sorted(users[n].email for n in ("admin", "ward", "block"))
    body = mail.outbox[0].body
    assert "高島平" in body and URL in body and TEXTS["intro"] not in body

    home = block.get("/staff/").content.decode()
    assert "確認をお願いされている活動報告" in home and URL in home
    assert "確認をお願いされている活動報告" not in sc.get("/staff/").content.decode()
    block.get(URL)
    assert told(users["block"]) == 0 and told(users["ward"]) == 1  # read by opening it

    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        block.post(URL + "send-back/", {"text": "数字の説明を足してください"})
    run_tasks()
    assert told(users["sc"]) == 1 and told(users["block"]) == 0
    assert [m.to for m in mail.outbox] == [[users["sc"].email]]
    assert "数字の説明" not in mail.outbox[0].body
    assert "確認をお願いされている活動報告" not in block.get("/staff/").content.decode()
