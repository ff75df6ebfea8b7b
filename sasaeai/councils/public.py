"""What residents see of a council on the region page: its profile, how many members from
which sector (names only with consent), and the summaries the SC chose to publish."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from sasaeai.areas.models import Area

from .models import (
    AgendaItem,
    Council,
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


def council_profile(area: Area) -> dict[str, object] | None:
    council = Council.objects.filter(area=area).prefetch_related("scs").first()
    if council is None:
        return None
    members = list(council.members.current())
    counts = Counter(m.sector for m in members)
    return {
        "council": council,
        "member_total": len(members),
        "by_sector": [(label, counts[value]) for value, label in Sector.choices if counts[value]],
        "named": [m for m in members if m.consent_to_publish_name],
        "summaries": summaries(council),
    }


def summaries(council: Council) -> list[Summary]:
    meetings = (
        council.meetings.with_public_summary()
        .order_by("-date")
        .prefetch_related(
            Prefetch("agenda", AgendaItem.objects.filter(public=True), to_attr="public_topics"),
        )[:SUMMARIES_SHOWN]
    )
    decisions = Decision.objects.filter(
        public=True,
        minutes__status=MinutesStatus.APPROVED,
        minutes__meeting__in=[m.pk for m in meetings],
    ).values_list("minutes__meeting_id", "text")
    by_meeting: dict[int, list[str]] = {}
    for meeting_pk, text in decisions:
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
