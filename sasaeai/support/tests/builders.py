"""Small builders for support tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from sasaeai.councils.models import Council
from sasaeai.councils.tests.builders import make_council
from sasaeai.support import services
from sasaeai.support.models import Booking, SupportRequest, Topic, Venue, VenueKind
from sasaeai.test import area


def council_of(code: str = "takashimadaira") -> Council:
    found = Council.objects.filter(area__code=code).first()
    return found or make_council(code)


def make_request(
    council: Council | None = None, title: str = "交流会の受付を手伝ってほしい",
    by: Any = None, **fields: Any,
) -> SupportRequest:  # fmt: skip
    fields.setdefault("topic", Topic.HANDS)
    req = SupportRequest(council=council or council_of(), title=title, **fields)
    return services.open_request(req, by=by)


def make_venue(
    name: str = "高島平地域センター 第1会議室", area_code: str = "takashimadaira", **fields: Any
) -> Venue:
    fields.setdefault("kind", VenueKind.VENUE)
    fields.setdefault("capacity", 30)
    return Venue.objects.create(name=name, area=area(area_code), **fields)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute,
                       tzinfo=timezone.get_current_timezone())  # fmt: skip


def next_week(days: int = 7) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def make_booking(venue: Venue, day: dt.date | None = None, start: int = 10, end: int = 12,
                 purpose: str = "体操教室", **fields: Any) -> Booking:  # fmt: skip
    day = day or next_week()
    return services.book(venue, starts_at=at(day, start), ends_at=at(day, end), purpose=purpose,
                         by=fields.pop("by", None), **fields)  # fmt: skip
