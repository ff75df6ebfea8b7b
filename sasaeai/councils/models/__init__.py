"""Councils (支え合い会議), their members and meetings.

A council belongs to one area: the ward (第1層), a block (ブロック連絡会) or a region (第2層).
A meeting is numbered per council (第61回); its minutes pass draft → approved and a
correction is a new revision, so approved text is never rewritten.
"""

from .councils import (
    Council,
    CouncilMember,
    CouncilQuerySet,
    CouncilSC,
    MemberQuerySet,
    MemberRole,
    Sector,
)
from .meetings import (
    WEEKDAYS,
    ActionItem,
    ActionQuerySet,
    ActionStatus,
    AgendaItem,
    Attendance,
    Initiative,
    Meeting,
    MeetingQuerySet,
    MeetingSeries,
    nth_weekday,
)
from .minutes import ApprovedAs, Decision, Minutes, MinutesItem, MinutesStatus
from .photos import PHOTOS_A_MEETING, MeetingPhoto

__all__ = [
    "PHOTOS_A_MEETING", "WEEKDAYS", "ActionItem", "ActionQuerySet", "ActionStatus", "AgendaItem",
    "ApprovedAs", "Attendance", "Council", "CouncilMember", "CouncilQuerySet", "CouncilSC",
    "Decision", "Initiative", "Meeting", "MeetingPhoto", "MeetingQuerySet", "MeetingSeries",
    "MemberQuerySet", "MemberRole", "Minutes", "MinutesItem", "MinutesStatus", "Sector",
    "nth_weekday",
]  # fmt: skip
