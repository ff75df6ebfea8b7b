"""The ward's staff home lists the know-how sharing requests waiting for its approval (issue
27): cases and questions in one kind, the count and the oldest first with its age, each
linked; nobody else has the kind, nor pays a query for it; a request decided or withdrawn
leaves the count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sasaeai.knowhow import sharing_services
from sasaeai.knowhow.models import AskedQuestion, Case, CaseStatus
from sasaeai.knowhow.tests.builders import make_case, make_question

pytestmark = pytest.mark.django_db
URL = "/staff/"
KIND = "他の自治体への共有の申請（承認待ち）"


def asked_case(users: dict, title: str, days: int, area_code: str = "takashimadaira") -> Case:
    case = make_case(area_code, title, by=users["sc"], status=CaseStatus.PUBLISHED)
    sharing_services.ask(case, by=users["sc"])
    Case.objects.filter(pk=case.pk).update(share_asked_at=timezone.now() - dt.timedelta(days))
    return case


def asked_question(users: dict, title: str, days: int) -> AskedQuestion:
    question: AskedQuestion = make_question(users["sc"], title)
    sharing_services.ask(question, by=users["sc"])
    AskedQuestion.objects.filter(pk=question.pk).update(
        share_asked_at=timezone.now() - dt.timedelta(days)
    )
    return question


def home(client: Client, user: Any) -> str:
    client.force_login(user)
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_the_ward_sees_the_count_and_the_oldest_request_linked(client: Client, users: dict) -> None:
    newer = asked_case(users, "団地の朝の体操で仲間が増えた", days=2)
    oldest = asked_question(users, "男性の参加者を増やすには？", days=9)
    other_region = asked_case(users, "商店街の休憩所", days=5, area_code="itabashi")
    text = home(client, users["ward"])
    assert KIND in text and "3 件" in text.split(KIND)[1].split("</h3>")[0]
    assert f'href="/staff/knowhow/questions/{oldest.pk}/"' in text and "9日前" in text
    assert f'href="/staff/knowhow/cases/{other_region.pk}/"' in text and "5日前" in text
    assert f'href="/staff/knowhow/cases/{newer.pk}/"' in text and "2日前" in text
    # Oldest first, and the ward's list of requests one click away.
    assert text.index("男性の参加者を増やすには？") < text.index("商店街の休憩所")
    assert text.index("商店街の休憩所") < text.index("団地の朝の体操で仲間が増えた")
    assert 'href="/staff/knowhow/shared/requests/"' in text


@pytest.mark.parametrize("who", ["sc", "block", "other_sc", "member"])
def test_those_who_cannot_approve_do_not_see_it(client: Client, users: dict, who: str) -> None:
    asked_case(users, "団地の朝の体操で仲間が増えた", days=2)
    text = home(client, users[who])
    assert KIND not in text and "団地の朝の体操で仲間が増えた" not in text


def test_another_towns_ward_does_not_see_it(client: Client, users: dict) -> None:
    asked_case(users, "団地の朝の体操で仲間が増えた", days=2)
    text = home(client, users["other_admin"])
    assert KIND not in text and "団地の朝の体操で仲間が増えた" not in text


def test_decided_or_withdrawn_requests_leave_the_count(client: Client, users: dict) -> None:
    approved = asked_case(users, "承認する事例", days=4)
    refused = asked_case(users, "見送る事例", days=3)
    withdrawn = asked_question(users, "取り下げる質問", days=2)
    waiting = asked_question(users, "待っている質問", days=1)
    assert "4 件" in home(client, users["ward"]).split(KIND)[1].split("</h3>")[0]
    sharing_services.approve(approved, by=users["ward"])
    sharing_services.refuse(refused, "個人が特定できる書き方のため", by=users["ward"])
    sharing_services.withdraw(withdrawn, by=users["sc"])
    text = home(client, users["ward"])
    assert "1 件" in text.split(KIND)[1].split("</h3>")[0]
    assert f'href="/staff/knowhow/questions/{waiting.pk}/"' in text
    for gone in ("承認する事例", "見送る事例", "取り下げる質問"):
        assert gone not in text, gone
    sharing_services.withdraw(waiting, by=users["sc"])
    assert KIND not in home(client, users["ward"])


def cost(client: Client, user: Any) -> tuple[int, list[str]]:
    client.force_login(user)
    client.get(URL)  # the first request of a process remembers the host's municipality
    with CaptureQueriesContext(connection) as sent:
        assert client.get(URL).status_code == 200
    return len(sent.captured_queries), [q["sql"] for q in sent.captured_queries]


def test_one_query_for_the_ward_whatever_waits_and_none_for_others(
    client: Client, users: dict
) -> None:
    ward_none, _sql = cost(client, users["ward"])
    sc_none, sc_sql = cost(client, users["sc"])
    block_none, block_sql = cost(client, users["block"])
    for n in range(4):
        asked_case(users, f"事例{n}", days=n + 1)
        asked_question(users, f"質問{n}", days=n + 1)
    ward_some, _sql = cost(client, users["ward"])
    assert ward_none == ward_some, (ward_none, ward_some)
    assert (sc_none, block_none) == (cost(client, users["sc"])[0], cost(client, users["block"])[0])
    # Those who cannot approve never ask the know-how tables from their home.
    for sql in (*sc_sql, *block_sql):
        assert "knowhow_case" not in sql and "knowhow_askedquestion" not in sql, sql
    assert "共有の申請の一覧へ" in home(client, users["ward"])  # it also lists what is shared
