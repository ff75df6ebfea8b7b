"""Small builders for the events tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from sasaeai.events.kinds import seed_kinds
from sasaeai.events.models import Event, EventKind
from sasaeai.test import area, run_tasks

__all__ = ["at", "kind", "make_event", "run_tasks"]  # run_tasks: from sasaeai.test

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
