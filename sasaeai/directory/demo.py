"""Deterministic demo activities (支え合い活動) for every region of a municipality.

Everything is drawn from one random.Random(seed), and dates count back from `today`,
so the same seed and day always give the same directory. The town, school, group and
contact names are illustrative demo data, not a record of real groups; phone numbers
are fake and contact names are marked （例）.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import jaconv
from django.db import transaction
from django.utils import timezone

from sasaeai.areas.models import Area

from .models import Activity, Facet, Frequency, Kind, Organization, Status, Visibility
from .services import ActivityParts, save_activity

# (written, kana): every name shown to people carries its hiragana reading.
Text = tuple[str, str]

ITABASHI = "131199"  # the town and school lists below are Itabashi's
ACTIVITIES_PER_REGION = (40, 80)
PLACE_RADIUS_M = 700
INFORMAL_KINDS = frozenset({"tea", "dog-walking"})


# --- Places of each region -------------------------------------------------------------


@dataclass(frozen=True)
class Town:
    name: str
    kana: str
    chome: int = 0  # how many 丁目 the town has; 0 when addresses go straight to 番地

    @property
    def text(self) -> Text:
        return (self.name, self.kana)


# Towns (町丁) of each of Itabashi's 18 regions, keyed by the region code.
REGION_TOWNS: dict[str, list[Town]] = {
    "itabashi": [
        Town("板橋", "いたばし", 4),
        Town("加賀", "かが", 2),
        Town("大山東町", "おおやまひがしちょう"),
    ],
    "kumano": [
        Town("熊野町", "くまのちょう"),
        Town("中丸町", "なかまるちょう"),
        Town("南町", "みなみちょう"),
        Town("大山金井町", "おおやまかないちょう"),
    ],
    "nakajuku": [
        Town("仲宿", "なかじゅく"),
        Town("本町", "ほんちょう"),
        Town("氷川町", "ひかわちょう"),
        Town("栄町", "さかえちょう"),
    ],
    "nakacho": [
        Town("仲町", "なかちょう"),
        Town("大山町", "おおやまちょう"),
        Town("大山西町", "おおやまにしちょう"),
        Town("弥生町", "やよいちょう"),
        Town("幸町", "さいわいちょう"),
        Town("中板橋", "なかいたばし"),
    ],
    "fujimi": [
        Town("富士見町", "ふじみちょう"),
        Town("大和町", "やまとちょう"),
        Town("双葉町", "ふたばちょう"),
        Town("稲荷台", "いなりだい"),
    ],
    "oyaguchi": [
        Town("大谷口", "おおやぐち", 2),
        Town("大谷口上町", "おおやぐちかみちょう"),
        Town("大谷口北町", "おおやぐちきたまち"),
        Town("向原", "むかいはら", 3),
        Town("小茂根", "こもね", 5),
        Town("東山町", "ひがしやまちょう"),
    ],
    "tokiwadai": [Town("常盤台", "ときわだい", 4), Town("南常盤台", "みなみときわだい", 2)],
    "shimizu": [
        Town("清水町", "しみずちょう"),
        Town("蓮沼町", "はすぬまちょう"),
        Town("大原町", "おおはらちょう"),
        Town("泉町", "いずみちょう"),
        Town("宮本町", "みやもとちょう"),
    ],
    "shimurasakaue": [
        Town("志村", "しむら", 3),
        Town("小豆沢", "あずさわ", 4),
        Town("東坂下", "ひがしさかした", 2),
    ],
    "nakadai": [Town("中台", "なかだい", 3), Town("若木", "わかぎ", 3)],
    "hasune": [Town("蓮根", "はすね", 3), Town("坂下", "さかした", 3), Town("西台", "にしだい", 4)],
    "funado": [Town("舟渡", "ふなど", 4), Town("相生町", "あいおいちょう")],
    "maeno": [Town("前野町", "まえのちょう", 6)],
    "sakuragawa": [
        Town("桜川", "さくらがわ", 3),
        Town("上板橋", "かみいたばし", 3),
        Town("東新町", "とうしんちょう", 2),
    ],
    "shimoakatsuka": [
        Town("赤塚新町", "あかつかしんまち", 3),
        Town("赤塚", "あかつか", 8),
        Town("大門", "だいもん"),
    ],
    "narimasu": [Town("成増", "なります", 5), Town("三園", "みその", 2)],
    "tokumaru": [Town("徳丸", "とくまる", 8), Town("四葉", "よつば", 2)],
    "takashimadaira": [Town("高島平", "たかしまだいら", 9), Town("新河岸", "しんがし", 3)],
}

# Elementary schools near each region (for スクールガード), written short as people say them.
REGION_SCHOOLS: dict[str, list[Text]] = {
    "itabashi": [("板橋第一小", "いたばしだいいちしょう"), ("金沢小", "かなざわしょう")],
    "kumano": [("板橋第七小", "いたばしだいななしょう"), ("大山小", "おおやましょう")],
    "nakajuku": [("板橋第二小", "いたばしだいにしょう"), ("板橋第六小", "いたばしだいろくしょう")],
    "nakacho": [("弥生小", "やよいしょう"), ("中根橋小", "なかねばししょう")],
    "fujimi": [("稲荷台小", "いなりだいしょう"), ("板橋第三小", "いたばしだいさんしょう")],
    "oyaguchi": [("大谷口小", "おおやぐちしょう"), ("向原小", "むかいはらしょう")],
    "tokiwadai": [("常盤台小", "ときわだいしょう"), ("板橋第九小", "いたばしだいきゅうしょう")],
    "shimizu": [("板橋第五小", "いたばしだいごしょう"), ("板橋第四小", "いたばしだいよんしょう")],
    "shimurasakaue": [("志村小", "しむらしょう"), ("志村第一小", "しむらだいいちしょう")],
    "nakadai": [("若木小", "わかぎしょう"), ("志村第三小", "しむらだいさんしょう")],
    "hasune": [("蓮根小", "はすねしょう"), ("蓮根第二小", "はすねだいにしょう")],
    "funado": [("舟渡小", "ふなどしょう"), ("志村坂下小", "しむらさかしたしょう")],
    "maeno": [("前野小", "まえのしょう"), ("北前野小", "きたまえのしょう")],
    "sakuragawa": [("桜川小", "さくらがわしょう"), ("上板橋小", "かみいたばししょう")],
    "shimoakatsuka": [("赤塚小", "あかつかしょう"), ("紅梅小", "こうばいしょう")],
    "narimasu": [("成増小", "なりますしょう"), ("三園小", "みそのしょう")],
    "tokumaru": [("徳丸小", "とくまるしょう"), ("北野小", "きたのしょう")],
    "takashimadaira": [
        ("高島第一小", "たかしまだいいちしょう"),
        ("高島第五小", "たかしまだいごしょう"),
    ],
}

CHOME_KANJI = ["一", "二", "三", "四", "五", "六", "七", "八", "九"]
CHOME_KANA = ["いっ", "に", "さん", "よん", "ご", "ろく", "なな", "はっ", "きゅう"]

FLOWERS: list[Text] = [
    ("ひまわり", "ひまわり"),
    ("すみれ", "すみれ"),
    ("さくら", "さくら"),
    ("たんぽぽ", "たんぽぽ"),
    ("あじさい", "あじさい"),
    ("コスモス", "こすもす"),
    ("なでしこ", "なでしこ"),
    ("つばき", "つばき"),
    ("もみじ", "もみじ"),
    ("けやき", "けやき"),
    ("わかば", "わかば"),
    ("ひだまり", "ひだまり"),
    ("なかよし", "なかよし"),
    ("すずらん", "すずらん"),
]

# Kinds of venue, and the rooms a 地域センター offers.
CENTRE_ROOMS = ["", " 和室", " 洋室", " レクホール", " 会議室"]
HOME_NOTE = "（詳しくはお問い合わせください）"


# --- What each sort of activity looks like ---------------------------------------------


# Last words of a description, for gatherings and for helping activities.
CLOSERS = (
    "初めての方も大歓迎です。",
    "お気軽にどうぞ。",
    "ご近所の方をお誘いあわせのうえ、お越しください。",
    "見学だけでも大丈夫です。",
)
HELPER_CLOSERS = (
    "お気軽にご相談ください。",
    "一緒に活動してくださる方も募集しています。",
    "できる時に、できることだけで大丈夫です。",
)
IRREGULAR_NOTES = (
    "月1〜2回。日程は会員に連絡します",
    "季節ごとに開きます",
    "日程は地域センターの掲示板でお知らせします",
)


@dataclass(frozen=True)
class Recipe:
    """One family of activities: its kinds, names and the words and habits that go with it.

    Name patterns take {p} (region, town or 丁目), {f} (a flower word), {s} (a school),
    {t} (a town) and {o} (the organising group); written and kana patterns go in pairs.
    A name may carry its own description sentence as a third item.
    """

    kinds: tuple[str, ...]
    names: tuple[tuple[str, ...], ...]
    organisers: dict[str, int]  # organiser kind code -> weight; "" means no organiser kind
    venues: dict[str, int]
    styles: dict[str, int]
    times: tuple[tuple[int, int, int, int], ...]
    fees: tuple[str, ...]
    audiences: tuple[str, ...]
    descriptions: tuple[str, ...]
    joins: tuple[str, ...]
    maybe: tuple[str, ...] = ()  # a second activity kind, added now and then
    weight: int = 4
    capacity: tuple[int, int] | None = None
    outdoor: bool = False
    name_is_org: bool = False  # the activity is the group itself (老人クラブ◯◯寿会)
    pick_up: float = 0.0
    notes: tuple[str, ...] = IRREGULAR_NOTES  # for irregular schedules
    closers: tuple[str, ...] = CLOSERS
    weekly_note: str = ""


R = Recipe
MORNING = (10, 0, 12, 0)
AFTERNOON = (13, 30, 15, 30)
EVENING = (18, 0, 19, 30)

RECIPES: list[Recipe] = [
    R(
        kinds=("salon",),
        names=(
            ("{p}いきいきサロン", "{p}いきいきさろん"),
            ("{p}ふれあいサロン", "{p}ふれあいさろん"),
            ("{p}にこにこサロン", "{p}にこにこさろん"),
            ("{p}おしゃべりサロン", "{p}おしゃべりさろん"),
            ("{p}{f}サロン", "{p}{f}さろん"),
            ("サロン{f}", "さろん{f}"),
            ("{p}ふれあいカフェ", "{p}ふれあいかふぇ"),
            ("{p}ほっとサロン", "{p}ほっとさろん"),
            ("{p}地域サロン", "{p}ちいきさろん"),
        ),
        organisers={
            "volunteer": 4,
            "neighbourhood": 3,
            "welfare-commissioner": 2,
            "npo": 2,
            "seniors-club": 1,
            "": 1,
        },
        venues={"centre": 3, "hall": 3, "danchi": 2, "ikoi": 2, "cafe": 1},
        styles={"monthly_nth": 5, "weekly": 2, "monthly_date": 2, "irregular": 1},
        times=(MORNING, AFTERNOON, (14, 0, 16, 0), (10, 0, 11, 30)),
        fees=("無料", "100円", "100円（お茶代）", "300円（お茶代）", "200円"),
        audiences=(
            "どなたでも",
            "おおむね65歳以上の方",
            "地域にお住まいの高齢の方",
            "どなたでも（高齢の方が中心です）",
        ),
        descriptions=(
            "お茶を飲みながら、おしゃべりを楽しむサロンです。",
            "脳トレや季節の工作、みんなで歌う時間もあります。",
            "ご近所の方と顔なじみになれる、ほっとできる居場所です。",
            "手作りのお菓子とお茶で、ゆっくりおしゃべりしましょう。",
            "ひとり暮らしの方も、ご夫婦でも、気軽に立ち寄れるサロンです。",
        ),
        joins=(
            "当日、会場へ直接お越しください。",
            "初めての方は、事前にお電話いただけると安心です。",
            "予約はいりません。途中から参加しても大丈夫です。",
        ),
        maybe=("exercise", "hobby", "watch-over"),
        weight=12,
        capacity=(15, 30),
        pick_up=0.05,
    ),
    R(
        kinds=("salon", "hobby"),
        names=(
            ("{p}うたごえサロン", "{p}うたごえさろん"),
            ("{p}歌声喫茶{f}", "{p}うたごえきっさ{f}"),
        ),
        organisers={"volunteer": 3, "npo": 1, "seniors-club": 1},
        venues={"centre": 3, "ikoi": 2, "cafe": 1},
        styles={"monthly_nth": 4, "monthly_date": 1},
        times=(AFTERNOON, (14, 0, 16, 0)),
        fees=("300円（お茶代）", "200円", "500円"),
        audiences=("どなたでも", "歌が好きな方"),
        descriptions=(
            "懐かしい歌謡曲や童謡を、ピアノに合わせてみんなで歌います。",
            "歌詞カードがあるので、歌が苦手な方も安心です。大きな声を出すと元気になります。",
        ),
        joins=("当日、会場へ直接お越しください。",),
        weight=2,
        capacity=(20, 40),
    ),
    R(
        kinds=("salon",),
        names=(
            ("老人クラブ{t}寿会", "ろうじんくらぶ{t}ことぶきかい"),
            ("{t}長寿会", "{t}ちょうじゅかい"),
            ("老人クラブ{t}{f}会", "ろうじんくらぶ{t}{f}かい"),
            ("{t}シニアクラブ", "{t}しにあくらぶ"),
        ),
        organisers={"seniors-club": 1},
        venues={"hall": 3, "centre": 2, "ikoi": 2},
        styles={"monthly_nth": 3, "weekly": 2},
        times=(MORNING, AFTERNOON),
        fees=("年会費1,200円", "月300円", "年会費2,000円"),
        audiences=("おおむね60歳以上の方",),
        descriptions=(
            "地域の高齢者が集まる老人クラブです。月例会のほか、旅行や季節の行事も楽しんでいます。",
            "健康づくりの体操や輪投げ、おしゃべりで毎回にぎやかです。",
            "会員どうしで声をかけ合い、元気に過ごせるよう支え合っています。",
        ),
        joins=("入会のご相談は、連絡先までお電話ください。見学もできます。",),
        maybe=("exercise", "hobby"),
        weight=4,
        name_is_org=True,
    ),
    R(
        kinds=("exercise",),
        names=(
            ("{p}ふれあい体操クラブ", "{p}ふれあいたいそうくらぶ"),
            ("{p}いきいき体操の会", "{p}いきいきたいそうのかい"),
            ("{p}元気筋トレの会", "{p}げんききんとれのかい"),
            ("{p}{f}体操クラブ", "{p}{f}たいそうくらぶ"),
            ("{p}健康体操の会", "{p}けんこうたいそうのかい"),
            (
                "{p}太極拳の会",
                "{p}たいきょくけんのかい",
                "ゆっくりした動きの太極拳で、体と心をほぐします。",
            ),
            (
                "{p}いすヨガの会",
                "{p}いすよがのかい",
                "椅子に座ったままできるヨガで、呼吸を整えながら体を伸ばします。",
            ),
        ),
        organisers={"volunteer": 3, "seniors-club": 2, "neighbourhood": 2, "npo": 1, "": 1},
        venues={"centre": 3, "hall": 2, "danchi": 1, "ikoi": 1},
        styles={"weekly": 5, "monthly_nth": 2},
        times=((10, 0, 11, 30), MORNING, (13, 30, 15, 0), (14, 0, 15, 30), EVENING),
        fees=("無料", "100円", "月500円", "200円"),
        audiences=("どなたでも", "体を動かしたい高齢の方", "おおむね60歳以上の方"),
        descriptions=(
            "椅子に座ったままできる、ゆったりとした体操です。",
            "足腰を丈夫にする筋力トレーニングを、みんなで楽しく続けています。",
            "体力に合わせて無理なく参加できます。終わった後のおしゃべりも楽しみです。",
            "音楽に合わせて、声をかけ合いながら体を動かします。",
        ),
        joins=(
            "動きやすい服装で、飲み物とタオルをお持ちください。",
            "見学だけでも大歓迎です。当日、会場へお越しください。",
        ),
        maybe=("salon", "greeting"),
        weight=9,
        capacity=(15, 40),
    ),
    R(
        kinds=("exercise",),
        names=(("{p}ラジオ体操会", "{p}らじおたいそうかい"),),
        organisers={"neighbourhood": 3, "seniors-club": 2, "volunteer": 1},
        venues={"park": 1},
        styles={"daily": 1},
        times=((6, 30, 6, 45),),
        fees=("無料",),
        audiences=("どなたでも",),
        descriptions=(
            "毎朝、公園に集まってラジオ体操をしています。",
            "朝の空気の中で体を動かし、顔を合わせて「おはよう」を言い合う集まりです。",
        ),
        joins=("当日、公園に直接お越しください。",),
        maybe=("greeting",),
        weight=2,
        outdoor=True,
    ),
    R(
        kinds=("exercise",),
        names=(
            ("{p}ウォーキングの会", "{p}うぉーきんぐのかい"),
            (
                "{p}グラウンドゴルフ同好会",
                "{p}ぐらうんどごるふどうこうかい",
                "公園でグラウンドゴルフを楽しんでいます。道具はお貸しします。",
            ),
            (
                "{p}ノルディックウォーキングの会",
                "{p}のるでぃっくうぉーきんぐのかい",
                "2本のポールを使って歩く、体にやさしいウォーキングです。",
            ),
        ),
        organisers={"seniors-club": 2, "volunteer": 2, "npo": 1},
        venues={"park": 1},
        styles={"weekly": 3, "monthly_nth": 2},
        times=((9, 0, 11, 0), (9, 30, 11, 0)),
        fees=("無料", "年会費1,000円", "100円（保険代）"),
        audiences=("どなたでも", "歩くことが好きな方"),
        descriptions=(
            "季節の花を眺めながら、近くの公園や川沿いをみんなで歩きます。",
            "自分のペースで歩けます。途中で休憩しながらおしゃべりも楽しみます。",
        ),
        joins=("集合場所に直接お越しください。雨の日はお休みです。",),
        maybe=("greeting",),
        weight=2,
        outdoor=True,
    ),
    R(
        kinds=("hobby",),
        names=(
            (
                "{p}囲碁将棋クラブ",
                "{p}いごしょうぎくらぶ",
                "囲碁や将棋を気軽に指しに来てください。初めての方には会員が教えます。",
            ),
            (
                "{p}手芸の会",
                "{p}しゅげいのかい",
                "編み物や小物づくりを、おしゃべりしながら楽しんでいます。",
            ),
            (
                "{p}カラオケ同好会",
                "{p}からおけどうこうかい",
                "懐かしい歌を思いきり歌って、声を出して元気に過ごしています。",
            ),
            (
                "{p}俳句の会",
                "{p}はいくのかい",
                "季節のことばを探しながら、みんなで句を持ち寄ります。",
            ),
            (
                "{p}絵手紙の会",
                "{p}えてがみのかい",
                "筆と絵の具で、身近な草花や季節の便りを描いています。",
            ),
            (
                "{p}書道クラブ",
                "{p}しょどうくらぶ",
                "お手本を見ながら、ゆっくり筆を運ぶ時間を楽しんでいます。",
            ),
            (
                "{p}園芸クラブ",
                "{p}えんげいくらぶ",
                "地域の花壇の手入れや、季節の花の寄せ植えをしています。",
            ),
            (
                "{p}健康麻雀の会",
                "{p}けんこうまーじゃんのかい",
                "「飲まない・吸わない・賭けない」健康麻雀です。指先と頭の体操になります。",
            ),
            (
                "{p}折り紙の会",
                "{p}おりがみのかい",
                "季節の飾りを折り紙で作ります。作品は施設にも届けています。",
            ),
            (
                "{p}民謡の会",
                "{p}みんようのかい",
                "民謡や踊りを習いながら、地域の行事でも披露しています。",
            ),
            (
                "{p}男の料理教室",
                "{p}おとこのりょうりきょうしつ",
                "男性どうしで、簡単でおいしい料理を作って一緒に食べます。",
            ),
            (
                "{p}スマホ教え合いの会",
                "{p}すまほおしえあいのかい",
                "スマートフォンの使い方を、みんなで教え合います。困ったことを持ってきてください。",
            ),
        ),
        organisers={"volunteer": 3, "seniors-club": 2, "neighbourhood": 1, "npo": 1, "": 2},
        venues={"centre": 4, "hall": 2, "ikoi": 2},
        styles={"monthly_nth": 3, "weekly": 3, "monthly_date": 1},
        times=(MORNING, AFTERNOON, (13, 0, 16, 0), EVENING),
        fees=("無料", "月500円", "1回300円（材料費）", "月1,000円", "1回200円"),
        audiences=("どなたでも", "おおむね60歳以上の方", "初心者の方"),
        descriptions=("同じ趣味の仲間と、おしゃべりしながら楽しく続けています。",),
        joins=(
            "見学は随時受け付けています。当日、会場へお越しください。",
            "道具はお貸しします。初めての方は連絡先までお電話ください。",
        ),
        maybe=("salon",),
        weight=9,
        capacity=(10, 25),
    ),
    R(
        kinds=("tea",),
        names=(
            ("{p}{f}お茶会", "{p}{f}おちゃかい"),
            ("{p}お茶飲み仲間", "{p}おちゃのみなかま"),
            ("{p}縁側の会", "{p}えんがわのかい"),
            ("{p}井戸端会議", "{p}いどばたかいぎ"),
            ("{p}ちょっとお茶の会", "{p}ちょっとおちゃのかい"),
            ("{p}おしゃべり茶話会", "{p}おしゃべりさわかい"),
        ),
        organisers={"": 6, "volunteer": 1, "neighbourhood": 1},
        venues={"home": 3, "cafe": 2, "hall": 1, "danchi": 1},
        styles={"irregular": 3, "weekly": 2, "monthly_nth": 2},
        times=(MORNING, (14, 0, 16, 0), AFTERNOON),
        fees=("無料", "実費（お茶菓子代）", "100円"),
        audiences=("ご近所の方", "顔なじみの仲間"),
        descriptions=(
            "ご近所の顔なじみが集まって、お茶を飲みながら近況を話しています。",
            "数人で気ままに開く、小さなお茶飲みの集まりです。",
            "誰かが来ないと気づいて声をかけ合う、ゆるやかな見守りにもなっています。",
        ),
        joins=(
            "顔なじみの集まりです。参加をご希望の方は、地域のコーディネーターがおつなぎします。",
        ),
        maybe=("watch-over", "greeting"),
        weight=6,
        notes=("月1〜2回。日程は会員に連絡します", "集まれる人で、気ままに集まります"),
        closers=(),
    ),
    R(
        kinds=("dog-walking",),
        names=(
            ("{p}わんわん散歩の会", "{p}わんわんさんぽのかい"),
            ("{p}いぬ友散歩クラブ", "{p}いぬともさんぽくらぶ"),
            ("{p}朝のお散歩仲間", "{p}あさのおさんぽなかま"),
            ("{p}夕やけ散歩の会", "{p}ゆうやけさんぽのかい"),
        ),
        organisers={"": 4, "volunteer": 1},
        venues={"park": 1},
        styles={"weekly": 2, "daily": 1, "irregular": 2},
        times=((7, 0, 8, 0), (6, 30, 7, 30), (16, 0, 17, 0)),
        fees=("無料",),
        audiences=("犬を飼っている方", "犬が好きな方"),
        descriptions=(
            "犬の散歩の時間を合わせて、みんなで一緒に歩いています。",
            "散歩の途中で、ひとり暮らしの方のお宅の様子にもさりげなく気を配っています。",
            "犬好きどうしの気軽な集まりです。犬を飼っていない方もどうぞ。",
        ),
        joins=(
            "顔なじみの集まりです。参加をご希望の方は、地域のコーディネーターがおつなぎします。",
        ),
        maybe=("greeting",),
        weight=3,
        outdoor=True,
        notes=("天気のよい日に集まります",),
        closers=(),
    ),
    R(
        kinds=("dog-walking", "watch-over"),
        names=(("{p}わんわんパトロール", "{p}わんわんぱとろーる"),),
        organisers={"neighbourhood": 2, "volunteer": 2, "": 1},
        venues={"park": 2, "street": 1},
        styles={"daily": 1, "weekly": 1},
        times=((7, 0, 8, 0), (16, 0, 17, 0)),
        fees=("無料",),
        audiences=("犬を飼っている方",),
        descriptions=(
            "犬の散歩のついでに、まちの様子や子どもたちの帰り道を見守っています。",
            "おそろいのバンダナを着けて、散歩しながらあいさつをしています。",
        ),
        joins=(
            "顔なじみの集まりです。参加をご希望の方は、地域のコーディネーターがおつなぎします。",
        ),
        weight=1,
        outdoor=True,
        notes=("天気のよい日に集まります",),
        closers=(),
    ),
    R(
        kinds=("greeting",),
        names=(
            ("{p}あいさつ運動", "{p}あいさつうんどう"),
            ("{p}声かけ隊", "{p}こえかけたい"),
            ("{p}おはよう声かけ隊", "{p}おはようこえかけたい"),
            ("{p}あいさつの輪", "{p}あいさつのわ"),
        ),
        organisers={
            "neighbourhood": 3,
            "welfare-commissioner": 2,
            "volunteer": 2,
            "seniors-club": 1,
        },
        venues={"street": 3, "park": 1, "school": 1},
        styles={"weekdays": 3, "monthly_nth": 1, "irregular": 1},
        times=((7, 30, 8, 30), (15, 0, 16, 0)),
        fees=("無料",),
        audiences=("どなたでも（あいさつに参加できる方）",),
        descriptions=(
            "朝の通学・通勤の時間に、道で会った方にあいさつをしています。",
            "「おはようございます」のひと声から、顔の見える関係をつくっています。",
            "ご近所どうしで声をかけ合い、困りごとに早く気づけるまちを目指しています。",
        ),
        joins=("都合のよい日だけの参加で大丈夫です。連絡先までお知らせください。",),
        maybe=("watch-over", "school-guard"),
        weight=4,
        outdoor=True,
        notes=("地域の行事や安全運動の期間に合わせて行います",),
        closers=HELPER_CLOSERS,
    ),
    R(
        kinds=("watch-over",),
        names=(("{o} 見守り隊", "{o}みまもりたい"), ("{o} 見守り活動", "{o}みまもりかつどう")),
        organisers={"neighbourhood": 1},
        venues={"street": 2, "hall": 1},
        styles={"monthly_nth": 2, "weekly": 1, "irregular": 2},
        times=(MORNING, AFTERNOON),
        fees=("無料",),
        audiences=("町会内のひとり暮らしの高齢の方", "見守りに協力できる方"),
        descriptions=(
            "町会の班ごとに、ひとり暮らしの高齢の方のお宅を訪ねています。",
            "新聞や郵便物のたまり具合、夜の明かりなど、さりげなく気にかけています。",
            "気になることがあれば、地域包括支援センターにつないでいます。",
        ),
        joins=("見守りを希望する方、協力できる方は、町会の役員か連絡先にご相談ください。",),
        maybe=("greeting",),
        weight=4,
        notes=("月1回程度、班ごとにお宅を訪ねます",),
        closers=HELPER_CLOSERS,
    ),
    R(
        kinds=("watch-over",),
        names=(
            ("{p}見守りネットワーク", "{p}みまもりねっとわーく"),
            ("{p}ゆるやか見守りの会", "{p}ゆるやかみまもりのかい"),
            ("{p}安心見守り隊", "{p}あんしんみまもりたい"),
            ("{p}ひとり暮らし訪問の会", "{p}ひとりぐらしほうもんのかい"),
        ),
        organisers={"welfare-commissioner": 3, "volunteer": 3, "npo": 2, "seniors-club": 1},
        venues={"street": 2, "hall": 2, "centre": 1},
        styles={"monthly_nth": 2, "weekly": 1, "irregular": 2},
        times=(MORNING, AFTERNOON),
        fees=("無料",),
        audiences=("ひとり暮らしの高齢の方", "見守りに協力できる方"),
        descriptions=(
            "ひとり暮らしの高齢の方のお宅を訪ね、お元気かどうかを確かめています。",
            "電話やお便りで、ご近所の方とゆるやかにつながっています。",
            "気になることがあれば、地域包括支援センターにつないでいます。",
        ),
        joins=(
            "見守りを希望する方、協力できる方は、連絡先またはコーディネーターにご相談ください。",
        ),
        maybe=("greeting",),
        weight=5,
        notes=("月1回程度、お宅を訪ねます", "訪ねる日は会員で相談して決めます"),
        closers=HELPER_CLOSERS,
    ),
    R(
        kinds=("school-guard",),
        names=(
            ("{s}スクールガード", "{s}すくーるがーど"),
            ("{s}通学路見守り隊", "{s}つうがくろみまもりたい"),
            ("{s}見守りボランティア", "{s}みまもりぼらんてぃあ"),
        ),
        organisers={
            "neighbourhood": 3,
            "volunteer": 3,
            "seniors-club": 2,
            "welfare-commissioner": 1,
        },
        venues={"school": 1},
        styles={"weekdays": 1},
        times=((7, 30, 8, 30), (14, 30, 16, 0)),
        fees=("無料",),
        audiences=("登下校の見守りに協力できる方",),
        descriptions=(
            "子どもたちの登下校の時間に、通学路に立って見守っています。",
            "ベストを着けて横断歩道に立ち、「いってらっしゃい」「おかえり」と声をかけます。",
        ),
        joins=("学校か連絡先へお申し出ください。ベストや帽子はお貸しします。",),
        maybe=("greeting", "watch-over"),
        weight=5,
        outdoor=True,
        closers=HELPER_CLOSERS,
    ),
    R(
        kinds=("sharing-food",),
        names=(
            ("{p}おかずおすそ分けの会", "{p}おかずおすそわけのかい"),
            ("おかずおすそ分けの会", "おかずおすそわけのかい"),
            ("{p}ふれあい食堂", "{p}ふれあいしょくどう"),
            ("{p}みんなの食堂", "{p}みんなのしょくどう"),
            ("{p}多世代食堂", "{p}たせだいしょくどう"),
            ("{p}おすそ分けクラブ", "{p}おすそわけくらぶ"),
        ),
        organisers={"volunteer": 3, "npo": 3, "neighbourhood": 2, "": 1},
        venues={"hall": 2, "centre": 1, "cafe": 1, "danchi": 1},
        styles={"monthly_nth": 3, "monthly_date": 2, "weekly": 1},
        times=((11, 30, 13, 30), (17, 0, 19, 0), EVENING),
        fees=("無料", "300円", "大人300円・子ども無料", "200円"),
        audiences=("どなたでも", "子どもから高齢の方まで", "ひとり暮らしの高齢の方"),
        descriptions=(
            "作りすぎたおかずや季節の野菜を持ち寄り、分け合っています。",
            "子どもから高齢の方まで、みんなで温かいごはんを囲みます。",
            "ひとりで食べるより、みんなで食べるとおいしい。そんな場所です。",
            "お弁当を届けながら、ひとり暮らしの方の様子も見ています。",
        ),
        joins=(
            "人数を確かめたいので、前日までにお電話ください。",
            "当日、会場へ直接お越しください。なくなり次第終わりです。",
        ),
        maybe=("watch-over", "salon"),
        weight=5,
        capacity=(20, 50),
    ),
    R(
        kinds=("light-bulb",),
        names=(
            ("{p}電球交換おたすけ隊", "{p}でんきゅうこうかんおたすけたい"),
            ("電球交換おたすけ隊", "でんきゅうこうかんおたすけたい"),
            ("{p}ちょこっとお助け隊", "{p}ちょこっとおたすけたい"),
            ("{p}困りごとお手伝い隊", "{p}こまりごとおてつだいたい"),
            ("{p}ちょっと手伝い隊", "{p}ちょっとてつだいたい"),
        ),
        organisers={"volunteer": 4, "neighbourhood": 2, "npo": 2, "seniors-club": 1},
        venues={"hall": 2, "centre": 1},
        styles={"on_request": 4, "weekly": 1},
        times=(MORNING, (13, 0, 16, 0)),
        fees=("無料（電球などの部品代は実費）", "1回100円", "30分100円", "無料"),
        audiences=("高齢の方や体の不自由な方のお宅", "ちょっとした手助けがほしい方"),
        descriptions=(
            "電球の交換や重い物の移動など、ちょっとした困りごとをお手伝いします。",
            "高い所の作業や家具の移動など、ひとりでは難しいことに伺います。",
            "お手伝いのついでに、おしゃべりも楽しみにしています。",
        ),
        joins=(
            "お電話でお申し込みください。日時をご相談のうえ伺います。",
            "地域のコーディネーターを通じてお申し込みください。",
        ),
        maybe=("watch-over", "shopping"),
        weight=5,
        weekly_note="電話の受付時間です",
        closers=HELPER_CLOSERS,
    ),
    R(
        kinds=("shopping",),
        names=(
            ("{p}一緒にお買い物ツアー", "{p}いっしょにおかいものつあー"),
            ("一緒にお買い物ツアー", "いっしょにおかいものつあー"),
            ("{p}お買い物バス", "{p}おかいものばす"),
            ("{p}買い物お付き添いの会", "{p}かいものおつきそいのかい"),
            ("{p}商店街お買い物ツアー", "{p}しょうてんがいおかいものつあー"),
        ),
        organisers={"volunteer": 3, "npo": 3, "neighbourhood": 1, "welfare-commissioner": 1},
        venues={"shops": 3, "centre": 1},
        styles={"monthly_nth": 3, "weekly": 2, "irregular": 1},
        times=(MORNING, AFTERNOON, (10, 30, 12, 0)),
        fees=("無料", "100円", "無料（買い物代は各自）", "200円（車の燃料代）"),
        audiences=("ひとりで買い物に行くのが不安な方", "おおむね65歳以上の方"),
        descriptions=(
            "みんなで商店街やスーパーへ出かけ、ゆっくりお買い物を楽しみます。",
            "重い荷物はボランティアがお持ちします。帰りにお茶を飲むのも楽しみです。",
            "足腰に不安がある方も、付き添いがあるので安心です。",
        ),
        joins=("前の週までにお電話でお申し込みください。",),
        maybe=("salon", "watch-over"),
        weight=5,
        capacity=(5, 12),
        pick_up=0.35,
    ),
]

ON_REQUEST_NOTE = "ご依頼に応じて伺います"
RAIN_NOTE = "雨天中止"

SURNAMES = [
    "山田",
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山本",
    "松本",
    "井上",
    "木村",
    "斎藤",
    "森",
    "池田",
    "橋本",
    "石川",
    "前田",
    "岡田",
    "長谷川",
    "村上",
    "近藤",
    "坂本",
    "遠藤",
    "青木",
    "藤田",
    "西村",
]
GIVEN_NAMES = [
    "花子",
    "和子",
    "幸子",
    "節子",
    "洋子",
    "恵子",
    "美智子",
    "京子",
    "典子",
    "良子",
    "一郎",
    "正男",
    "茂",
    "勝",
    "博",
    "隆",
    "進",
    "清",
    "誠",
    "明",
]

# Chances. Status and visibility are drawn per activity.
STATUS_WEIGHTS: dict[str, int] = {
    Status.PUBLISHED: 74,
    Status.DRAFT: 8,
    Status.IN_REVIEW: 6,
    Status.PAUSED: 8,
    Status.ENDED: 4,
}
STAFF_ONLY_INFORMAL = 0.95
STAFF_ONLY_OTHER = 0.04


# --- The builder -----------------------------------------------------------------------


@dataclass
class Venue:
    name: str
    address: str
    latitude: float | None
    longitude: float | None


@dataclass
class RegionPlan:
    """What one region's activities draw on: its towns, venues and organising groups."""

    area: Area
    towns: list[Town]
    schools: list[Text]
    centre: tuple[float, float] | None
    venues: dict[str, list[Venue]] = field(default_factory=dict)
    groups: dict[str, list[Text]] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)


class Builder:
    def __init__(self, municipality: Area, rng: random.Random, today: dt.date) -> None:
        self.municipality = municipality
        self.rng = rng
        self.today = today
        kinds = list(Kind.objects.of(municipality))
        self.activity_kinds = {k.code: k for k in kinds if k.facet == Facet.ACTIVITY}
        self.organiser_kinds = {k.code: k for k in kinds if k.facet == Facet.ORGANISER}
        self.recipes = [r for r in RECIPES if all(c in self.activity_kinds for c in r.kinds)]
        # Kinds the municipality added itself get a plain recipe of their own.
        known = {c for r in RECIPES for c in r.kinds}
        for code, kind in self.activity_kinds.items():
            if code not in known:
                self.recipes.append(custom_recipe(kind))
        known_organisers = {c for r in RECIPES for c in r.organisers}
        self.custom_organisers = [c for c in self.organiser_kinds if c not in known_organisers]
        self.organisations: dict[str, Organization] = {
            o.name: o for o in Organization.objects.filter(municipality=municipality)
        }

    # Small helpers over the one random source.

    def pick(self, weights: dict[str, int]) -> str:
        keys = list(weights)
        return self.rng.choices(keys, weights=[weights[k] for k in keys])[0]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def chome_of(self, town: Town) -> int:
        return self.rng.randint(1, town.chome) if town.chome else 0

    def address(self, town: Town, chome: int) -> str:
        """A street address such as 板橋区高島平3-12-28 (丁目-番-号) or 板橋区熊野町47-11."""
        city = self.municipality.name
        if chome:
            return f"{city}{town.name}{chome}-{self.rng.randint(1, 40)}-{self.rng.randint(1, 30)}"
        return f"{city}{town.name}{self.rng.randint(1, 60)}-{self.rng.randint(1, 25)}"

    def near(self, plan: RegionPlan, radius_m: float) -> tuple[float | None, float | None]:
        if plan.centre is None:
            return None, None
        lat, lng = plan.centre
        distance = radius_m * math.sqrt(self.rng.random())
        bearing = self.rng.uniform(0, 2 * math.pi)
        dlat = distance * math.cos(bearing) / 111_320
        dlng = distance * math.sin(bearing) / (111_320 * math.cos(math.radians(lat)))
        return round(lat + dlat, 6), round(lng + dlng, 6)

    # Names.

    @staticmethod
    def reading(area: Area) -> str:
        return hiragana(area.kana) if area.kana else area.name

    def prefix(self, plan: RegionPlan) -> Text:
        """The place word names start with: the region, a town or a 丁目."""
        roll = self.rng.random()
        if roll < 0.35:
            return (plan.area.name, self.reading(plan.area))
        town = self.rng.choice(plan.towns)
        chome = self.chome_of(town)
        if roll < 0.7 or not chome:
            return town.text
        return (
            f"{town.name}{CHOME_KANJI[chome - 1]}丁目",
            f"{town.kana}{CHOME_KANA[chome - 1]}ちょうめ",
        )

    def group(self, plan: RegionPlan, code: str) -> Text:
        """An organising group of this kind in the region, often one that already runs another."""
        known = plan.groups.setdefault(code, [])
        reuse = 1.0 if code == "welfare-commissioner" else 0.6
        if known and self.chance(reuse):
            return self.rng.choice(known)
        for _attempt in range(10):
            made = self.new_group(plan, code)
            if made not in known and made[0] not in self.organisations:
                known.append(made)
                return made
        return self.rng.choice(known) if known else self.new_group(plan, code)

    def new_group(self, plan: RegionPlan, code: str) -> Text:
        town = self.rng.choice(plan.towns)
        chome = self.chome_of(town)
        place = town.text
        if chome:
            place = (
                f"{town.name}{CHOME_KANJI[chome - 1]}丁目",
                f"{town.kana}{CHOME_KANA[chome - 1]}ちょうめ",
            )
        region = (plan.area.name, self.reading(plan.area))
        flower = self.rng.choice(FLOWERS)
        if code == "neighbourhood":
            options = [
                (f"{place[0]}町会", f"{place[1]}ちょうかい"),
                (f"{place[0]}自治会", f"{place[1]}じちかい"),
                (f"{town.name}団地自治会", f"{town.kana}だんちじちかい"),
            ]
            return self.rng.choices(options, weights=[6, 2, 1])[0]
        if code == "seniors-club":
            options = [
                (f"老人クラブ{town.name}寿会", f"ろうじんくらぶ{town.kana}ことぶきかい"),
                (f"{place[0]}長寿会", f"{place[1]}ちょうじゅかい"),
                (
                    f"老人クラブ{town.name}{flower[0]}会",
                    f"ろうじんくらぶ{town.kana}{flower[1]}かい",
                ),
            ]
            return self.rng.choice(options)
        if code == "welfare-commissioner":
            return (
                f"{region[0]}地区民生委員・児童委員協議会",
                f"{region[1]}ちくみんせいいいん・じどういいんきょうぎかい",
            )
        if code == "npo":
            options = [
                (
                    f"NPO法人{region[0]}ささえあいネット",
                    f"えぬぴーおーほうじん{region[1]}ささえあいねっと",
                ),
                (
                    f"NPO法人{region[0]}まちづくりの会",
                    f"えぬぴーおーほうじん{region[1]}まちづくりのかい",
                ),
                (
                    f"NPO法人{town.name}ふれあいの家",
                    f"えぬぴーおーほうじん{town.kana}ふれあいのいえ",
                ),
            ]
            return self.rng.choice(options)
        if code == "volunteer":
            options = [
                (f"{place[0]}ささえあいの会", f"{place[1]}ささえあいのかい"),
                (f"{region[0]}おたすけボランティア", f"{region[1]}おたすけぼらんてぃあ"),
                (
                    f"{town.name}ボランティアグループ{flower[0]}",
                    f"{town.kana}ぼらんてぃあぐるーぷ{flower[1]}",
                ),
                (f"{place[0]}有志の会", f"{place[1]}ゆうしのかい"),
            ]
            return self.rng.choice(options)
        # An organiser kind the municipality added itself.
        kind = self.organiser_kinds[code]
        return (f"{place[0]}{kind.name}の会", f"{place[1]}{hiragana(kind.kana)}のかい")

    def organisation(self, plan: RegionPlan, group: Text, code: str) -> str:
        """The group's name, created (with its reading) the first time it is used."""
        name, kana = group
        existing = self.organisations.get(name)
        if existing is None:
            existing = Organization.objects.create(
                municipality=self.municipality,
                area=plan.area,
                name=name,
                kana=kana,
                description=GROUP_DESCRIPTIONS.get(code, "").format(area=plan.area.name),
            )
            self.organisations[name] = existing
        elif existing.area_id != plan.area.pk:
            return ""  # a same-named group elsewhere: leave this one without
        return name

    # Places and times.

    def venue(self, plan: RegionPlan, kind: str, school: Text) -> dict[str, Any]:
        """A place of this kind in the region, often one other activities use too."""
        pool = plan.venues.setdefault(f"{kind}:{school[0]}" if kind == "school" else kind, [])
        reuse = 1.0 if kind in {"centre", "school"} else 0.5
        if pool and self.chance(reuse):
            venue = self.rng.choice(pool)
        else:
            venue = self.new_venue(plan, kind, school)
            pool.append(venue)
        name = venue.name
        if kind == "centre":
            name += self.rng.choice(CENTRE_ROOMS)
        return {
            "name": name,
            "address": venue.address,
            "latitude": venue.latitude,
            "longitude": venue.longitude,
        }

    def new_venue(self, plan: RegionPlan, kind: str, school: Text) -> Venue:
        town = self.rng.choice(plan.towns)
        chome = self.chome_of(town)
        lat, lng = self.near(plan, 250 if kind == "centre" else PLACE_RADIUS_M)
        at = f"{town.name}{chome}丁目" if chome else town.name
        written = f"{town.name}{CHOME_KANJI[chome - 1]}丁目" if chome else town.name
        address = self.address(town, chome)
        flower = self.rng.choice(FLOWERS)[0]
        if kind == "centre":
            name = f"{plan.area.name}地域センター"
        elif kind == "hall":
            name = self.rng.choice([f"{written}集会所", f"{written}町会会館", f"{town.name}会館"])
        elif kind == "danchi":
            name = self.rng.choice(
                [f"{town.name}団地 集会室", f"都営{written}アパート 集会室"]
                if chome
                else [f"{town.name}団地 集会室"]
            )
        elif kind == "ikoi":
            name = self.rng.choice([f"{town.name}いこいの家", f"{plan.area.name}ふれあい館"])
        elif kind == "cafe":
            name = self.rng.choice([f"コミュニティカフェ{flower}", f"喫茶{flower}"])
        elif kind == "park":
            name = self.rng.choice(
                [f"{town.name}公園", f"{written}児童遊園", f"{town.name}ふれあい公園"]
            )
        elif kind == "shops":
            name = self.rng.choice([f"{town.name}商店街", f"{town.name}商店街 入口"])
            address = f"{self.municipality.name}{at}付近"
        elif kind == "school":
            name = f"{school[0]}学校 正門前"
        elif kind == "home":
            name = "会員の自宅（持ち回り）"
            address = f"{self.municipality.name}{at}{HOME_NOTE}"
        else:  # street
            name = f"{written}町内"
            address = f"{self.municipality.name}{at}"
        return Venue(name, address, lat, lng)

    def schedules(self, recipe: Recipe) -> list[dict[str, Any]]:
        first_style = self.pick(recipe.styles)
        first_times = self.rng.choice(recipe.times)
        rows = [self.schedule(recipe, first_style, first_times)]
        if first_style in {"irregular", "on_request"}:
            return rows
        if self.chance(0.25):
            regular = {
                s: w for s, w in recipe.styles.items() if s not in {"irregular", "on_request"}
            }
            others = [t for t in recipe.times if t != first_times] or list(recipe.times)
            for _attempt in range(4):
                style = self.pick(regular)
                second = self.schedule(recipe, style, self.rng.choice(others))
                if style in {"weekdays", "daily"}:
                    clash = second["opens_at"] == rows[0]["opens_at"]
                else:
                    clash = bool(set(days_of(second)) & set(days_of(rows[0])))
                if not clash:
                    rows.append(second)
                    break
        return rows

    def schedule(
        self, recipe: Recipe, style: str, times: tuple[int, int, int, int]
    ) -> dict[str, Any]:
        opens: dt.time | None = dt.time(times[0], times[1])
        closes: dt.time | None = dt.time(times[2], times[3])
        note = RAIN_NOTE if recipe.outdoor and self.chance(0.5) else ""
        row: dict[str, Any] = {"weekdays": "", "nth": None, "day_of_month": None}
        if style == "weekly":
            days = self.rng.sample(range(6), 2) if self.chance(0.25) else [self.rng.randrange(6)]
            row |= {"frequency": Frequency.WEEKLY, "weekdays": ",".join(map(str, sorted(days)))}
            note = recipe.weekly_note or note
        elif style == "weekdays":
            row |= {"frequency": Frequency.WEEKLY, "weekdays": "0,1,2,3,4"}
            if "school-guard" in recipe.kinds and self.chance(0.4):
                note = "夏休みなど学校の休みの日はお休み"
        elif style == "daily":
            row |= {"frequency": Frequency.WEEKLY, "weekdays": "0,1,2,3,4,5,6"}
        elif style == "monthly_nth":
            weekday = self.rng.choices(range(7), weights=[4, 4, 4, 4, 4, 2, 1])[0]
            row |= {
                "frequency": Frequency.MONTHLY_NTH,
                "weekdays": str(weekday),
                "nth": self.rng.randint(1, 4),
            }
        elif style == "monthly_date":
            day = self.rng.choice([1, 5, 8, 10, 12, 15, 18, 20, 25])
            row |= {"frequency": Frequency.MONTHLY_DATE, "day_of_month": day}
            if self.chance(0.3):
                note = "土日・祝日の場合は翌平日"
        elif style == "on_request":
            row |= {"frequency": Frequency.IRREGULAR}
            opens = closes = None
            note = ON_REQUEST_NOTE
        else:
            row |= {"frequency": Frequency.IRREGULAR}
            if self.chance(0.5):
                opens = closes = None
            note = self.rng.choice(recipe.notes)
        return row | {"opens_at": opens, "closes_at": closes, "note": note}

    # One activity.

    def name_for(
        self, plan: RegionPlan, recipe: Recipe, group: Text | None, school: Text
    ) -> tuple[str, ...]:
        pattern = self.rng.choice(recipe.names)
        parts: dict[str, Text] = {
            "p": self.prefix(plan),
            "f": self.rng.choice(FLOWERS),
            "t": self.rng.choice(plan.towns).text,
            "s": school,
            "o": group or self.prefix(plan),
        }
        written = pattern[0].format(**{k: v[0] for k, v in parts.items()})
        kana = pattern[1].format(**{k: v[1] for k, v in parts.items()})
        return (written, kana, *pattern[2:])

    def activity(self, plan: RegionPlan, recipe: Recipe) -> bool:
        """Build and save one activity of the recipe; False when no fresh name was found."""
        rng = self.rng
        organisers = {
            c: w for c, w in recipe.organisers.items() if not c or c in self.organiser_kinds
        }
        organisers |= dict.fromkeys(self.custom_organisers, 1)
        code = self.pick(organisers) if organisers else ""
        group = self.group(plan, code) if code and not recipe.name_is_org else None
        school = self.rng.choice(plan.schools)
        for _attempt in range(12):
            picked = self.name_for(plan, recipe, group, school)
            if picked[0] not in plan.names:
                break
        else:
            return False
        name, kana = picked[0], picked[1]
        plan.names.add(name)
        if recipe.name_is_org:
            group = (name, kana)
        organisation = self.organisation(plan, group or (name, kana), code)

        kinds = [self.activity_kinds[c] for c in recipe.kinds]
        extra = [c for c in recipe.maybe if c in self.activity_kinds and c not in recipe.kinds]
        if len(kinds) == 1 and extra and self.chance(0.35):
            kinds.append(self.activity_kinds[rng.choice(extra)])
        if code:
            kinds.append(self.organiser_kinds[code])

        venue_kind = self.pick(recipe.venues)
        place = self.venue(plan, venue_kind, school)
        informal = any(k.code in INFORMAL_KINDS for k in kinds)
        welcomes = self.chance(0.65 if informal else 0.92)
        if len(picked) > 2:
            description = picked[2]
        else:
            count = 2 if len(recipe.descriptions) > 1 and self.chance(0.4) else 1
            chosen = set(rng.sample(range(len(recipe.descriptions)), count))
            description = "".join(d for i, d in enumerate(recipe.descriptions) if i in chosen)
        if welcomes and recipe.closers and self.chance(0.6):
            description += rng.choice(recipe.closers)
        fee = rng.choice(recipe.fees)
        indoor_hall = venue_kind in {"centre", "ikoi"}

        activity = Activity(
            area=plan.area,
            name=name,
            kana=kana,
            description=description,
            status=self.pick(STATUS_WEIGHTS),
            visibility=Visibility.STAFF
            if self.chance(STAFF_ONLY_INFORMAL if informal else STAFF_ONLY_OTHER)
            else Visibility.PUBLIC,
            fee=fee,
            is_free=fee.startswith("無料"),
            audience=rng.choice(recipe.audiences),
            capacity=rng.randint(*recipe.capacity)
            if recipe.capacity and self.chance(0.3)
            else None,
            welcomes_newcomers=welcomes,
            how_to_join=rng.choice(recipe.joins),
            step_free=self.chance(0.7 if indoor_hall else 0.15),
            accessible_toilet=self.chance(0.5 if indoor_hall else 0.05),
            pick_up=self.chance(recipe.pick_up),
            contact_name=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN_NAMES)}（例）",
            contact_phone=f"03-5{rng.randint(100, 999)}-{rng.randint(0, 9999):04d}",
            contact_public=self.chance(0.5),
            last_confirmed=self.last_confirmed(),
        )
        save_activity(
            activity,
            ActivityParts(
                kinds=kinds,
                organization_name=organisation,
                places=[place],
                schedules=self.schedules(recipe),
            ),
        )
        return True

    def last_confirmed(self) -> dt.date | None:
        roll = self.rng.random()
        if roll < 0.05:
            return None
        if roll < 0.20:  # stale: more than 13 months ago
            return self.today - dt.timedelta(days=self.rng.randint(400, 900))
        return self.today - dt.timedelta(days=self.rng.randint(0, 330))

    def region(self, area: Area) -> int:
        itabashi = self.municipality.code == ITABASHI
        towns = (itabashi and REGION_TOWNS.get(area.code)) or [Town(area.name, self.reading(area))]
        centre_of = area if area.latitude is not None else self.municipality
        centre = (
            (centre_of.latitude, centre_of.longitude)
            if centre_of.latitude is not None and centre_of.longitude is not None
            else None
        )
        schools = (itabashi and REGION_SCHOOLS.get(area.code)) or [
            (f"{towns[0].name}小", f"{towns[0].kana}しょう")
        ]
        plan = RegionPlan(area, towns, schools, centre)
        target = self.rng.randint(*ACTIVITIES_PER_REGION)
        # First one activity of every kind, then as the recipes' weights fall.
        by_kind: dict[str, list[Recipe]] = {}
        for recipe in self.recipes:
            by_kind.setdefault(recipe.kinds[0], []).append(recipe)
        first = [self.rng.choices(rs, weights=[r.weight for r in rs])[0] for rs in by_kind.values()]
        self.rng.shuffle(first)
        made = 0
        for recipe in first:
            made += self.activity(plan, recipe)
        weights = [r.weight for r in self.recipes]
        for _attempt in range(target * 3):
            if made >= target:
                break
            made += self.activity(plan, self.rng.choices(self.recipes, weights=weights)[0])
        return made


GROUP_DESCRIPTIONS = {
    "neighbourhood": "{area}地域の町会・自治会です。防災・防犯や見守り、季節の行事をしています。",
    "seniors-club": "{area}地域の老人クラブです。健康づくりや趣味、友愛訪問に取り組んでいます。",
    "welfare-commissioner": "{area}地区の民生委員・児童委員の集まりです。",
    "volunteer": "{area}地域で活動するボランティアグループです。",
    "npo": "{area}地域を中心に、高齢の方の暮らしを支える活動をしているNPO法人です。",
}


def days_of(schedule: dict[str, Any]) -> list[str]:
    return [d for d in schedule["weekdays"].split(",") if d]


def hiragana(text: str) -> str:
    return str(jaconv.kata2hira(text))


def custom_recipe(kind: Kind) -> Recipe:
    """A plain recipe for an activity kind the municipality added itself."""
    written = kind.name.replace("{", "{{").replace("}", "}}")
    reading = hiragana(kind.kana).replace("{", "{{").replace("}", "}}") if kind.kana else written
    return Recipe(
        kinds=(kind.code,),
        names=((f"{{p}}{written}の会", f"{{p}}{reading}のかい"),),
        organisers={"volunteer": 2, "neighbourhood": 1, "": 1},
        venues={"centre": 2, "hall": 2},
        styles={"monthly_nth": 2, "weekly": 1},
        times=(MORNING, AFTERNOON),
        fees=("無料", "100円"),
        audiences=("どなたでも",),
        descriptions=(f"地域の仲間と一緒に「{kind.name}」の活動をしています。",),
        joins=("連絡先までお問い合わせください。",),
        weight=2,
    )


def build_activities(municipality: Area, seed: int, today: dt.date | None = None) -> int:
    """Add 40–80 demo activities to every region of the municipality; return how many.

    Does nothing (and returns 0) when the municipality already has activities.
    """
    if Activity.objects.of(municipality).exists():
        return 0
    builder = Builder(municipality, random.Random(seed), today or timezone.localdate())
    regions: Sequence[Area] = list(
        Area.objects.of(municipality).regions().select_related("municipality")
    )
    with transaction.atomic():
        return sum(builder.region(area) for area in regions)
