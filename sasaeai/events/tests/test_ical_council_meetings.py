"""A person's calendar feed carries the meetings of their council (lib/calendar_entries.py,
filled by councils/calendar.py), beside the events they registered for."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from sasaeai.councils.tests.builders import make_council, make_meeting
from sasaeai.events.models import CalendarToken

pytestmark = pytest.mark.django_db


def test_the_feed_holds_the_meetings_of_the_sc_s_council(client: Client, users: dict) -> None:
    today = timezone.localdate()
    council = make_council("takashimadaira", name="高島平支え合い会議", venue="高島平地域センター")
    make_meeting(council, today + dt.timedelta(days=10), starts_at=dt.time(14), ends_at=dt.time(16))
    make_meeting(council, today + dt.timedelta(days=40))  # no time: a whole day
    make_meeting(council, today - dt.timedelta(days=200), starts_at=dt.time(14))  # long ago
    other = make_council("itabashi", name="板橋支え合い会議")
    make_meeting(other, today + dt.timedelta(days=10), starts_at=dt.time(10))
    token = CalendarToken.objects.create(user=users["sc"])
    response = client.get(f"/events/calendar/{token.token}.ics")
    cal = icalendar.Calendar.from_ical(response.content)
    items = sorted(cal.walk("VEVENT"), key=lambda c: str(c.decoded("DTSTART")))
    assert len(items) == 2  # not the meeting long ago, nor the other council's
    assert all(str(c["SUMMARY"]).startswith("高島平支え合い会議 第") for c in items)
    timed, whole_day = items
    start = timed.decoded("DTSTART")
    assert start.hour == 14 and str(start.tzinfo) == "Asia/Tokyo"
    assert timed.decoded("DTEND").hour == 16 and str(timed["LOCATION"]) == "高島平地域センター"
    assert "/staff/councils/meetings/" in str(timed["URL"])
    assert whole_day.decoded("DTSTART") == today + dt.timedelta(days=40)
    # Someone with no role on the council's area sees none of its meetings.
    theirs = CalendarToken.objects.create(user=users["other_sc"])
    feed = client.get(f"/events/calendar/{theirs.token}.ics").content.decode()
    assert "高島平支え合い会議" not in feed and "板橋支え合い会議 第" in feed
