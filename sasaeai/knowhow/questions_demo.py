"""Demo questions and answers (学び合う), called by demo.build_knowhow after the cases: a dozen
questions from regions across Itabashi, answered by the SCs of other regions (the events demo
made one per region), some citing a demo case, most with the answer that helped marked, and
one joint review of the 赤塚 block. Written through the services, like everything else."""

from __future__ import annotations

from typing import Any

from sasaeai.accounts.models import Membership, Role, User
from sasaeai.areas.models import Area

from . import questions_services as services
from .models import AskedQuestion, Case, Question, ShareState, Theme
from .questions_lookups import home_area

Q = Question
# asker's region (or "block"), title, text, ★ questions, themes,
# answers: (answerer's region, words, words of a case title to cite or "")
Said = tuple[str, str, str]
QUESTIONS: list[tuple[str, str, str, tuple[str, ...], tuple[str, ...], list[Said]]] = [
    (
        "takashimadaira",
        "男性の参加者を増やすには？",
        "体操の会に来るのは女性ばかりです。男性にも来てもらうには、どんな工夫がありますか。",
        (Q.MORE_MEMBERS,),
        ("担い手", "居場所"),
        [
            (
                "narimasu",
                "朝の早い時間にすると、男性が来やすくなりました。役割をお願いするのも効果がありました。",
                "男性",
            ),
            (
                "tokiwadai",
                "将棋や囲碁の会を入口にしています。まずは顔見知りになることからです。",
                "",
            ),
        ],
    ),
    (
        "shimurasakaue",
        "担い手が高齢になってきました。次の人をどう見つけていますか？",
        "見守りの担い手の平均年齢が75歳をこえました。若い人に引き継ぐ方法を知りたいです。",
        (Q.KEEP_GOING,),
        ("担い手", "見守り"),
        [
            (
                "itabashi",
                "定年直後の人に、回覧で「1回だけのお手伝い」をお願いしています。",
                "担い手",
            ),
            ("oyaguchi", "民生委員さんと一緒に声をかけると、引き受けてもらいやすいです。", ""),
        ],
    ),
    (
        "fujimi",
        "チラシを見てもらえません。ほかにどう広めていますか？",
        "掲示板にチラシを貼っていますが、問い合わせがありません。",
        (Q.SPREAD,),
        ("情報発信",),
        [("kumano", "スーパーのレジ横と薬局に置かせてもらったら、問い合わせが増えました。", "")],
    ),
    (
        "narimasu",
        "移動支援の運転ボランティアの保険はどうしていますか？",
        "車での送迎を始めたいのですが、保険と事故のときが心配です。",
        (Q.IDEAS,),
        ("移動",),
        [("takashimadaira", "ボランティア保険に入り、送迎の範囲を決めてから始めました。", "移動")],
    ),
    (
        "tokumaru",
        "サロンとサロンをつなげる工夫はありますか？",
        "近くに3つのサロンがありますが、交流がありません。",
        (Q.CONNECT,),
        ("居場所",),
        [("shimoakatsuka", "年に1回、合同のお楽しみ会で代表どうしが顔を合わせています。", "")],
    ),
    (
        "shimizu",
        "買い物に困っている人をどう見つけていますか？",
        "困っている人がいるはずですが、声が届きません。",
        (Q.IDEAS, Q.SPREAD),
        ("買い物", "見守り"),
        [("nakadai", "新聞販売店と郵便局に気づいたことを知らせてもらう約束をしました。", "")],
    ),
    (
        "oyaguchi",
        "認知症の人も参加しやすい居場所にするには？",
        "物忘れのある方が来たときの対応に、ボランティアが不安を感じています。",
        (Q.KEEP_GOING, Q.IDEAS),
        ("認知症", "居場所"),
        [("fujimi", "認知症サポーター養成講座をサロンで開き、みんなで学びました。", "認知症")],
    ),
    (
        "nakadai",
        "会議のメンバーが集まりません。",
        "支え合い会議の出席が毎回半分ほどです。",
        (Q.KEEP_GOING,),
        ("担い手",),
        [],
    ),
    (
        "itabashi",
        "防災訓練と見守りを一緒にできますか？",
        "町会の防災訓練に、見守りの名簿づくりを組み合わせたいと考えています。",
        (Q.CONNECT,),
        ("防災", "見守り"),
        [("shimurasakaue", "訓練の受付で「困ったときの連絡先」を書いてもらっています。", "防災")],
    ),
    (
        "kumano",
        "若い世代に活動を知ってもらうには？",
        "子育て世代に地域の活動を知ってもらいたいです。",
        (Q.SPREAD, Q.MORE_MEMBERS),
        ("情報発信",),
        [("tokumaru", "小学校のおたよりに、地域の活動紹介を載せてもらいました。", "")],
    ),
    (
        "shimoakatsuka",
        "食事会の衛生で気をつけていることは？",
        "会食会を始めたいのですが、保健所への届けなどが心配です。",
        (Q.IDEAS,),
        ("食事",),
        [("shimizu", "まずは保健所に相談し、手作りはやめてお弁当にしました。", "食事")],
    ),
    (
        "block",
        "団地の見守りをどう分担していますか？（赤塚ブロック）",
        "ブロックの団地で、見守りの担い手が一部の人に集まっています。ほかの地域のやり方を次の連絡会で話し合いたいです。",
        (Q.KEEP_GOING, Q.CONNECT),
        ("見守り",),
        [
            ("takashimadaira", "階段ごとに見守り係を決め、1人が見るのは10軒までです。", "団地"),
            ("narimasu", "同じ悩みがあります。連絡会で、分担表の形を持ち寄りましょう。", ""),
        ],
    ),
]


def _person(municipality: Area, code: str) -> User | None:
    """The demo's SC of a region (the events demo made one for each), or the block's."""
    role = Role.BLOCK_SC if code == "block" else Role.REGION_SC
    area_filter = {"area__kind": "block"} if code == "block" else {"area__code": code}
    found = Membership.objects.filter(area__municipality=municipality, role=role, **area_filter)
    membership = found.select_related("user").order_by("pk").first()
    return membership.user if membership else None


def _case(municipality: Area, words: str) -> list[Case]:
    if not words:
        return []
    found = Case.objects.of(municipality).published().filter(title__contains=words)
    return list(found.order_by("pk")[:1])


def build_questions(municipality: Area) -> int:
    """The demo questions (once: nothing when the municipality has questions); how many."""
    if AskedQuestion.objects.of(municipality).exists():
        return 0
    themes = {t.name: t for t in Theme.objects.of(municipality)}
    made = 0
    for code, title, text, stars, theme_names, answers in QUESTIONS:
        asker = _person(municipality, code)
        area = home_area(asker, municipality) if asker else None
        if asker is None or area is None:
            continue
        question = AskedQuestion(area=area, title=title, text=text)
        if code == "block":
            question.block = area
        tags: dict[str, Any] = {"themes": [themes[n] for n in theme_names if n in themes]}
        question = services.ask(question, by=asker, stars=stars, tags=tags)
        written = []
        for where, words, cited in answers:
            person = _person(municipality, where)
            place = home_area(person, municipality) if person else None
            if person is None or place is None:
                continue
            written.append(services.answer(question, words, by=person, area=place,
                                           cases=_case(municipality, cited)))  # fmt: skip
        if written and made % 3 != 2:  # most have the answer that helped marked
            services.mark_helpful(question, written[0])
        made += 1
    share_some(municipality)
    return made


def share_some(municipality: Area) -> int:
    """A few cases and the first question, shared with the other municipalities: asked for by
    their writer, approved by the demo's ward (sharing_services). How many were shared."""
    from . import sharing_services
    from .demo_cases import SHARED

    ward = User.objects.filter(email="ward@demo.sasaeai.jp").first()
    published = Case.objects.of(municipality).published().order_by("pk")
    chosen: list[Case | AskedQuestion] = [
        c for c in published if c.title.startswith(SHARED) and not c.share_active
    ]
    first = AskedQuestion.objects.of(municipality).shown().filter(block__isnull=True)
    first = first.exclude(share_state__in=(ShareState.ASKED, ShareState.APPROVED))
    chosen += list(first.filter(title=QUESTIONS[0][1])[:1])
    for item in chosen:
        writer = item.author or ward
        sharing_services.approve(sharing_services.ask(item, by=writer), by=ward)
    return len(chosen)
