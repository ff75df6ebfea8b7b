"""Find by reading (issue 25): a search in kana finds text in kanji and a search in kanji finds
text in kana, through the readings the index holds; each municipality's synonyms; the typed
よみがな wins over the dictionary's reading of a name; the word index answers either way."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from sasaeai.directory.models import Activity
from sasaeai.directory.search import (
    OR,
    alternatives,
    match_estimate,
    match_q,
    query_tokens,
    scan_q,
    title_of,
    tokens_for,
)
from sasaeai.directory.search_query import Search
from sasaeai.directory.search_synonyms import load, synonym_files
from sasaeai.lib.readings import reading

from .builders import make_activity

pytestmark = pytest.mark.django_db

# Words of the demo's activity names, kinds and places (data/demo/activities.toml,
# data/kinds/default.csv, data/areas/itabashi.csv), as written and as read.
PAIRS = [
    ("犬", "いぬ"), ("散歩", "さんぽ"), ("体操", "たいそう"), ("仲間", "なかま"),
    ("電球", "でんきゅう"), ("交換", "こうかん"), ("見守り", "みまもり"), ("挨拶", "あいさつ"),
    ("趣味", "しゅみ"), ("老人", "ろうじん"), ("町会", "ちょうかい"), ("自治会", "じちかい"),
    ("民生", "みんせい"), ("児童", "じどう"), ("団地", "だんち"), ("長寿会", "ちょうじゅかい"),
    ("有志", "ゆうし"), ("商店街", "しょうてんがい"), ("集会室", "しゅうかいしつ"),
    ("喫茶", "きっさ"), ("歌声", "うたごえ"), ("健康", "けんこう"), ("元気", "げんき"),
    ("縁側", "えんがわ"), ("茶話会", "さわかい"),
    ("夕やけ", "ゆうやけ"), ("運動", "うんどう"), ("声かけ", "こえかけ"), ("訪問", "ほうもん"),
    ("通学路", "つうがくろ"), ("食堂", "しょくどう"), ("多世代", "たせだい"),
    ("お手伝い", "おてつだい"), ("困りごと", "こまりごと"), ("地域", "ちいき"),
    ("安心", "あんしん"), ("寿会", "ことぶきかい"), ("一緒", "いっしょ"), ("買い物", "かいもの"),
    ("高島平", "たかしまだいら"), ("成増", "なります"), ("徳丸", "とくまる"),
    ("常盤台", "ときわだい"), ("熊野", "くまの"), ("仲宿", "なかじゅく"), ("富士見", "ふじみ"),
    ("志村", "しむら"), ("前野", "まえの"), ("桜川", "さくらがわ"), ("清水", "しみず"),
    ("囲碁", "いご"), ("将棋", "しょうぎ"),
    ("手芸", "しゅげい"), ("書道", "しょどう"),
    # Read otherwise by the dictionary (蓮根 れんこん, 中台 ちゅうたい, 舟渡 ふなと, 板橋 いたはし,
    # 仲町 なかまち, 大谷口 おおやくち, 志村坂上 しむらさかがみ, 下赤塚 したあかつか, 井戸端会議
    # いどたんかいぎ): the reading comes from Itabashi's synonym list (data/synonyms/131199.csv).
    ("蓮根", "はすね"), ("中台", "なかだい"), ("舟渡", "ふなど"), ("板橋", "いたばし"),
    ("仲町", "なかちょう"), ("大谷口", "おおやぐち"), ("志村坂上", "しむらさかうえ"),
    ("下赤塚", "しもあかつか"), ("井戸端会議", "いどばたかいぎ"),
]  # fmt: skip


def found(municipality: Any, words: str) -> set[Activity]:
    """The results of a resident's search for `words`, from the word index and from the row
    test (which must agree)."""
    tokens = list(Search.from_data(municipality, {"q": words}).tokens)
    indexed = set(Activity.objects.filter(match_q(tokens, [municipality.pk])))
    tested = set(Activity.objects.filter(municipality=municipality).filter(scan_q(tokens)))
    assert indexed == tested, words
    return indexed


def test_the_table_is_large_enough() -> None:
    assert len(PAIRS) >= 40
    assert len({kanji for kanji, _kana in PAIRS}) == len(PAIRS)


def test_kana_finds_kanji_and_kanji_finds_kana(itabashi: Any) -> None:
    written, read = {}, {}
    for kanji, kana in PAIRS:
        written[kanji] = make_activity(f"{kanji}の集まり", place=None)
        read[kanji] = make_activity(f"{kana}のつどい", place=None)
    missed = []
    for kanji, kana in PAIRS:
        if written[kanji] not in found(itabashi, kana):
            missed.append(f"{kana} did not find {written[kanji].name}")
        if read[kanji] not in found(itabashi, kanji):
            missed.append(f"{kanji} did not find {read[kanji].name}")
    assert not missed, "\n".join(missed)


def test_readings_of_the_description_kinds_and_places(itabashi: Any) -> None:
    walk = make_activity("わんわんの会", kinds=("dog-walking",), place=None)  # 犬の散歩仲間
    told = make_activity("ひだまりの会", description="椅子に座って体操をします。", place=None)
    placed = make_activity("ゆうやけの会")  # its place: ゆうやけの会の会場
    make_activity("ほかの会", place=None)
    assert found(itabashi, "いぬ") == {walk}
    assert found(itabashi, "いすにすわって") == {told}
    assert found(itabashi, "かいじょう") == {placed}


def test_words_across_the_morphemes_match(itabashi: Any) -> None:
    walk = make_activity("犬の散歩の会", place=None)
    assert found(itabashi, "いぬのさんぽ") == {walk}
    assert found(itabashi, "犬のさんぽ") == {walk}


def test_synonyms_of_the_municipality(itabashi: Any) -> None:
    mahjong = make_activity("健康麻雀の会", place=None)
    written_in_kana = make_activity("マージャン教室", place=None)
    walking = make_activity("ウォーキングの会", place=None)
    strolling = make_activity("朝のお散歩仲間", place=None)
    hasune = make_activity("蓮根いきいきサロン", place=None)
    assert found(itabashi, "麻雀") == {mahjong, written_in_kana}
    assert found(itabashi, "まーじゃん") == {mahjong, written_in_kana}
    assert found(itabashi, "ウォーキング") == {walking, strolling}
    assert found(itabashi, "さんぽ") == {walking, strolling}  # the reading of 散歩
    assert found(itabashi, "散歩") == {walking, strolling}
    assert found(itabashi, "はすね") == {hasune}


def test_another_municipality_has_its_own_synonyms(itabashi: Any) -> None:
    assert "散歩" in query_tokens("ウォーキング", itabashi.code)
    assert query_tokens("ウォーキング", "999991") == query_tokens("ウォーキング")
    assert OR not in query_tokens("ウォーキング")


def test_the_typed_reading_wins_for_names(itabashi: Any) -> None:
    assert reading("大門") == "ダイモン"  # the dictionary's; this group says おおかど
    typed = make_activity("大門サロン", kana="おおかどさろん", place=None)
    guessed = make_activity("大門の会", place=None)
    assert found(itabashi, "だいもん") == {guessed}
    assert found(itabashi, "おおかど") == {typed}
    assert found(itabashi, "大門") == {typed, guessed}
    tokens = typed.search_tokens.split()
    assert "アおお" in tokens and "アだい" not in tokens and "だい" not in tokens
    assert "アだい" in guessed.search_tokens.split()  # the name's reading: the first tier
    # The typed reading puts it in the first tier of relevance (the words in the name or its
    # reading), the other one after.
    assert list(Search.from_data(itabashi, {"q": "おおかど"}).ordered()) == [typed]


def test_query_sets_and_their_sql(itabashi: Any) -> None:
    tokens = query_tokens("体操")
    assert alternatives(tokens) == [["体操"], ["たい", "いそ", "そう"]]
    assert query_tokens("たいそう") == ["たい", "いそ", "そう"]  # kana: one set
    # The index's count includes the entries of rows that earlier tests rolled back (until a
    # vacuum: an upper bound, as match_estimate says): what matters is what these two add.
    before = match_estimate(itabashi.pk, tokens, 10_000)
    make_activity("たいそうの会", place=None)
    make_activity("体操の会", place=None)
    assert match_estimate(itabashi.pk, tokens, 10_000) - before == 2
    assert match_estimate(itabashi.pk, tokens, before + 1) == before + 1  # up to the limit


def test_reindex_adds_the_readings(itabashi: Any) -> None:
    walk = make_activity("犬の散歩仲間", place=None)
    other = make_activity("高島平サロン", place=None)
    # As an older version wrote them: without readings.
    for activity in (walk, other):
        old = tokens_for(activity.search_text, title_of(activity.name, activity.kana))
        Activity.objects.filter(pk=activity.pk).update(search_tokens=old)
    assert found(itabashi, "いぬ") == set()
    out = StringIO()
    call_command("reindex_activities", stdout=out)
    assert "2 / 2 件" in out.getvalue()
    assert found(itabashi, "いぬ") == {walk}
    walk.refresh_from_db()
    assert walk.search_tokens == make_activity("犬の散歩仲間", place=None).search_tokens


def test_the_demo_file_is_well_formed() -> None:
    assert synonym_files() == []


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("麻雀,マージャン\n散歩\n", 2, "2つ以上"),
        ("# comment\n麻雀,,マージャン\n", 2, "空の語"),
        ("麻雀,マージャン\n\nまーじゃん,ポン\n", 3, "1 行目にもあります"),
    ],
)
def test_a_malformed_synonym_file_is_a_check_error_naming_the_line(
    tmp_path: Path, settings: Any, text: str, line: int, reason: str
) -> None:
    (tmp_path / "131199.csv").write_text(text, encoding="utf-8")
    settings.SEARCH_SYNONYMS_DIR = tmp_path
    load.cache_clear()
    try:
        errors = synonym_files()
    finally:
        load.cache_clear()
    assert [error.id for error in errors] == ["directory.E002"]
    assert f"（{line} 行目）" in errors[0].msg and reason in errors[0].msg


def test_the_readings_use_the_word_index(itabashi: Any) -> None:
    """A search in kanji is an OR of its tokens and its reading's: still from the index."""
    make_activity("体操の会", place=None)
    tokens = query_tokens("体操")
    query = Activity.objects.filter(match_q(tokens, [itabashi.pk])).values("pk")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[3]) for row in cursor.fetchall())
            assert "VIRTUAL TABLE INDEX" in plan and "SCAN directory_activity " not in plan + " "
        else:
            # A handful of rows: the planner would as soon walk any index (which one depends
            # on what earlier tests left in the statistics); the word index must serve.
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("SET enable_indexscan = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_indexscan")
            assert "Bitmap Index Scan" in plan and "Seq Scan on directory_activity" not in plan
