"""iCalendar (RFC 5545) feeds: a person's registered events, and a municipality's public
events and local events for residents. Times carry TZID Asia/Tokyo with its VTIMEZONE; each
event keeps one UID forever. A called-off event stays in the feed as STATUS:CANCELLED under a
higher SEQUENCE, which is how a calendar program learns to remove (or strike through) what it
already shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import icalendar
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.lib import calendar_entries

from .models import Event, LocalEvent

Entry = Event | LocalEvent  # an SC training or a local event for residents

PRODID = "-//sasaeai//SC events//JA"


def calendar(
    request: HttpRequest,
    events: Iterable[Entry],
    name: str,
    link: Callable[[Entry], str] = lambda e: e.get_absolute_url(),
    extra: Iterable[calendar_entries.Entry] = (),
) -> bytes:
    """The feed; `link` gives each event's page (the public feed points to the public one);
    `extra` adds other apps' appointments (a person's council meetings)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    stamp = timezone.now()
    for event in events:
        item = icalendar.Event()
        item.add("uid", f"{event.uid}@sasaeai")
        item.add("sequence", event.sequence)
        item.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
        item.add("dtstamp", stamp)
        item.add("last-modified", event.updated_at)
        item.add("dtstart", timezone.localtime(event.starts_at))
        item.add("dtend", timezone.localtime(event.ends_at))
        item.add(
            "summary",
            _("【中止】%(t)s") % {"t": event.title} if event.is_cancelled else event.title,
        )
        item.add("location", "　".join(p for p in (event.venue, event.address) if p))
        if isinstance(event, Event) and event.has_point:
            item.add("geo", (event.latitude, event.longitude))
        if event.is_cancelled:
            note = _("この催しは中止になりました。理由: %(r)s") % {"r": event.cancel_reason}
            item.add("description", f"{note}\n\n{event.description}".strip())
        else:
            item.add("description", event.description)
        item.add("url", request.build_absolute_uri(link(event)))
        cal.add_component(item)
    for entry in extra:
        cal.add_component(_entry(request, entry, stamp))
    cal.add_missing_timezones()
    return cal.to_ical()


def _entry(request: HttpRequest, entry: calendar_entries.Entry, stamp: dt.datetime) -> Any:
    """Another app's appointment (lib/calendar_entries.py), e.g. a council meeting."""
    item = icalendar.Event()
    item.add("uid", f"{entry.uid}@sasaeai")
    item.add("dtstamp", stamp)
    if entry.updated_at is not None:
        item.add("last-modified", entry.updated_at)
    if entry.starts_at is not None and entry.ends_at is not None:
        item.add("dtstart", timezone.localtime(entry.starts_at))
        item.add("dtend", timezone.localtime(entry.ends_at))
    else:
        item.add("dtstart", entry.day)
        item.add("dtend", entry.day + dt.timedelta(days=1))
    item.add("summary", entry.title)
    if entry.location:
        item.add("location", entry.location)
    if entry.description:
        item.add("description", entry.description)
    if entry.path:
        item.add("url", request.build_absolute_uri(entry.path))
    return item


def response(body: bytes, filename: str) -> HttpResponse:
    reply = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    reply["Content-Disposition"] = f'inline; filename="{filename}"'
    reply["Cache-Control"] = "private, max-age=900"
    return reply
