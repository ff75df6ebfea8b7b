"""A meeting as one document: agenda, carried-over actions, attendance, minutes, actions.

The meeting page, the printable A4 page and the PDF all show this.
"""

from __future__ import annotations

from .models import ActionItem, Attendance, Meeting


def meeting_document(meeting: Meeting) -> dict[str, object]:
    """What the printed page and the PDF show: agenda, attendance, minutes, actions."""
    minutes = meeting.minutes.order_by("-revision").first()
    discussions = {i.agenda_item_id: i.discussion for i in minutes.items.all()} if minutes else {}
    decisions = list(minutes.decisions.all()) if minutes else []
    sections = [
        (item, discussions.get(item.pk, ""), [d for d in decisions if d.agenda_item_id == item.pk])
        for item in meeting.agenda.prefetch_related("activities")
    ]
    return {
        "meeting": meeting,
        "council": meeting.council,
        "sections": sections,
        "general_decisions": [d for d in decisions if d.agenda_item_id is None],
        "carried": ActionItem.objects.carried_to(meeting)
        .select_related("meeting")
        .prefetch_related("activities"),
        "attendance": Attendance.objects.filter(meeting=meeting)
        .prefetch_related("members")
        .first(),
        "minutes": minutes,
        "actions": meeting.actions.prefetch_related("activities"),
    }
