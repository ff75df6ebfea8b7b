"""Small builders for report tests: a region with a year of records, and a report at each
step of its review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sasaeai.councils.models import Council, MinutesStatus, Sector
from sasaeai.councils.tests.builders import (
    make_council,
    make_item,
    make_meeting,
    make_member,
    make_minutes,
)
from sasaeai.progress.tests.builders import make_goal
from sasaeai.reports import services
from sasaeai.reports.models import Report, ReportVersion
from sasaeai.test import area

YEAR = 2026
TEXTS = {
    "intro": "高島平の支え合い会議は、毎月第3木曜に集まっています。",
    "achievements": "見守りの輪が広がりました。",
    "issues": "担い手が足りません。",
    "next_year": "若い世代に声をかけます。",
}


def make_year(code: str = "takashimadaira", year: int = YEAR) -> Council:
    """A council with two members, one meeting with a topic and a decision under つなげる,
    and a goal with a milestone reached."""
    council = make_council(code, frequency="毎月第3木曜")
    make_member(council, "民生 花子", sector=Sector.COMMISSIONER)
    make_member(council, "町会 一郎", sector=Sector.NEIGHBOURHOOD)
    meeting = make_meeting(council, dt.date(year, 5, 21))
    item = make_item(meeting, title="活動マップづくり", initiatives="tsunageru")
    minutes = make_minutes(meeting, status=MinutesStatus.APPROVED)
    minutes.decisions.create(agenda_item=item, text="秋までに活動マップを作る")
    goal = make_goal(code, year, title="活動マップを配る", milestones=("聞き取りを終える",))
    milestone = goal.milestones.get()
    milestone.reached_on = dt.date(year, 7, 1)
    milestone.save()
    return council


def make_report(
    code: str = "takashimadaira", year: int = YEAR, by: Any = None, **texts: str
) -> Report:
    return services.save_draft(area(code), year, {**TEXTS, **texts}, by=by)


def approved(code: str = "takashimadaira", year: int = YEAR, by: Any = None) -> ReportVersion:
    report = make_report(code, year, by)
    services.send_for_review(report, by=by)
    return services.approve(report, by=by)
