"""Small builders for directory tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sasaeai.directory.models import Activity, Kind, Status, Visibility
from sasaeai.directory.services import ActivityParts, save_activity
from sasaeai.test import area


def make_activity(
    name: str,
    area_code: str = "takashimadaira",
    *,
    kinds: tuple[str, ...] = ("salon",),
    status: str = Status.PUBLISHED,
    visibility: str = Visibility.PUBLIC,
    place: tuple[float, float] | None = (35.789, 139.659),
    schedules: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Activity:
    region = area(area_code)
    activity = Activity(area=region, name=name, status=status, visibility=visibility, **fields)
    weekly = {
        "frequency": "weekly",
        "weekdays": "2",
        "opens_at": dt.time(14),
        "closes_at": dt.time(16),
    }
    venue = {"name": f"{name}の会場", "address": "板橋区"}
    parts = ActivityParts(
        kinds=list(Kind.objects.filter(municipality=region.municipality, code__in=kinds)),
        places=[{**venue, "latitude": place[0], "longitude": place[1]}] if place else [],
        schedules=[weekly] if schedules is None else schedules,
    )
    return save_activity(activity, parts)
