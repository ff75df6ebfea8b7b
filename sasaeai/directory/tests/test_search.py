from typing import Any

import pytest
from django.db import connection

from sasaeai.directory.models import Activity
from sasaeai.directory.search import (
    match_estimate,
    match_q,
    normalize,
    query_tokens,
    scan_q,
    tokens_for,
)
from sasaeai.test import load_other_town

from .builders import make_activity

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("variant", "expected"),
    [
        ("サロン", "さろん"),
        ("ｻﾛﾝ", "さろん"),
        ("さろん", "さろん"),
        ("ＳＡＬＯＮ", "salon"),
        ("ボランティア", "ぼらんてぃあ"),
        ("ﾎﾞﾗﾝﾃｨｱ", "ぼらんてぃあ"),
        ("ラーメン", "らーめん"),
        ("ラ～メン", "らーめん"),
        ("体操　教室", "体操 教室"),
        ("１０時", "10時"),
        ("ＮＰＯ法人", "npo法人"),
    ],
)
def test_normalize_folds_japanese_variants(variant: str, expected: str) -> None:
    assert normalize(variant) == expected


def test_query_tokens() -> None:
    assert query_tokens("サロン") == ["さろ", "ろん"]
    # Words in kanji are followed by their reading, either of which may match.
    assert query_tokens("茶") == ["茶", "|", "ちゃ"]
    assert query_tokens("体操") == ["体操", "|", "たい", "いそ", "そう"]
    assert query_tokens("NPO 体操") == ["npo", "体操", "|", "npo", "たい", "いそ", "そう"]
    assert query_tokens("、。") == []


def test_index_holds_unigrams_and_bigrams() -> None:
    assert tokens_for("お茶会") == "お 茶 会 お茶 茶会"


@pytest.mark.parametrize("words", ["さろん", "ｻﾛﾝ", "サロン", "いきいき", "茶", "体操", "高島平"])
def test_variants_find_the_same_activity(itabashi: Any, words: str) -> None:
    salon = make_activity("高島平いきいきサロン")
    tea = make_activity("お茶と体操の会", kinds=("tea",))
    found = set(Activity.objects.filter(match_q(query_tokens(words), [itabashi.pk])))
    if words in ("茶", "体操"):
        assert found == {tea}
    elif words == "高島平":
        assert salon in found
    else:
        assert found == {salon}


@pytest.mark.parametrize(
    "words", ["さろん", "サロン 見守り", "見守り サロン", "体操", "茶", "お", "会", "salon", "ぴよ"]
)
def test_the_row_test_finds_what_the_index_finds(itabashi: Any, words: str) -> None:
    """`scan_q` (each row's tokens tested in turn, stopping at the first missing) answers as
    `match_q` (the word index) does: for one token or several, some missing, at either end."""
    make_activity("高島平いきいきサロン")
    make_activity("見守りサロン SALON")
    make_activity("お茶と体操の会", kinds=("tea",))
    make_activity("会")
    tokens = query_tokens(words)
    by_index = set(Activity.objects.filter(match_q(tokens, [itabashi.pk])))
    assert set(Activity.objects.filter(scan_q(tokens))) == by_index
    assert by_index or words == "ぴよ"


def test_each_municipality_searches_its_own_activities(itabashi: Any) -> None:
    """The word lists are kept per municipality (on PostgreSQL): a search names the
    municipalities it reads, and one never finds, nor counts, another's activities."""
    town = load_other_town()
    tokens = query_tokens("体操")
    # The index's counts include the entries of rows that earlier tests rolled back (until a
    # vacuum: an upper bound, as match_estimate says): what matters is what these two add.
    asked = [(itabashi.pk, tokens), (town.pk, query_tokens("クラブ")),
             (itabashi.pk, query_tokens("みどり"))]  # fmt: skip
    before = [match_estimate(m, t, 10_000) for m, t in asked]
    ours = make_activity("高島平体操クラブ")
    theirs = make_activity("みどり体操クラブ", area_code="minami-jhs", kinds=())
    assert set(Activity.objects.filter(match_q(tokens, [itabashi.pk]))) == {ours}
    assert set(Activity.objects.filter(match_q(tokens, [town.pk]))) == {theirs}
    assert set(Activity.objects.filter(match_q(tokens, [itabashi.pk, town.pk]))) == {ours, theirs}
    assert not Activity.objects.filter(match_q(tokens, [])).exists()
    added = [match_estimate(m, t, 10_000) - b for (m, t), b in zip(asked, before, strict=True)]
    if connection.vendor == "postgresql":  # SQLite's word index, and so its count, spans both
        assert added[:2] == [1, 1]
    assert added[2] == int(connection.vendor == "sqlite")


def test_editing_reindexes(itabashi: Any) -> None:
    activity = make_activity("朝の体操", place=None, kinds=())
    activity.name = "夕方の散歩"
    activity.save()
    activity.refresh_search()
    assert not Activity.objects.filter(match_q(query_tokens("体操"), [itabashi.pk])).exists()
    assert Activity.objects.filter(match_q(query_tokens("散歩"), [itabashi.pk])).get() == activity


def test_deleted_activity_leaves_the_index(itabashi: Any) -> None:
    make_activity("囲碁の会").delete()
    assert not Activity.objects.filter(match_q(query_tokens("囲碁"), [itabashi.pk])).exists()


@pytest.mark.parametrize("words", ["茶", "体操", "さろん"])
def test_word_search_uses_the_index_not_a_table_scan(itabashi: Any, words: str) -> None:
    query = Activity.objects.filter(match_q(query_tokens(words), [itabashi.pk])).order_by()
    if connection.vendor == "sqlite":
        plan = query.explain()
        assert "VIRTUAL TABLE INDEX" in plan, plan
        assert "SCAN directory_activity " not in plan + " ", plan
    else:
        # A table this small is cheaper to scan; forbid it to see which index answers.
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = off")
            plan = query.explain()
            cursor.execute("RESET enable_seqscan")
        assert "directory_activity_words" in plan and "Seq Scan" not in plan, plan


@pytest.mark.django_db
def test_sqlite_word_index_triggers_survive_every_migration() -> None:
    """A migration that rebuilds directory_activity on SQLite drops its triggers (0006 had to
    restore them); without them new activities are never found."""
    if connection.vendor != "sqlite":
        assert connection.vendor == "postgresql"  # its GIN index needs no triggers
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        triggers = {name for (name,) in cursor.fetchall()}
    events = ("insert", "update", "delete")
    assert {f"directory_activity_fts_{event}" for event in events} <= triggers
