"""What residents see of a council on the region page: its profile, how many members from
which sector (names only with consent), and the summaries the SC chose to publish."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.areas.models import Area
from sasaeai.lib.prepared import Prepared, PreparedAny, PreparedIn, keep_prefetched

from .models import (
    AgendaItem,
    Council,
    CouncilMember,
    CouncilSC,
    Decision,
    Initiative,
    Meeting,
    MinutesStatus,
    Sector,
)

SUMMARIES_SHOWN = 6


@dataclass
class Summary:
    meeting: Meeting
    topics: list[tuple[str, list[str]]] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)


# The region page's queries (on every request of it), their SQL written once (lib/prepared.py):
# writing it cost the page more than running it.
_COUNCIL = Prepared(lambda area: Council.objects.filter(area_id=area)[:1], arity=1)
_SCS = PreparedIn(lambda councils: CouncilSC.objects.filter(council_id__in=councils))
_MEMBERS = PreparedAny(
    lambda council, day: CouncilMember.objects.filter(council_id=council).current(day),
    (int, dt.date),
)
_MEETINGS = Prepared(
    lambda council: (
        Meeting.objects.filter(council_id=council)
        .with_public_summary()
        .order_by("-date")[:SUMMARIES_SHOWN]
    ),
    arity=1,
)
_TOPICS = PreparedIn(
    lambda meetings: AgendaItem.objects.filter(public=True).filter(meeting_id__in=meetings)
)
_DECISIONS = PreparedIn(
    lambda meetings: Decision.objects.filter(
        public=True, minutes__status=MinutesStatus.APPROVED, minutes__meeting__in=meetings
    ).values_list("minutes__meeting_id", "text")
)


def council_profile(area: Area) -> dict[str, object] | None:
    found = _COUNCIL(area.pk)
    if not found:
        return None
    council = found[0]
    keep_prefetched(council, "scs", _SCS([council.pk]))
    members = _MEMBERS(council.pk, timezone.localdate())
    counts = Counter(m.sector for m in members)
    return {
        "council": council,
        "member_total": len(members),
        "by_sector": [(label, counts[value]) for value, label in Sector.choices if counts[value]],
        "named": [m for m in members if m.consent_to_publish_name],
        "summaries": summaries(council),
    }


def summaries(council: Council) -> list[Summary]:
    meetings = _MEETINGS(council.pk)
    keys = [m.pk for m in meetings]
    topics: dict[int, list[AgendaItem]] = defaultdict(list)
    for item in _TOPICS(keys):
        topics[item.meeting_id].append(item)
    for meeting in meetings:
        meeting.public_topics = topics[meeting.pk]  # type: ignore[attr-defined]
    by_meeting: dict[int, list[str]] = {}
    for meeting_pk, text in _DECISIONS(keys):
        by_meeting.setdefault(meeting_pk, []).append(text)
    return [
        Summary(m, _by_initiative(m.public_topics), by_meeting.get(m.pk, []))  # type: ignore[attr-defined]
        for m in meetings
    ]


def _by_initiative(items: list[AgendaItem]) -> list[tuple[str, list[str]]]:
    """Topic titles under each initiative, in the guidebook's order; untagged ones last."""
    groups: list[tuple[str, list[str]]] = []
    for value, label in Initiative.choices:
        titles = [i.title for i in items if value in i.initiative_codes]
        if titles:
            groups.append((str(label), titles))
    untagged = [i.title for i in items if not i.initiative_codes]
    if untagged:
        groups.append((_("その他"), untagged))
    return groups
