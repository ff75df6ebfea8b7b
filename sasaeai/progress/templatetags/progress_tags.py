"""The route where other pages need it: the milestones on a council's minutes page, so a
milestone reported at the meeting is ticked from there."""

from __future__ import annotations

from typing import Any

from django import template

from sasaeai.councils.models import Minutes
from sasaeai.lib.fiscal import fiscal_year_of

from ..lookups import may_walk
from ..models import Goal, Milestone

register = template.Library()


@register.inclusion_tag("progress/_on_minutes.html", takes_context=True)
def route_on_minutes(context: dict[str, Any], minutes: Minutes) -> dict[str, Any]:
    """The milestones of the region's goals in the meeting's 年度: those reported in these
    minutes, and (for the region's SC) those still to reach, each with a button."""
    region = minutes.meeting.council.area
    year = fiscal_year_of(minutes.meeting.date)
    goals = Goal.objects.in_year(year).filter(area=region)
    milestones = list(
        Milestone.objects.filter(goal__in=goals)
        .select_related("goal")
        .order_by("goal__stage", "goal_id", "position", "pk")
    )
    user = context["request"].user
    return {
        "minutes": minutes,
        "reported": [m for m in milestones if m.minutes_id == minutes.pk],
        "open": [m for m in milestones if not m.reached],
        "may_walk": may_walk(user, region),
        "csrf_token": context.get("csrf_token"),
    }
