"""Small builders for the events tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from sasaeai.events import local_services
from sasaeai.events.kinds import seed_kinds
from sasaeai.events.models import Event, EventKind, LocalEvent, LocalKind, Signup
from sasaeai.test import area, run_tasks

__all__ = [
    "at",
    "kind",
    "make_event",
    "make_local_event",
    "make_signup",
    "run_tasks",
]  # run_tasks: from sasaeai.test

TOKYO = timezone.get_fixed_timezone(9 * 60)


def at(year: int, month: int, day: int, hour: int = 14, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=TOKYO)


def kind(code: str = "training", municipality: str = "131199") -> EventKind:
    root = area(municipality)
    seed_kinds(root)
    return EventKind.objects.get(municipality=root, code=code)


def make_event(
    area_code: str = "131199",
    kind_code: str = "training",
    *,
    starts_at: dt.datetime | None = None,
    hours: int = 2,
    published: bool = True,
    **fields: Any,
) -> Event:
    """An event for the SCs of `area_code`, by default published and two weeks ahead."""
    place = area(area_code)
    root = place.municipality
    assert root is not None
    starts_at = starts_at or timezone.now() + dt.timedelta(days=14)
    fields.setdefault("title", "第2層SC等研修会")
    fields.setdefault("organiser", "板橋区社会福祉協議会")
    fields.setdefault("venue", "板橋区役所 大会議室")
    return Event.objects.create(
        municipality=root, area=place, kind=kind(kind_code, root.code),
        starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=hours),
        published_at=timezone.now() if published else None, **fields,
    )  # fmt: skip


def make_local_event(
    area_code: str = "takashimadaira",
    *,
    starts_at: dt.datetime | None = None,
    hours: int = 2,
    published: bool = True,
    **fields: Any,
) -> LocalEvent:
    """A local event for residents of a region, by default published and ten days ahead."""
    place = area(area_code)
    starts_at = starts_at or timezone.now() + dt.timedelta(days=10)
    fields.setdefault("title", "いきいき体操 体験会")
    fields.setdefault("kind", LocalKind.TAIKEN)
    fields.setdefault("organiser", f"{place.name}地域 支え合い会議")
    fields.setdefault("venue", f"{place.name}地域センター")
    fields.setdefault("description", "椅子に座ってできる体操です。")
    return LocalEvent.objects.create(
        municipality=place.municipality or place, area=place, starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours),
        published_at=timezone.now() if published else None, **fields,
    )  # fmt: skip


def make_signup(event: LocalEvent, name: str = "青木 花子", people: int = 1, **kw: Any) -> Signup:
    kw.setdefault("phone", "03-1111-2222")
    return local_services.sign_up(event, name=name, people=people, **kw)
