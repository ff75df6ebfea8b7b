"""The route's workflows: setting a goal, changing its status, reaching a milestone (from the
goal's page or from the minutes where it was reported), commenting. Views, the minutes page,
demo data and tests all go through these functions; each step lands in the goal's history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.councils.models import Minutes
from sasaeai.lib import optimistic
from sasaeai.lib.actors import actor_name
from sasaeai.lib.fiscal import fiscal_year_of

from .models import Goal, GoalComment, GoalStatus, GoalStep, Milestone


def _step(goal: Goal, by: Any, note: str, at: dt.datetime | None = None) -> GoalStep:
    moment = at or timezone.now()
    return GoalStep.record(
        by=by, goal=goal, at=moment, fiscal_year=fiscal_year_of(moment), status=goal.status,
        note=note,
    )  # fmt: skip


@transaction.atomic
def set_goal(goal: Goal, *, by: Any, version: optimistic.Version = None) -> Goal:
    """Save a new goal (in the 年度 it names) or an edit of one. `version`: the one the
    person read; `optimistic.Stale`, and nothing written, if someone saved the goal since."""
    optimistic.claim(goal, version)
    new = goal.pk is None
    if new:
        goal.created_by = by if getattr(by, "is_authenticated", False) else None
    goal.save()
    _step(goal, by, _("目標を立てました。") if new else _("目標を書き直しました。"))
    return goal


@transaction.atomic
def set_status(
    goal: Goal, status: str, *, by: Any, reason: str = "", today: dt.date | None = None
) -> Goal:
    """Move a goal to `status`. 達成 ends it in this 年度 (it is not carried further);
    見直し needs its reason; going back from 達成 puts it on the route again."""
    today = today or timezone.localdate()
    if status == GoalStatus.REVIEW and not reason.strip():
        raise ValidationError(_("見直しの理由を書いてください。"))
    goal.status = status
    goal.review_reason = reason.strip() if status == GoalStatus.REVIEW else ""
    goal.reached_year = (
        max(fiscal_year_of(today), goal.started_year) if status == GoalStatus.REACHED else None
    )
    goal.save()
    note = {
        GoalStatus.REACHED: _("目標を達成しました。"),
        GoalStatus.REVIEW: _("見直します: %(reason)s") % {"reason": goal.review_reason},
    }.get(
        GoalStatus(status),
        _("状態を「%(status)s」にしました。") % {"status": goal.get_status_display()},
    )
    _step(goal, by, note)
    return goal


@transaction.atomic
def add_milestone(goal: Goal, milestone: Milestone, *, by: Any) -> Milestone:
    milestone.goal = goal
    if milestone.pk is None:
        last = goal.milestones.aggregate(last=models.Max("position"))["last"]
        milestone.position = 0 if last is None else last + 1
    milestone.save()
    return milestone


@transaction.atomic
def reach(
    milestone: Milestone, *, by: Any, on: dt.date | None = None, minutes: Minutes | None = None
) -> Milestone:
    """Tick a milestone as reached (on the day of the minutes when ticked from them). A goal
    still これから is now 取り組み中."""
    if milestone.reached:
        return milestone
    milestone.reached_on = on or (minutes.meeting.date if minutes else timezone.localdate())
    milestone.minutes = minutes
    milestone.save()
    goal = milestone.goal
    if goal.status == GoalStatus.PLANNED:
        goal.status = GoalStatus.UNDERWAY
        goal.save()
    where = _("（%(meeting)s の議事録で報告）") % {"meeting": minutes.meeting} if minutes else ""
    _step(goal, by, _("通過点「%(title)s」に着きました。") % {"title": milestone.title} + where)
    return milestone


@transaction.atomic
def unreach(milestone: Milestone, *, by: Any) -> Milestone:
    if not milestone.reached:
        return milestone
    milestone.reached_on, milestone.minutes = None, None
    milestone.save()
    _step(
        milestone.goal,
        by,
        _("通過点「%(title)s」を未達に戻しました。") % {"title": milestone.title},
    )
    return milestone


def comment(goal: Goal, text: str, *, by: Any) -> GoalComment:
    if not text.strip():
        raise ValidationError(_("コメントを書いてください。"))
    return GoalComment.objects.create(
        goal=goal, author=by, author_name=actor_name(by), text=text.strip()
    )
