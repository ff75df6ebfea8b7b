"""The know-how home (by the five ★ questions) and the list: what they show, and that they
cost the same few queries for 5 cases as for 40 (no query per row)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sasaeai.accounts.models import User

from ..models import CaseStatus, Question
from .builders import make_case

pytestmark = pytest.mark.django_db
REGIONS = ["takashimadaira", "tokumaru", "itabashi", "narimasu", "kumano"]


def test_the_home_page_is_organised_by_the_five_questions(
    client: Client, users: dict[str, User]
) -> None:
    make_case(title="広めた事例", by=users["ward"], status=CaseStatus.PUBLISHED,
              questions=(Question.SPREAD,))  # fmt: skip
    often = make_case(title="よく役に立った事例", by=users["ward"], status=CaseStatus.PUBLISHED,
                      questions=(Question.SPREAD,))  # fmt: skip
    often.useful_count = 5
    often.save(update_fields=["useful_count"])
    make_case(title="下書きの事例", by=users["sc"], status=CaseStatus.REVIEW)
    client.force_login(users["member"])
    page = client.get("/staff/knowhow/").content.decode()
    for _value, label in Question.choices:
        assert f"★ {label}" in page
    spread = page.split("★ まだ知らない人にどうやって広める？", 1)[1]
    assert spread.index("よく役に立った事例") < spread.index("広めた事例")
    assert "この問いの事例をすべて見る（2件）" in page
    assert "下書きの事例" not in page and "事例を書く" not in page
    # The block sees what waits for it.
    client.force_login(users["block"])
    page = client.get("/staff/knowhow/").content.decode()
    assert "確認をお願いされている事例" in page and "下書きの事例" in page


def test_the_staff_home_links_to_the_know_how(client: Client, users: dict[str, User]) -> None:
    for who in ("admin", "ward", "block", "sc", "member"):
        client.force_login(users[who])
        assert 'href="/staff/knowhow/"' in client.get("/staff/").content.decode(), who


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/staff/knowhow/", "/staff/knowhow/cases/", "/knowhow/"])
def test_no_query_per_row(client: Client, users: dict[str, User], path: str) -> None:
    def add(count: int) -> None:
        for i in range(count):
            make_case(REGIONS[i % 5], f"事例{i}", by=users["ward"], status=CaseStatus.PUBLISHED,
                      audience="public", questions=tuple(Question.values[: 1 + i % 5]))  # fmt: skip

    client.force_login(users["ward"])
    add(5)
    client.get(path)  # the first page of a session remembers a few things for the next
    few = _queries(client, path)
    add(35)
    many = _queries(client, path)
    assert many == few and few <= 20, (few, many)
