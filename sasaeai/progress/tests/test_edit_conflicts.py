"""Two people edit the same goal, or the same milestone, at once: the second to save is told,
nothing of theirs is written, and a second press after looking saves (lib/optimistic.py)."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.accounts.models import Role
from sasaeai.lib.tests.conflicts import second_saver_is_told
from sasaeai.progress.models import Goal, Milestone
from sasaeai.test import make_user

from .builders import make_goal

pytestmark = pytest.mark.django_db


def another_sc() -> Any:
    """A second SC of the region (the block's SC may read its route, not write it)."""
    return make_user("sc2@example.jp", Role.REGION_SC, "takashimadaira")


def test_the_second_saver_of_a_goal_is_told(users: dict) -> None:
    goal = make_goal()
    second_saver_is_told(
        f"/staff/progress/goals/{goal.pk}/edit/", (users["sc"], another_sc()), "title",
        ("会議の仲間を10人にする", "会議に商店会を誘う"),
        lambda: Goal.objects.get(pk=goal.pk).title,
    )  # fmt: skip


def test_the_second_saver_of_a_milestone_is_told(users: dict) -> None:
    milestone = make_goal(milestones=("聞き取りを始める",)).milestones.get()
    second_saver_is_told(
        f"/staff/progress/milestones/{milestone.pk}/edit/", (users["sc"], another_sc()),
        "title", ("聞き取りを10件する", "町会長に話を聞く"),
        lambda: Milestone.objects.get(pk=milestone.pk).title,
    )  # fmt: skip
