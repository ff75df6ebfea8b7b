"""The route's rules: carry-over by 年度, statuses, milestones, and the mountain's stations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from sasaeai.progress import services
from sasaeai.progress.models import Goal, GoalStatus, Stage
from sasaeai.progress.route import route
from sasaeai.test import area

from .builders import make_goal

pytestmark = pytest.mark.django_db


def titles(year: int) -> list[str]:
    return list(Goal.objects.in_year(year).order_by("pk").values_list("title", flat=True))


def test_an_unfinished_goal_stays_on_the_route_in_later_years(itabashi: Any) -> None:
    goal = make_goal(year=2024, title="活動を一覧にする")
    assert titles(2023) == [] and titles(2024) == titles(2025) == titles(2026) == [
        "活動を一覧にする"
    ]
    services.set_status(goal, GoalStatus.REACHED, by=None, today=dt.date(2026, 3, 31))
    goal.refresh_from_db()
    assert goal.reached_year == 2025  # 31 March 2026 is the last day of 2025年度
    assert titles(2025) == ["活動を一覧にする"] and titles(2026) == []
    assert goal.carried_over(2025) and not goal.carried_over(2024)


def test_reached_on_1_april_counts_in_the_new_year(itabashi: Any) -> None:
    goal = make_goal(year=2025)
    services.set_status(goal, GoalStatus.REACHED, by=None, today=dt.date(2026, 4, 1))
    assert Goal.objects.get().reached_year == 2026
    assert [g.pk for g in Goal.objects.in_year(2026)] == [goal.pk]


def test_going_back_from_reached_puts_the_goal_on_the_route_again(itabashi: Any) -> None:
    goal = make_goal(year=2024)
    services.set_status(goal, GoalStatus.REACHED, by=None, today=dt.date(2024, 9, 1))
    services.set_status(goal, GoalStatus.UNDERWAY, by=None, today=dt.date(2026, 5, 1))
    assert Goal.objects.get().reached_year is None and titles(2026) == [goal.title]


def test_a_review_needs_its_reason_and_changes_nothing_without(itabashi: Any) -> None:
    goal = make_goal()
    with pytest.raises(ValidationError, match="見直しの理由"):
        services.set_status(goal, GoalStatus.REVIEW, by=None, reason="  ")
    assert Goal.objects.get().status == GoalStatus.PLANNED
    services.set_status(goal, GoalStatus.REVIEW, by=None, reason="担い手が集まらない")
    goal.refresh_from_db()
    assert goal.status == GoalStatus.REVIEW and goal.review_reason == "担い手が集まらない"
    assert goal.steps.last().note == "見直します: 担い手が集まらない"  # type: ignore[union-attr]


def test_reaching_a_milestone_starts_the_goal_and_is_in_its_history(itabashi: Any) -> None:
    goal = make_goal(milestones=("声をかける団体を決める", "説明に回る"))
    first = goal.milestones.first()
    assert first is not None
    services.reach(first, by=None, on=dt.date(2026, 6, 3))
    goal.refresh_from_db()
    assert goal.status == GoalStatus.UNDERWAY
    assert [s.note for s in goal.steps.all()] == [
        "目標を立てました。",
        "通過点「声をかける団体を決める」に着きました。",
    ]
    services.unreach(first, by=None)
    first.refresh_from_db()
    assert first.reached_on is None


def test_the_mountain_orders_stations_by_stage_and_puts_the_climber_on_the_last_reached(
    itabashi: Any,
) -> None:
    region = area("takashimadaira")
    upper = make_goal(stage=Stage.CREATE, title="サロンを開く", milestones=("場所を借りる",))
    lower = make_goal(stage=Stage.SETUP, title="仲間を増やす", milestones=("声をかける", "迎える"))
    make_goal(stage=Stage.DIG, title="アンケート")  # no milestones: stands as one station
    make_goal(area_code="itabashi", title="よその地域の目標")
    services.reach(lower.milestones.get(title="声をかける"), by=None)
    mountain = route([region], 2026)[region.pk]
    assert [s.title for s in mountain.stations] == [
        "声をかける",
        "迎える",
        "アンケート",
        "場所を借りる",
    ]
    assert [s.reached for s in mountain.stations] == [True, False, False, False]
    first = mountain.stations[0]
    assert mountain.climber == (first.x, first.y) and mountain.stage_now == Stage.SETUP
    ys = [s.y for s in mountain.stations]
    assert ys == sorted(ys, reverse=True)  # every station higher up the slope than the last
    assert upper.pk in {s.goal.pk for s in mountain.stations}


def test_a_region_with_no_goals_stands_at_the_foot(itabashi: Any) -> None:
    region = area("takashimadaira")
    mountain = route([region], 2026)[region.pk]
    assert mountain.stations == [] and mountain.stage_now is None
    assert mountain.climber == (60, 364)


def test_public_only_shows_the_goals_the_council_made_public(itabashi: Any) -> None:
    region = area("takashimadaira")
    make_goal(title="公開する目標", public=True)
    make_goal(title="内部の目標")
    mountain = route([region], 2026, public_only=True)[region.pk]
    assert [g.title for g in mountain.goals] == ["公開する目標"]
