"""ふりがな: which readings go over which kanji, and that none is guessed wrong."""

from __future__ import annotations

from sasaeai.lib.furigana import Known, html, segments

ITABASHI = Known.of(
    [
        ("板橋区", "いたばしく"),
        ("高島平", "たかしまだいら"),
        ("大谷口", "おおやぐち"),
        ("志村ブロック", "しむらぶろっく"),
        ("大山", "おおやま"),
        ("井戸端会議", "いどばたかいぎ"),
    ]
)


def rubied(text: str, reading: str = "", known: Known = ITABASHI) -> list[tuple[str, str]]:
    """Only the pieces that carry a reading."""
    return [(part, said) for part, said in segments(text, reading, known) if said]


def test_a_typed_reading_goes_over_each_run_of_kanji_and_kana_stay_bare() -> None:
    assert segments("高島平いきいきサロン", "たかしまだいらいきいきさろん") == (
        ("高島平", "たかしまだいら"),
        ("いきいきサロン", ""),
    )
    assert rubied("大谷口上町お茶飲み仲間", "おおやぐちかみちょうおちゃのみなかま") == [
        ("大谷口", "おおやぐち"),
        ("上町", "かみちょう"),
        ("茶飲", "ちゃの"),
        ("仲間", "なかま"),
    ]
    # The typed reading wins where the dictionary reads differently (一丁目: いっちょうめ).
    assert rubied("高島平一丁目町会", "たかしまだいらいっちょうめちょうかい") == [
        ("高島平", "たかしまだいら"),
        ("一丁目", "いっちょうめ"),
        ("町会", "ちょうかい"),
    ]
    assert rubied(
        "NPO法人高島平ささえあいネット", "えぬぴーおーほうじんたかしまだいらささえあいねっと"
    ) == [
        ("法人", "ほうじん"),
        ("高島平", "たかしまだいら"),
    ]


def test_a_reading_that_fits_the_name_in_two_ways_goes_over_the_whole_name() -> None:
    # Two names the dictionary does not read for us, and the の between them: 小野 could be
    # おの or おのの. Which kanji reads what is not certain: the reading goes over the whole.
    assert segments("小野の小林", "おのののこばやし", Known()) == (
        ("小野の小林", "おのののこばやし"),
    )


def test_place_names_the_dictionary_misreads_are_read_as_the_municipality_says() -> None:
    assert rubied("大山井戸端会議のお知らせ") == [
        ("大山", "おおやま"),
        ("井戸端会議", "いどばたかいぎ"),
        ("知", "し"),
    ]
    # Without the municipality's words: no ruby rather than だいせん.
    assert rubied("大山", known=Known()) == []


def test_free_text_reads_common_words_and_leaves_doubtful_ones_bare() -> None:
    said = dict(rubied("ひとり暮らしの高齢の方のお宅を訪ね、お元気かどうかを確かめています。"))
    assert said == {"暮": "ぐ", "高齢": "こうれい", "方": "かた", "宅": "たく", "訪": "たず",
                    "元気": "げんき", "確": "たし"}  # fmt: skip
    # Counters after numbers, weekdays, 町 names, proper nouns: nothing.
    assert rubied("2本のポールを使う") == [("使", "つか")]
    assert rubied("毎週 月・木 10:00〜12:00") == [("毎週", "まいしゅう")]
    assert rubied("成増小豆沢上町") == []


def test_text_without_kanji_has_no_ruby_and_everything_is_escaped() -> None:
    assert segments("いきいきサロン", "いきいきさろん") == (("いきいきサロン", ""),)
    assert html("<b>犬</b>の散歩") == (
        "&lt;b&gt;<ruby>犬<rp>（</rp><rt>いぬ</rt><rp>）</rp></ruby>&lt;/b&gt;"
        "の<ruby>散歩<rp>（</rp><rt>さんぽ</rt><rp>）</rp></ruby>"
    )
    assert html("") == ""


def test_known_words_leave_out_a_word_given_two_readings() -> None:
    known = Known.of(
        [("上町", "かみちょう"), ("上町", "うわまち"), ("板橋ブロック", "いたばしぶろっく")]
    )
    assert known.words == {"板橋ブロック": "いたばしぶろっく", "板橋": "いたばし"}
