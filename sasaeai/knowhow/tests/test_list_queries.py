"""The case list's queries as issue 27 made them fast (the page's ids from the list's own
index, the tags read from their lookup indexes, the words from the word index): the same
cases, in the same order, with the same count as a person reading them one by one would
find."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from sasaeai.accounts.models import User
from sasaeai.directory.models import Kind
from sasaeai.test import area

from ..models import Case, CaseStatus, Theme
from ..services import ensure_themes
from .builders import make_case

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<h3 class="result__title"><a href="[^"]+">([^<]+)</a>')


def listed(client: Client, query: str) -> tuple[int, list[str]]:
    """The count the page announces and the titles of its rows, in order."""
    page = client.get(f"/staff/knowhow/cases/?{query}")
    assert page.status_code == 200
    text = page.content.decode()
    count = re.search(r"([\d,]+) 件見つかりました", text)
    assert count is not None
    return int(count.group(1).replace(",", "")), ROW.findall(text)


def published(by: User, code: str, title: str, **fields: Any) -> Case:
    return make_case(code, title, by=by, status=CaseStatus.PUBLISHED, **fields)


@pytest.fixture
def cases(users: dict[str, User]) -> dict[str, Case]:
    ward = users["ward"]
    keep = ("keep_going",)
    made = {
        "new": published(ward, "takashimadaira", "朝の体操の会", questions=keep,
                         happened_on=dt.date(2026, 5, 1)),
        "old": published(ward, "takashimadaira", "ラジオ体操の仲間", questions=("ideas", *keep),
                         happened_on=dt.date(2025, 5, 1)),
        "other_star": published(ward, "takashimadaira", "体操教室",
                                happened_on=dt.date(2026, 4, 1)),
        "other_region": published(ward, "itabashi", "公園で体操", questions=keep),
        "no_word": published(ward, "takashimadaira", "お茶会", questions=keep),
        "draft": make_case("takashimadaira", "体操の下書き", by=users["sc"], questions=keep),
        "width": published(ward, "tokumaru", "ｽﾏﾎ教室", tips="ｷｬﾝﾌﾟ用品で炊き出し"),
    }  # fmt: skip
    Case.objects.filter(pk=made["old"].pk).update(useful_count=5)
    return made


def test_a_word_a_star_and_a_region_give_exactly_their_cases(
    client: Client, users: dict[str, User], cases: dict[str, Case]
) -> None:
    client.force_login(users["ward"])  # the ward reads the drafts too
    query = "q=体操&question=keep_going&region=takashimadaira"
    assert listed(client, query) == (3, ["体操の下書き", "朝の体操の会", "ラジオ体操の仲間"])
    assert listed(client, f"{query}&sort=useful") == (
        3, ["ラジオ体操の仲間", "体操の下書き", "朝の体操の会"],
    )  # fmt: skip
    client.force_login(users["member"])  # a council member: published cases only
    assert listed(client, query) == (2, ["朝の体操の会", "ラジオ体操の仲間"])
    assert listed(client, "q=たいそう&question=ideas") == (1, ["ラジオ体操の仲間"])
    assert listed(client, "q=体操&initiative=nakama") == (0, [])


def test_half_width_words_find_what_full_width_words_find(
    client: Client, users: dict[str, User], cases: dict[str, Case]
) -> None:
    client.force_login(users["member"])
    assert listed(client, "q=ｽﾏﾎ") == listed(client, "q=スマホ") == (1, ["ｽﾏﾎ教室"])
    assert listed(client, "q=ｷｬﾝﾌﾟ") == listed(client, "q=キャンプ") == (1, ["ｽﾏﾎ教室"])
    assert listed(client, "q=ｷｬﾝﾌﾟ 炊き出し") == (1, ["ｽﾏﾎ教室"])  # two words


def test_a_theme_and_a_kind_give_their_cases_once(client: Client, users: dict[str, User]) -> None:
    town = area("131199")
    themes = list(ensure_themes(town)[:2])
    kind = Kind.objects.of(town).first() or Kind.objects.create(
        municipality=town, code="salon", name="サロン", facet="activity"
    )
    both = {"themes": themes, "kinds": [kind]}
    published(users["ward"], "takashimadaira", "二つのテーマ", links_to=both)
    published(users["ward"], "takashimadaira", "一つのテーマ", links_to={"themes": themes[1:]})
    published(users["ward"], "takashimadaira", "テーマなし")
    client.force_login(users["member"])
    assert listed(client, f"theme={themes[0].pk}") == (1, ["二つのテーマ"])
    assert listed(client, f"theme={themes[1].pk}")[0] == 2
    assert listed(client, f"kind={kind.pk}") == (1, ["二つのテーマ"])
    assert listed(client, f"theme={themes[1].pk}&kind={kind.pk}") == (1, ["二つのテーマ"])
    assert Theme.objects.count() >= 2


def test_the_pages_hold_the_right_rows_in_order(client: Client, users: dict[str, User]) -> None:
    day = dt.date(2026, 1, 1)
    for n in range(33):
        published(users["ward"], "takashimadaira", f"事例{n:02}", happened_on=day + dt.timedelta(n))
    client.force_login(users["member"])
    count, first = listed(client, "")
    assert count == 33 and first == [f"事例{n:02}" for n in range(32, 2, -1)]
    assert listed(client, "page=2") == (33, ["事例02", "事例01", "事例00"])
    assert listed(client, "page=99") == (33, ["事例02", "事例01", "事例00"])  # the last page
    assert listed(client, "q=事例&page=2") == (33, ["事例02", "事例01", "事例00"])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's word index")
def test_sqlite_keeps_the_word_index_after_the_table_is_rebuilt(
    client: Client, users: dict[str, User]
) -> None:
    """A migration that rebuilds the table (0006) drops the triggers of the word index: 0007
    makes them again, so a case written now is found, and found no more once deleted."""
    case = published(users["ward"], "takashimadaira", "将棋の会")
    client.force_login(users["member"])
    assert listed(client, "q=将棋") == (1, ["将棋の会"])
    case.title = "囲碁の会"
    case.save()
    assert listed(client, "q=将棋") == (0, []) and listed(client, "q=囲碁") == (1, ["囲碁の会"])
    case.delete()
    assert listed(client, "q=囲碁") == (0, [])
