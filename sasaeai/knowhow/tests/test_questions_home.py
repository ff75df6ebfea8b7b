"""Questions on the know-how home (beside the cases of each ★ question, most useful and newest
first) and in the search (the directory's Japanese search: kana, width, two characters)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sasaeai.accounts.models import User

from .. import questions_services
from ..models import Question
from .builders import make_answer, make_question

pytestmark = pytest.mark.django_db


def test_the_home_lists_questions_under_their_star(client: Client, users: dict[str, User]) -> None:
    make_question(users["sc"], "古い質問", stars=(Question.SPREAD,))
    helped = make_question(users["other_sc"], "役に立った質問", stars=(Question.SPREAD,))
    questions_services.mark_helpful(helped, make_answer(helped, users["ward"]))
    make_question(users["sc"], "新しい質問", stars=(Question.SPREAD,))
    client.force_login(users["member"])
    page = client.get("/staff/knowhow/").content.decode()
    spread = page.split("★ まだ知らない人にどうやって広める？</h2>", 1)[1].split("<h2", 1)[0]
    assert spread.index("役に立った質問") < spread.index("新しい質問") < spread.index("古い質問")
    assert "この問いへの質問をすべて見る（3件）" in spread
    assert 'href="/staff/knowhow/questions/block/takashimadaira/"' in page
    listed = client.get("/staff/knowhow/questions/?star=spread&sort=useful").content.decode()
    assert "質問が 3 件あります" in listed
    assert listed.index("役に立った質問") < listed.index("新しい質問")


@pytest.mark.parametrize("words", ["見守り", "ミマモリ", "ﾐﾏﾓﾘ", "見守", "団地"])
def test_search_finds_questions(client: Client, users: dict[str, User], words: str) -> None:
    make_question(users["sc"], "団地の見守りを続けるには", text="見守りの担い手が減りました。")
    make_question(users["sc"], "体操の会場をさがしています", text="会場代が高いのです。")
    client.force_login(users["other_sc"])
    page = client.get("/staff/knowhow/questions/", {"q": words}).content.decode()
    assert "質問が 1 件あります" in page and "団地の見守りを続けるには" in page


def test_the_list_costs_the_same_for_many_questions(client: Client, users: dict[str, User]) -> None:
    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    client.force_login(users["ward"])
    for i in range(3):
        make_question(users["sc"], f"質問{i}", stars=tuple(Question.values[: 1 + i]))
    client.get("/staff/knowhow/")
    client.get("/staff/knowhow/questions/")  # the filter's options, remembered (lib/memo)
    few = (count("/staff/knowhow/questions/"), count("/staff/knowhow/"))
    for i in range(20):
        make_question(
            users["other_sc"], f"もっと質問{i}", stars=tuple(Question.values[: 1 + i % 5])
        )
    assert (count("/staff/knowhow/questions/"), count("/staff/knowhow/")) == few
