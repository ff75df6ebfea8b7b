"""The year's plan against what was held and scheduled, and attendance per SC, region and
block, per fiscal year (年度)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from sasaeai.accounts.models import Membership
from sasaeai.areas.models import Area

from .models import PARTICIPANT_ROLES, Event, EventKind, PlanTarget, Registration


@dataclass
class PlanRow:
    kind: EventKind
    block: Area | None
    min_count: int
    max_count: int
    held: int = 0
    scheduled: int = 0

    @property
    def planned(self) -> int:
        return self.held + self.scheduled

    @property
    def missing(self) -> int:
        """How many more must still be scheduled to reach the plan's minimum."""
        return max(0, self.min_count - self.planned)

    @property
    def over(self) -> int:
        return max(0, self.planned - self.max_count)


def plan_rows(municipality: Area, year: int, now: dt.datetime | None = None) -> list[PlanRow]:
    """One row per planned kind, or per block for kinds counted per block."""
    now = now or timezone.now()
    targets = PlanTarget.objects.filter(municipality=municipality, fiscal_year=year)
    blocks = list(Area.objects.of(municipality).blocks())
    events = (
        Event.objects.of(municipality)
        .published()
        .going_ahead()
        .in_fiscal_year(year)
        .select_related("area")
    )
    rows: list[PlanRow] = []
    for target in targets.select_related("kind"):
        places: list[Area | None] = list(blocks) if target.kind.per_block and blocks else [None]
        for block in places:
            row = PlanRow(target.kind, block, target.min_count, target.max_count)
            for event in events:
                if event.kind_id != target.kind_id:
                    continue
                if block is not None and not block.contains(event.area):
                    continue
                if event.ends_at < now:
                    row.held += 1
                else:
                    row.scheduled += 1
            rows.append(row)
    return rows


@dataclass
class Tally:
    """Attendance of one SC, or summed over a region or a block."""

    label: str
    area: Area | None = None
    people: int = 0
    registered: int = 0
    attended: int = 0
    members: list[Any] = field(default_factory=list)

    @property
    def rate(self) -> int | None:
        return round(100 * self.attended / self.registered) if self.registered else None


@dataclass
class AttendanceReport:
    people: list[Tally]
    regions: list[Tally]
    blocks: list[Tally]


def attendance(memberships: QuerySet[Membership], year: int) -> AttendanceReport:
    """Attendance in `year` of the SCs holding these (already access-scoped) memberships."""
    participants = (
        memberships.filter(role__in=PARTICIPANT_ROLES)
        .select_related("user", "area")
        .order_by("area__path", "user__pk")
    )
    home: dict[int, Area] = {}
    for membership in participants:
        if membership.user.is_active:
            home.setdefault(membership.user_id, membership.area)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    start_events = Event.objects.published().going_ahead().in_fiscal_year(year)
    registrations = Registration.objects.registered().filter(
        user_id__in=list(home), event__in=start_events
    )
    for user_id, attended in registrations.values_list("user_id", "attended"):
        counts[user_id][0] += 1
        counts[user_id][1] += bool(attended)
    users = {m.user_id: m.user for m in participants}
    people = [
        Tally(str(users[uid]), home[uid], 1, counts[uid][0], counts[uid][1], [users[uid]])
        for uid in home
    ]
    areas: dict[str, Tally] = {}
    blocks: dict[str, Tally] = {}
    chains = Area.objects.chains(home.values())
    for person in people:
        assert person.area is not None
        for place, into in _places(chains[person.area.pk], areas, blocks):
            tally = into.setdefault(place.path, Tally(place.name, place))
            tally.people += 1
            tally.registered += person.registered
            tally.attended += person.attended
    return AttendanceReport(
        people=people,
        regions=sorted(areas.values(), key=_order),
        blocks=sorted(blocks.values(), key=_order),
    )


def _order(tally: Tally) -> tuple[int, str]:
    assert tally.area is not None
    return (tally.area.sort_order, tally.area.path)


def _places(chain: list[Area], regions: dict[str, Tally], blocks: dict[str, Tally]) -> list[Any]:
    """The region and the block an SC's area (the last of `chain`) counts towards."""
    found: list[Any] = []
    for place in chain:
        if place.kind == "region":
            found.append((place, regions))
        elif place.kind == "block":
            found.append((place, blocks))
    return found
