"""A region's route in a 年度, and the mountain it is drawn on.

`route()` gathers the goals on the route that year with their milestones (two queries for
any number of regions). `Mountain` places them: the stages are bands up the slope, each goal's
milestones are stations in its stage's band, the path zigzags from the foot to the summit
through every station in order, and the climber stands at the last station reached. The
template draws it as SVG on the server and lists the same facts as text beside it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.lib.prepared import PreparedAny, PreparedIn, keep_prefetched

from .models import Goal, GoalStatus, Milestone, Stage

# The picture's frame: a mountain from the foot (left and right) to the summit.
# The stages are named to the right of the mountain, in short (the list beside says it all).
WIDTH, HEIGHT = 760, 400
FOOT_Y, SUMMIT_Y = 370, 40
BASE_RIGHT = 540
SUMMIT_X = (10 + BASE_RIGHT) // 2
SHORT = {1: _("① 体制づくり"), 2: _("② 掘り起こし"), 3: _("③ 助け合い創出")}
BAND = (FOOT_Y - SUMMIT_Y) / len(Stage)


@dataclass(frozen=True)
class Station:
    number: int  # 1, 2, … along the path
    title: str
    goal: Goal
    milestone: Milestone | None  # None: a goal with no milestones yet stands as one station
    reached: bool
    x: int
    y: int


@dataclass
class Mountain:
    """The route of one area in one 年度, placed on the slope."""

    area: Area
    year: int
    goals: list[Goal]
    stations: list[Station] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.stations = list(_place(self.goals))

    @property
    def climber(self) -> tuple[int, int]:
        """Where the region stands: the last station reached, else the foot of the path."""
        reached = [s for s in self.stations if s.reached]
        if reached:
            return reached[-1].x, reached[-1].y
        return _start()

    @property
    def stage_now(self) -> Stage | None:
        """The stage of the last station reached (None: not set out yet)."""
        reached = [s for s in self.stations if s.reached]
        return Stage(reached[-1].goal.stage) if reached else None

    @property
    def path(self) -> str:
        """The SVG path from the foot through every station."""
        points = [_start(), *((s.x, s.y) for s in self.stations)]
        return "M " + " L ".join(f"{x:.0f} {y:.0f}" for x, y in points)

    @property
    def walked(self) -> str:
        """The part of the path already walked, to the climber."""
        last = max((s.number for s in self.stations if s.reached), default=0)
        points = [_start(), *((s.x, s.y) for s in self.stations[:last])]
        return "M " + " L ".join(f"{x:.0f} {y:.0f}" for x, y in points)

    @property
    def reached_count(self) -> int:
        return sum(s.reached for s in self.stations)

    @property
    def goals_reached(self) -> int:
        return sum(g.status == GoalStatus.REACHED for g in self.goals)

    @property
    def bands(self) -> list[tuple[Stage, int, int, str]]:
        """Each stage's band: (stage, top y, height, short name), from the foot up."""
        return [
            (stage, round(FOOT_Y - BAND * (i + 1)), round(BAND), str(SHORT[stage.value]))
            for i, stage in enumerate(Stage)
        ]

    outline = f"M 10 {FOOT_Y} L {SUMMIT_X} {SUMMIT_Y} L {BASE_RIGHT} {FOOT_Y} Z"
    width, height, summit_x, summit_y = WIDTH, HEIGHT, SUMMIT_X, SUMMIT_Y
    label_x = BASE_RIGHT + 12


def _start() -> tuple[int, int]:
    return 60, FOOT_Y - 6


def _half_width(y: float) -> float:
    """Half the mountain's width at height y (a triangle from the foot to the summit)."""
    return (y - SUMMIT_Y) / (FOOT_Y - SUMMIT_Y) * (SUMMIT_X - 10)


def _place(goals: Iterable[Goal]) -> Iterable[Station]:
    """Stations in route order: by stage, then by goal, then by milestone. In each band they
    climb evenly and alternate sides, so the path zigzags up."""
    by_stage: dict[int, list[tuple[Goal, Milestone | None]]] = defaultdict(list)
    for goal in goals:
        milestones: list[Milestone | None] = list(goal.milestones.all())
        for milestone in milestones or [None]:
            by_stage[goal.stage].append((goal, milestone))
    number = 0
    for i, stage in enumerate(Stage):
        entries = by_stage.get(stage.value, [])
        bottom = FOOT_Y - BAND * i
        for k, (goal, step) in enumerate(entries):
            number += 1
            y = bottom - BAND * (k + 1) / (len(entries) + 1)
            side = -1 if number % 2 else 1
            x = SUMMIT_X + side * _half_width(y) * 0.55
            reached = goal.status == GoalStatus.REACHED or (step is not None and step.reached)
            title = step.title if step is not None else goal.title
            yield Station(number, title, goal, step, reached, round(x), round(y))


def route(areas: list[Area], year: int, *, public_only: bool = False) -> dict[int, Mountain]:
    """Each area's mountain in 年度 `year`, keyed by area id: the goals on its route that year
    (carried ones included) with their milestones, in two queries for all the areas."""
    if not areas:
        return {}
    key = (len(areas), public_only)
    goals_of = _GOALS.get(key)
    if goals_of is None:
        build = partial(_goals, public_only=public_only)
        goals_of = _GOALS[key] = PreparedAny(build, (int,) * (1 + len(areas)))
    goals = goals_of(year, *(a.pk for a in areas))
    milestones: dict[int, list[Milestone]] = defaultdict(list)
    for milestone in _MILESTONES([goal.pk for goal in goals]):
        milestones[milestone.goal_id].append(milestone)
    found: dict[int, list[Goal]] = defaultdict(list)
    for goal in goals:
        keep_prefetched(goal, "milestones", milestones[goal.pk], _MILESTONE_ORDER)
        found[goal.area_id].append(goal)
    return {a.pk: Mountain(a, year, found.get(a.pk, [])) for a in areas}


def _goals(year: int, *areas: int, public_only: bool) -> Any:
    goals = Goal.objects.in_year(year).filter(area__in=areas).select_related("area")
    if public_only:
        goals = goals.shown_publicly()
    return goals.order_by("stage", "started_year", "pk")


# The route's queries, their SQL written once per number of areas (lib/prepared.py): a region
# page asks for its route on every request.
_GOALS: dict[tuple[int, bool], PreparedAny[Goal]] = {}
_MILESTONE_ORDER = Milestone.objects.order_by("position", "due_on", "pk")
_MILESTONES = PreparedIn(lambda goals: _MILESTONE_ORDER.filter(goal_id__in=goals))
