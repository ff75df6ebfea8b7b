"""The list's search: the directory's Japanese search (kana, width, two characters) and the
filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sasaeai.accounts.models import User
from sasaeai.progress.models import Stage

from ..models import CaseStatus
from .builders import make_case

pytestmark = pytest.mark.django_db


def titles(client: Client, query: str) -> list[str]:
    page = client.get(f"/staff/knowhow/cases/?{query}").content.decode()
    found = page.split("件見つかりました")[1]
    return [t for t in ("サロン", "見守り", "防災", "下書き") if f"{t}の事例" in found]


@pytest.fixture
def cases(users: dict[str, User]) -> None:
    published: dict[str, Any] = {"by": users["ward"], "status": CaseStatus.PUBLISHED}
    make_case("takashimadaira", "サロンの事例", steps="ボランティアが茶話会を開く", **published)
    make_case(
        "itabashi", "見守りの事例", results="ゴミ出しのときに声をかける",
        stage=Stage.SETUP, questions=("keep_going",), happened_on=dt.date(2024, 5, 1),
        **published,
    )  # fmt: skip
    make_case("tokumaru", "防災の事例", tips="ｷｬﾝﾌﾟ用品で炊き出し", **published)
    make_case("itabashi", "下書きの事例", by=users["other_sc"], results="サロン")


@pytest.mark.usefixtures("cases")
def test_kana_width_and_short_words(client: Client, users: dict[str, User]) -> None:
    client.force_login(users["member"])  # a council member of 高島平 reads all published
    assert titles(client, "q=さろん") == ["サロン"]
    assert titles(client, "q=ｻﾛﾝ") == ["サロン"]
    assert titles(client, "q=ぼらんてぃあ") == ["サロン"]
    assert titles(client, "q=キャンプ") == ["防災"]  # written in half-width katakana
    assert titles(client, "q=声") == ["見守り"]  # one character
    assert titles(client, "q=茶話") == ["サロン"]  # two characters
    assert titles(client, "q=みまもり") == ["見守り"]  # the reading of kanji
    assert titles(client, "") == ["サロン", "見守り", "防災"]  # the draft is not theirs


@pytest.mark.usefixtures("cases")
def test_filters(client: Client, users: dict[str, User]) -> None:
    client.force_login(users["sc"])
    assert titles(client, "stage=1") == ["見守り"]
    assert titles(client, "question=keep_going") == ["見守り"]
    assert titles(client, "region=blk-akatsuka") == ["サロン", "防災"]
    assert titles(client, "year=2024") == ["見守り"]
    assert titles(client, "q=さろん&region=itabashi") == []
    # Bad input is dropped with a word, never a 500.
    page = client.get("/staff/knowhow/cases/?stage=x&year=1&q=%00")
    assert page.status_code == 200 and "条件の一部が正しくない" in page.content.decode()


@pytest.mark.usefixtures("cases")
def test_the_writer_finds_their_draft(client: Client, users: dict[str, User]) -> None:
    client.force_login(users["other_sc"])
    assert titles(client, "q=さろん") == ["サロン", "下書き"]


@pytest.mark.usefixtures("cases")
@pytest.mark.parametrize("table", ["knowhow_case", "knowhow_askedquestion"])
def test_words_are_read_from_the_word_index(
    client: Client, users: dict[str, User], table: str
) -> None:
    """Cases and questions are searched from their word index (migration 0005), as activities
    are: 10,000 cases tested row by row took seconds (bench/knowhow_search_bench.py)."""
    client.force_login(users["sc"])
    path = "cases" if table == "knowhow_case" else "questions"
    with CaptureQueriesContext(connection) as sent:
        assert client.get(f"/staff/knowhow/{path}/?q=みまもり").status_code == 200
    if connection.vendor == "sqlite":
        assert any(f"{table}_fts MATCH" in sql for sql in sent_sql(sent))
        return
    # PostgreSQL: the pages ask with the indexed expression, and the index answers it (on a
    # handful of rows the planner rightly prefers other ways: here it is left only this one).
    asked = f"knowhow_words({table}.municipality_id, {table}.search_tokens) @@"  # 0007
    assert any(asked in sql for sql in sent_sql(sent))
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute(
                f"EXPLAIN SELECT id FROM {table} WHERE "  # noqa: S608 - our own table names
                "knowhow_words(municipality_id, search_tokens) @@ '5/みま'::tsquery"
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan")
    assert f"{table}_words" in plan, plan


def sent_sql(sent: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in sent.captured_queries]
