"""Council meetings in the calendar feed of the council's members (lib/calendar_entries.py):
whoever holds a role on the council's own area (its SC, members with an account). Meetings
from two months back on; a meeting without a time is a whole-day entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from sasaeai.lib.calendar_entries import Entry, register

from .models import Meeting

SINCE = dt.timedelta(days=60)
LENGTH = dt.timedelta(hours=2)  # when the end time is not written


def meetings_for(user: Any) -> Iterator[Entry]:
    if not getattr(user, "is_active", False):
        return
    meetings = (
        Meeting.objects.filter(
            council__area__memberships__user=user,
            date__gte=timezone.localdate() - SINCE,
        )
        .select_related("council")
        .distinct()
        .order_by("date", "pk")
    )
    tz = timezone.get_current_timezone()
    for meeting in meetings:
        council = meeting.council
        start = end = None
        if meeting.starts_at is not None:
            start = dt.datetime.combine(meeting.date, meeting.starts_at, tzinfo=tz)
            end = (
                dt.datetime.combine(meeting.date, meeting.ends_at, tzinfo=tz)
                if (meeting.ends_at and meeting.ends_at > meeting.starts_at)
                else start + LENGTH
            )
        yield Entry(
            uid=f"council-meeting-{meeting.pk}",
            title=f"{council.name} {meeting.title}",
            day=meeting.date,
            starts_at=start,
            ends_at=end,
            location=meeting.venue or council.venue,
            path=meeting.get_absolute_url(),
        )


register("councils.meetings", meetings_for)
