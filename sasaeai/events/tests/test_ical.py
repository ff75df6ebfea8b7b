"""Calendar feeds parse as RFC 5545 and carry what a calendar program needs."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.test import Client

from sasaeai.events import services
from sasaeai.events.models import CalendarToken

from .builders import at, make_event

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def feed_url(client: Client) -> str:
    page = client.get("/staff/events/calendar/").content.decode()
    start = page.index("http://testserver/events/calendar/")
    return page[start : page.index('"', start)].removeprefix("http://testserver")


@pytest.mark.django_db
def test_personal_feed_lists_registered_events_and_parses(client: Client, users: dict) -> None:
    event = make_event(
        title="第2層SC等研修会", starts_at=at(2099, 6, 10, 14), venue="グリーンホール",
        address="板橋区栄町36-1", latitude=35.75, longitude=139.70,
    )  # fmt: skip
    make_event(title="申し込んでいない研修", starts_at=at(2099, 7, 1))
    services.register(event, users["sc"])
    client.force_login(users["sc"])
    url = feed_url(client)
    client.logout()
    response = client.get(url)  # a calendar program: no session
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    assert cal["VERSION"] == "2.0" and "sasaeai" in str(cal["PRODID"])
    (vevent,) = cal.events
    assert str(vevent["UID"]) == f"{event.uid}@sasaeai"
    assert vevent["SUMMARY"] == "第2層SC等研修会"
    assert vevent["LOCATION"] == "グリーンホール　板橋区栄町36-1"
    assert vevent.DTSTAMP.tzinfo is not None
    assert vevent["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert vevent.start == dt.datetime(2099, 6, 10, 14, tzinfo=TOKYO)
    assert vevent.end == dt.datetime(2099, 6, 10, 16, tzinfo=TOKYO)
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    assert b"sc@example.jp" not in response.content


@pytest.mark.django_db
def test_resetting_the_token_retires_the_old_url(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    old = feed_url(client)
    response = client.post("/staff/events/calendar/reset/")
    assert "前のURLは使えなくなりました" in client.get(response["Location"]).content.decode()
    new = feed_url(client)
    assert new != old
    assert client.get(old).status_code == 404 and client.get(new).status_code == 200
    assert client.get("/events/calendar/not-a-token.ics").status_code == 404
    assert client.get("/events/calendar/%00.ics").status_code == 404  # a 500 on PostgreSQL
    assert CalendarToken.objects.count() == 1


@pytest.mark.django_db
def test_public_feed_has_only_public_events_of_this_municipality(
    client: Client, itabashi: object
) -> None:
    make_event(title="公開フォーラム", is_public=True)
    make_event(title="SC限定の連絡会")
    make_event(title="公開予定の下書き", is_public=True, published=False)
    make_event("999991", title="よその町の研修", is_public=True)
    response = client.get("/events/calendar.ics")
    cal = icalendar.Calendar.from_ical(response.content)
    titles = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    assert titles == ["公開フォーラム"]
