"""Small builders for route tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sasaeai.progress import services
from sasaeai.progress.models import Goal, Initiative, Milestone, Stage
from sasaeai.test import area


def make_goal(
    area_code: str = "takashimadaira", year: int = 2026, stage: int = Stage.SETUP,
    milestones: tuple[str, ...] = (), **fields: Any,
) -> Goal:  # fmt: skip
    fields.setdefault("title", "支え合い会議の仲間を増やす")
    fields.setdefault("initiative", Initiative.TSUNAGARU)
    goal = services.set_goal(
        Goal(area=area(area_code), started_year=year, stage=stage, **fields), by=None
    )
    for number, title in enumerate(milestones):
        services.add_milestone(
            goal, Milestone(title=title, due_on=dt.date(year, 6 + number, 1)), by=None
        )
    return goal
