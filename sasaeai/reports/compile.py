"""The facts of an area's 年度, gathered for its annual report.

`compile_year(area, year)` returns plain data (strings, numbers, lists, dicts: JSON), so that
an approved version keeps exactly what it showed (ReportVersion.data), whatever changes later.

- The council (councils): its profile, the members on it at the year's end by sector, the
  meetings held with their dates and topics, and the topics and decisions grouped under the
  guidebook's three initiatives.
- The route (progress): the goals on it that year, with their milestones and what was reached.
- The figures beside last year's: every app's indicators through progress/year_figures.py
  (which shows a closed year's frozen figures), under each app's heading: the activities begun
  and ended, the trainings attended, the needs and what came of them (counted by kind: a
  report is shared, a need's words are not), the support asked for, the budget and what was
  spent, and from those two the settlement.
- A block's or the ward's report: the regions' approved reports under it, and those not yet
  approved.

The minutes' photos a report carries are chosen by the SC, not gathered here: they are added
beside these facts (document.build for a draft, services.approve, which copies them, for a
version) under `data["photos"]`; see pictures.py.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sasaeai.areas.models import Area, AreaKind
from sasaeai.councils.models import (
    Council,
    CouncilMember,
    Decision,
    Meeting,
    Minutes,
    MinutesStatus,
    Sector,
)
from sasaeai.lib.fiscal import year_bounds, year_label
from sasaeai.progress import year_figures
from sasaeai.progress.models import INITIATIVE_GROUPS
from sasaeai.progress.route import route

from . import lookups

# The council's topic tags beyond the six of the route, placed under the initiative they serve.
EXTRA_TAGS = {"yobikake": 1, "rules": 2}


def compile_year(area: Area, year: int, today: dt.date | None = None) -> dict[str, Any]:
    """Everything the report of `area` shows for 年度 `year`, as plain data."""
    today = today or timezone.localdate()
    council = Council.objects.filter(area=area).prefetch_related("scs").first()
    table = year_figures.tables([area], year, today=today)[0]
    figures = _figures(table, year)
    data: dict[str, Any] = {
        "area": {"code": area.code, "name": area.name, "kind": area.kind, "layer": area.layer},
        "year": year,
        "year_label": year_label(year),
        "last_label": year_label(year - 1),
        # Short, for the heads of narrow columns (a phone, a table of three columns).
        "year_short": _("%(year)s年度") % {"year": year},
        "last_short": _("%(year)s年度") % {"year": year - 1},
        "compiled_on": date_format(today, "Y年n月j日"),
        "closed": year in table.closed,
        "council": _council(council, year, today) if council else None,
        "meetings": [],
        "initiatives": [],
        "goals": _goals(area, year) if area.kind == AreaKind.REGION else [],
        "figures": figures,
        "rate": _rate(table, year),
        "needs_by_kind": [f for f in figures if f["key"] == "needs.raised" and f["part"]],
        "settlement": _settlement(figures),
        "regions": [],
        "regions_missing": [],
    }
    if council is not None:
        data["meetings"], data["initiatives"] = _meetings(council, year, today)
    if area.kind != AreaKind.REGION:
        data["regions"], data["regions_missing"] = _regions(area, year)
    data["empty"] = not (
        data["meetings"] or data["goals"] or data["regions"]
        or any(f["this"] for f in figures if not f["part"])
    )  # fmt: skip
    return data


def _council(council: Council, year: int, today: dt.date) -> dict[str, Any]:
    end = min(year_bounds(year)[1], today)
    members = list(CouncilMember.objects.filter(council=council).current(on=end))
    sectors = Counter(m.sector for m in members)
    labels = dict(Sector.choices)
    return {
        "name": council.name,
        "started_on": date_format(council.started_on, "Y年n月") if council.started_on else "",
        "frequency": council.frequency,
        "venue": council.venue,
        "vision": council.vision,
        "scs": [{"body": sc.body, "count": sc.count} for sc in council.scs.all()],
        "members": len(members),
        "sectors": [
            {"label": str(labels[code]), "count": sectors[code]} for code in labels if sectors[code]
        ],
    }


def _meetings(
    council: Council, year: int, today: dt.date
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The meetings held in the year, and their topics and decisions under each initiative."""
    start, end = year_bounds(year)
    latest = Minutes.objects.exclude(status=MinutesStatus.SUPERSEDED).order_by("-revision")
    meetings = list(
        Meeting.objects.filter(council=council, date__gte=start, date__lte=min(end, today))
        .select_related("attendance")
        .prefetch_related("agenda", Prefetch("minutes", queryset=latest))
        .order_by("date", "number")
    )
    minutes_ids = [m.minutes.all()[0].pk for m in meetings if m.minutes.all()]
    decisions = defaultdict(list)
    for d in Decision.objects.filter(minutes_id__in=minutes_ids).order_by("order", "pk"):
        decisions[d.minutes_id].append(d)
    groups: list[dict[str, Any]] = [
        {"label": str(label), "topics": [], "decisions": []} for label, _items in INITIATIVE_GROUPS
    ]
    untagged: dict[str, Any] = {"label": _("取組みの指定なし"), "topics": [], "decisions": []}
    group_of = {str(code): i for i, (_l, codes) in enumerate(INITIATIVE_GROUPS) for code in codes}
    group_of |= EXTRA_TAGS
    rows = []
    for meeting in meetings:
        when = date_format(meeting.date, "Y年n月j日")
        attendance = getattr(meeting, "attendance", None)
        minutes = meeting.minutes.all()[0] if meeting.minutes.all() else None
        said = decisions.get(minutes.pk, []) if minutes else []
        rows.append({
            "title": meeting.title, "date": when, "venue": meeting.venue,
            "attendance": attendance.total if attendance else None,
            "topics": [item.title for item in meeting.agenda.all()],
            "decisions": [d.text for d in said],
        })  # fmt: skip
        by_item = defaultdict(list)
        for d in said:
            by_item[d.agenda_item_id].append(d.text)
        for item in meeting.agenda.all():
            targets = sorted({group_of[c] for c in item.initiative_codes if c in group_of})
            for target in [groups[i] for i in targets] or [untagged]:
                target["topics"].append({"title": item.title, "meeting": meeting.title,
                                         "date": when})  # fmt: skip
                target["decisions"] += by_item.get(item.pk, [])
        if by_item.get(None):
            untagged["decisions"] += by_item[None]
    shown = [g for g in [*groups, untagged] if g["topics"] or g["decisions"]]
    return rows, shown


def _goals(area: Area, year: int) -> list[dict[str, Any]]:
    mountain = route([area], year)[area.pk]
    goals = []
    for goal in mountain.goals:
        milestones = list(goal.milestones.all())
        goals.append({
            "title": goal.title, "why": goal.why,
            "status": goal.status, "status_label": goal.get_status_display(),
            "stage_label": goal.get_stage_display(),
            "initiative_label": goal.get_initiative_display(),
            "since": year_label(goal.started_year) if goal.carried_over(year) else "",
            "reached_here": goal.reached_year == year,
            "milestones": [
                {"title": m.title,
                 "due_on": date_format(m.due_on, "Y年n月j日") if m.due_on else "",
                 "reached_on": date_format(m.reached_on, "Y年n月j日") if m.reached_on else ""}
                for m in milestones
            ],
            "reached": sum(m.reached for m in milestones), "total": len(milestones),
        })  # fmt: skip
    return goals


def _figures(table: year_figures.Table, year: int) -> list[dict[str, Any]]:
    """Each figure of the year beside the year before (None where not counted)."""
    found = []
    for line in table.lines:
        cells = {cell.year: cell for cell in line.cells}
        this, last = cells.get(year), cells.get(year - 1)
        found.append({
            "key": line.key, "part": line.part, "group": line.group, "label": line.label,
            "unit": line.unit, "note": line.note,
            "this": this.value if this else None, "last": last.value if last else None,
        })  # fmt: skip
    return found


def _rate(table: year_figures.Table, year: int) -> dict[str, Any]:
    rates = {rate.year: rate for rate in table.rates}
    this, last = rates.get(year), rates.get(year - 1)
    return {
        "this": this.percent if this else None,
        "last": last.percent if last else None,
        "participants": this.participants if this else None,
        "population": this.population if this else None,
    }


def _settlement(figures: list[dict[str, Any]]) -> dict[str, Any]:
    by_key = {f["key"]: f for f in figures if not f["part"]}
    budget = (by_key.get("budgets.budget") or {}).get("this")
    spent = (by_key.get("budgets.spent") or {}).get("this")
    left = budget - spent if budget is not None and spent is not None else None
    return {"budget": budget, "spent": spent, "left": left}


def _regions(area: Area, year: int) -> tuple[list[dict[str, Any]], list[str]]:
    """The regions under a block or the ward: each one's latest approved report (by its
    version's id: an approved version never changes), and the names of those without one."""
    versions = list(lookups.approved_below(area, year))
    approved = {v.report.area_id for v in versions}
    regions = Area.objects.within(area).regions()
    missing = [r.name for r in regions.order_by("sort_order", "path") if r.pk not in approved]
    found = [
        {"version_id": v.pk, "code": v.report.area.code, "name": v.report.area.name,
         "number": v.number,
         "approved_on": date_format(timezone.localtime(v.approved_at).date(), "Y年n月j日")}
        for v in versions
    ]  # fmt: skip
    return found, missing
