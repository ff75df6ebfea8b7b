"""Small builders for council tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sasaeai.councils import services
from sasaeai.councils.models import (
    ActionItem,
    AgendaItem,
    Council,
    CouncilMember,
    Meeting,
    Minutes,
    MinutesStatus,
    Sector,
)
from sasaeai.test import area


def make_council(area_code: str = "takashimadaira", **fields: Any) -> Council:
    place = area(area_code)
    defaults: dict[str, Any] = {"name": f"支え合い会議{place.name}", "first_number": 1}
    defaults.update(fields)
    return Council.objects.create(municipality=place.municipality or place, area=place, **defaults)


def make_meeting(
    council: Council | None = None, date: dt.date = dt.date(2026, 4, 16), **fields: Any
) -> Meeting:
    return services.create_meeting(council or make_council(), date=date, **fields)


def make_member(council: Council, name: str = "板橋 太郎", **fields: Any) -> CouncilMember:
    fields.setdefault("sector", Sector.NEIGHBOURHOOD)
    return CouncilMember.objects.create(council=council, name=name, **fields)


def make_item(meeting: Meeting, title: str = "見守り活動の報告", **fields: Any) -> AgendaItem:
    return services.add_agenda_item(meeting, title=title, **fields)


def make_action(meeting: Meeting, what: str = "チラシを作る", **fields: Any) -> ActionItem:
    return ActionItem.objects.create(meeting=meeting, what=what, **fields)


def make_minutes(meeting: Meeting, status: str = MinutesStatus.DRAFT, **fields: Any) -> Minutes:
    return Minutes.objects.create(meeting=meeting, status=status, **fields)
