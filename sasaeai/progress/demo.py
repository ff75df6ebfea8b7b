"""Demo routes for every region, called by core.demo.load_demo (deterministic from `seed`).

Five 年度 of history and the current one. Regions climb differently: the first in the area
file's order is fast (at ③ within three years), the second restarted (a goal put under
見直し, then set again), the third is still at ①, the rest take their own steady pace.
Unfinished goals stay on the route into the next 年度 (carried, not copied). Rows are written
with bulk_create (no audit entries: demo data is not anybody's action).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from sasaeai.areas.models import Area
from sasaeai.directory.models import Activity
from sasaeai.lib.fiscal import fiscal_year_of

from .models import Goal, GoalStatus, GoalStep, Initiative, Milestone, Stage

HISTORY = 5  # 年度 before the current one


@dataclass(frozen=True)
class Plan:
    title: str
    initiative: Initiative
    why: str
    milestones: tuple[str, ...]


I = Initiative  # noqa: E741 - short in the table below
PLANS: dict[Stage, list[Plan]] = {
    Stage.SETUP: [
        Plan(
            "支え合い会議の仲間を増やす",
            I.TSUNAGARU,
            "町会・民生委員だけでなく、商店会や介護事業所にも加わってほしい。",
            ("声をかける団体を決める", "団体をたずねて説明する", "新しい委員を迎える"),
        ),
        Plan(
            "地域の活動を一覧にする",
            I.TSUNAGERU,
            "どこで何をしているか、住民も委員も知らない。",
            ("活動を聞き取る", "一覧表をつくる", "会議で確かめる"),
        ),
        Plan(
            "会議の進め方と役割を決める",
            I.TSUNAGARU,
            "毎回話し合いが広がり、決まらない。",
            ("進行役と記録係を決める", "年間の予定をつくる"),
        ),
        Plan(
            "関係機関との顔合わせ会を開く",
            I.KIKAN,
            "包括や社協の担当者と顔が見える関係をつくりたい。",
            ("日程と会場を決める", "顔合わせ会を開く"),
        ),
    ],
    Stage.DIG: [
        Plan(
            "高齢者の困りごとアンケートを行う",
            I.SHIRU,
            "買い物やごみ出しに困る声が会議で出ている。",
            ("質問を決める", "町会回覧で配る", "結果を会議で話し合う"),
        ),
        Plan(
            "担い手募集の説明会を開く",
            I.NAKAMA,
            "手伝いたい人はいるが、声のかけ方がわからない。",
            ("チラシをつくる", "説明会を開く", "登録した人に連絡する"),
        ),
        Plan(
            "活動者の交流会を開く",
            I.TSUNAGARU,
            "サロン同士が互いを知らず、担い手が足りない。",
            ("参加団体に声をかける", "交流会を開く"),
        ),
        Plan(
            "民生委員と情報交換の場をつくる",
            I.KIKAN,
            "見守りの気になる人の情報がつながっていない。",
            ("話し合いの場を決める", "1回目を開く", "続け方を決める"),
        ),
    ],
    Stage.CREATE: [
        Plan(
            "買い物の付き添いボランティアを始める",
            I.TAIKEN,
            "坂が多く、重い荷物を運べない人がいる。",
            ("協力するスーパーを探す", "試しに3回やってみる", "ふりかえって続け方を決める"),
        ),
        Plan(
            "空き店舗でサロンを開く",
            I.TAIKEN,
            "歩いて行ける集いの場がない。",
            ("場所を借りる相談をする", "1回目のサロンを開く", "毎月の開催にする"),
        ),
        Plan(
            "ごみ出し支援の仕組みをつくる",
            I.TAIKEN,
            "集積所まで運べない人が増えている。",
            ("近所の協力者を募る", "しくみを試す"),
        ),
        Plan(
            "活動マップを全戸に配る",
            I.TSUNAGERU,
            "活動を知らない人に届けたい。",
            ("地図をつくる", "町会の協力で配る"),
        ),
    ],
}

# Stage reached by the start of each history year, by pace; the climb is slower or faster.
PACES = {
    "fast": [1, 2, 3, 3, 3, 3],
    "restart": [1, 2, 1, 2, 2, 3],
    "foot": [1, 1, 1, 1, 1, 1],
    "steady": [1, 1, 2, 2, 3, 3],
    "slow": [1, 1, 1, 2, 2, 2],
}


@transaction.atomic
def build_progress(municipality: Area, seed: int, today: dt.date | None = None) -> int:
    """Make every region's route; return how many goals were made (none when the
    municipality already has goals)."""
    if Goal.objects.of(municipality).exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed + 23)
    current = fiscal_year_of(today)
    regions = list(Area.objects.of(municipality).regions().order_by("sort_order", "path"))
    activities: dict[int, list[int]] = {}
    for pk, area_id in Activity.objects.of(municipality).values_list("pk", "area_id"):
        activities.setdefault(area_id, []).append(pk)
    made = 0
    for index, region in enumerate(regions):
        pace = ["fast", "restart", "foot"][index] if index < 3 else rng.choice(["steady", "slow"])
        made += _climb(region, PACES[pace], current, today, rng, activities.get(region.pk, []))
    return made


def _climb(
    region: Area, pace: list[int], current: int, today: dt.date, rng: random.Random,
    activity_ids: list[int],
) -> int:  # fmt: skip
    used: set[str] = set()
    made: list[Made] = []
    for offset, stage_number in enumerate(pace):
        year = current - HISTORY + offset
        stage = Stage(stage_number)
        for plan in rng.sample(PLANS[stage], k=rng.randint(1, 2)):
            if plan.title in used:
                continue
            used.add(plan.title)
            restarted = pace is PACES["restart"] and offset == 1
            made.append(_goal(region, plan, stage, year, current, today, rng, restarted))
    Goal.objects.bulk_create([m.goal for m in made])
    for m in made:
        for milestone in m.milestones:
            milestone.goal = m.goal  # now saved: its id goes into the row
        for step in m.steps:
            step.goal = m.goal
        if m.goal.status == GoalStatus.REACHED and m.goal.stage == Stage.CREATE and activity_ids:
            m.goal.activities.set(rng.sample(activity_ids, k=min(2, len(activity_ids))))
    Milestone.objects.bulk_create([row for m in made for row in m.milestones])
    GoalStep.objects.bulk_create([row for m in made for row in m.steps])
    return len(made)


@dataclass
class Made:
    goal: Goal
    milestones: list[Milestone]
    steps: list[GoalStep]


def _goal(
    region: Area, plan: Plan, stage: Stage, year: int, current: int, today: dt.date,
    rng: random.Random, restarted: bool,
) -> Made:  # fmt: skip
    start = dt.date(year, 4, 1) + dt.timedelta(days=rng.randint(20, 80))
    # A goal of a past year is usually reached within one or two years; this year's is under way.
    years_taken = rng.choice([0, 0, 1, 1, 2])
    reached_year: int | None = year + years_taken
    if restarted:
        status, reached_year = GoalStatus.REVIEW, None
    elif year + years_taken < current:
        status = GoalStatus.REACHED
    else:
        status, reached_year = (GoalStatus.UNDERWAY if year < current else GoalStatus.PLANNED), None
    goal = Goal(
        area=region, municipality=region.municipality or region, started_year=year,
        reached_year=reached_year, title=plan.title,
        why=plan.why, initiative=plan.initiative, stage=stage, status=status,
        review_reason="担い手が集まらず、まず説明会から始めることにした。" if restarted else "",
        public=rng.random() < 0.7,
    )  # fmt: skip
    end = dt.date(reached_year, 12, 1) if reached_year else min(today, dt.date(year + 1, 3, 1))
    span = max((end - start).days, len(plan.milestones))
    milestones: list[Milestone] = []
    steps = [_step(goal, start, GoalStatus.PLANNED, "目標を立てました。")]
    for position, title in enumerate(plan.milestones):
        due = start + dt.timedelta(days=span * (position + 1) // len(plan.milestones))
        done = status == GoalStatus.REACHED or (due < today and rng.random() < 0.6)
        milestones.append(
            Milestone(goal=goal, position=position, title=title, due_on=due,
                      reached_on=min(due, today) if done else None)
        )  # fmt: skip
        if done:
            steps.append(_step(goal, min(due, today), GoalStatus.UNDERWAY,
                               f"通過点「{title}」に着きました。"))  # fmt: skip
    if status == GoalStatus.REVIEW:
        steps.append(_step(goal, end, status, f"見直します: {goal.review_reason}"))
    if status == GoalStatus.REACHED:
        steps.append(_step(goal, end, status, "目標を達成しました。"))
    elif status == GoalStatus.UNDERWAY and not any(m.reached_on for m in milestones):
        goal.status = GoalStatus.PLANNED if year == current else GoalStatus.UNDERWAY
    return Made(goal, milestones, steps)


def _step(goal: Goal, day: dt.date, status: str, note: str) -> GoalStep:
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(15)))
    return GoalStep(goal=goal, at=at, fiscal_year=fiscal_year_of(day), status=status,
                    note=note, by_name=f"{goal.area.name}のSC")  # fmt: skip
