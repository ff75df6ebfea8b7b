"""Demo surveys in a few regions: a published one being answered, a closed one, a draft,
with answers from the web and from paper.

Everything is drawn from one random.Random(seed) (only the link tokens are truly random, as
they must be unguessable anywhere); rows are written with bulk_create, without audit entries.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from sasaeai.areas.models import Area

from .models import (
    Answer,
    Channel,
    Question,
    QuestionKind,
    Response,
    Survey,
    SurveyStatus,
    new_token,
)

S, M, SC, T = QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE, QuestionKind.TEXT
# (title, intro, [(kind, text, required, choices or (low, high))])
LIFE = (
    "地域の暮らしについてのアンケート",
    "地域で困っていることや、あったらいいなと思うことを教えてください。5分ほどで答えられます。",
    [
        (S, "あなたの年代を教えてください。", True, ["60代以下", "70代", "80代", "90代以上"]),
        (M, "暮らしの中で困っていることはありますか。", True,
         ["買い物", "通院などの外出", "ちょっとした家事", "話し相手がいない", "特にない"]),
        (SC, "地域の人とのつながりを感じますか。", True, ("感じない", "とても感じる")),
        (S, "地域の集まりに参加してみたいですか。", False,
         ["参加したい", "興味はある", "参加したくない"]),
        (T, "困っていること、あったらいいなと思うことを自由に書いてください。", False, []),
    ],
)  # fmt: skip
PLACE = (
    "通いの場についてのアンケート",
    "通いの場（体操やおしゃべりの集まり）に参加している方に伺います。",
    [
        (SC, "通いの場は楽しいですか。", True, ("楽しくない", "とても楽しい")),
        (M, "参加しているものを選んでください。", True,
         ["体操", "おしゃべり", "食事会", "趣味の集まり"]),
        (T, "通いの場への要望があれば書いてください。", False, []),
    ],
)  # fmt: skip
DRAFT = (
    "買い物の手伝いについてのアンケート（案）",
    "",
    [
        (S, "ふだん、買い物はどうしていますか。", True,
         ["自分で行く", "家族に頼む", "宅配を使う", "その他"]),
        (T, "買い物で困っていることを書いてください。", False, []),
    ],
)  # fmt: skip
FREE_TEXT = {
    LIFE[0]: [
        "駅前のスーパーがなくなり、重い物を買って帰るのが大変です。",
        "電球を替えるのに脚立に乗るのがこわい。",
        "近くに気軽に立ち寄れる場所があるとうれしい。",
        "一人暮らしで話す相手が少ない。",
        "ごみ出しの日を忘れてしまうことがある。",
        "バス停までの坂道がつらい。",
    ],
    PLACE[0]: [
        "もう少し回数を増やしてほしい。",
        "会場までの送り迎えがあると助かる。",
        "男性も参加しやすい内容があるとよい。",
    ],
}
ANSWERS: dict[str, tuple[int, int]] = {
    SurveyStatus.PUBLISHED: (25, 45),
    SurveyStatus.CLOSED: (15, 30),
}
PAPER_SHARE = 0.25


def build_surveys(municipality: Area, seed: int, today: dt.date | None = None) -> int:
    """Make a few demo surveys with answers; return how many responses were made (none when
    the municipality already has surveys)."""
    if Survey.objects.of(municipality).exists():
        return 0
    rng = random.Random(seed + 7)
    today = today or timezone.localdate()
    regions = list(Area.objects.of(municipality).regions().order_by("-sort_order", "-path"))
    made = 0
    with transaction.atomic():
        for index, region in enumerate(regions[::5][:4]):
            made += _survey(municipality, region, LIFE, SurveyStatus.PUBLISHED, rng, today, 30)
            if index < 2:
                made += _survey(municipality, region, PLACE, SurveyStatus.CLOSED, rng, today, 200)
            if index == 0:
                made += _survey(municipality, region, DRAFT, SurveyStatus.DRAFT, rng, today, 3)
    return made


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    moment = dt.datetime.combine(day, dt.time(9 + rng.randint(0, 9), rng.randint(0, 59)))
    return timezone.make_aware(moment)


def _survey(
    municipality: Area, region: Area, spec: tuple[str, str, list[Any]], status: str,
    rng: random.Random, today: dt.date, days_ago: int,
) -> int:  # fmt: skip
    title, intro, questions = spec
    opened = today - dt.timedelta(days=days_ago)
    closed = opened + dt.timedelta(days=45)
    survey = Survey(
        municipality=municipality, area=region, title=title, intro=intro, token=new_token(),
        status=status,
        published_at=None if status == SurveyStatus.DRAFT else _at(opened, rng),
        closed_at=_at(closed, rng) if status == SurveyStatus.CLOSED else None,
    )  # fmt: skip
    Survey.objects.bulk_create([survey])
    rows = []
    for position, (kind, text, required, extra) in enumerate(questions):
        low, high = extra if kind == SC else ("そう思わない", "そう思う")
        choices = "\n".join(extra) if kind in (S, M) else ""
        rows.append(Question(survey=survey, position=position, kind=kind, text=text,
                             required=required, choices=choices, low_label=low,
                             high_label=high))  # fmt: skip
    Question.objects.bulk_create(rows)
    if status not in ANSWERS:
        return 0
    last = min(today, closed)
    responses = [
        Response(
            survey=survey,
            channel=Channel.PAPER if rng.random() < PAPER_SHARE else Channel.WEB,
            submitted_at=_at(opened + dt.timedelta(days=rng.randint(0, (last - opened).days)), rng),
        )
        for _i in range(rng.randint(*ANSWERS[status]))
    ]
    Response.objects.bulk_create(responses)
    answers = [a for r in responses for q in rows for a in _answers(r, q, rng, FREE_TEXT[title])]
    Answer.objects.bulk_create(answers)
    return len(responses)


def _answers(
    response: Response, question: Question, rng: random.Random, texts: list[str]
) -> list[Answer]:
    if not question.required and rng.random() < 0.3:
        return []
    if question.kind == QuestionKind.TEXT:
        if rng.random() < 0.6:
            return []
        return [Answer(response=response, question=question, text=rng.choice(texts))]
    if question.kind == QuestionKind.SCALE:
        value = rng.choices(range(1, 6), weights=[1, 2, 4, 4, 2])[0]
        return [Answer(response=response, question=question, value=value)]
    choices = question.choice_list
    count = len(choices)
    if question.kind == QuestionKind.MULTIPLE:
        if choices[-1] == "特にない":
            if rng.random() < 0.2:
                return [Answer(response=response, question=question, value=count - 1)]
            count -= 1  # "nothing" goes with no other choice
        picked = sorted(rng.sample(range(count), rng.randint(1, 2)))
        return [Answer(response=response, question=question, value=v) for v in picked]
    return [Answer(response=response, question=question, value=rng.randrange(count))]
