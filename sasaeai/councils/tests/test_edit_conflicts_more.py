"""Two staff record the same meeting's attendance, or choose its public summary, at once: the
second to save is told what the first saved, nothing of theirs is written, and a second press
after looking saves (lib/optimistic.py). It holds for the very first record of a meeting's
attendance too."""

from __future__ import annotations

import pytest

from sasaeai.councils.models import AgendaItem, Attendance, MinutesStatus
from sasaeai.councils.services import record_attendance
from sasaeai.lib.tests.conflicts import second_saver_is_told

from .builders import make_item, make_meeting, make_member, make_minutes

pytestmark = pytest.mark.django_db


def residents(meeting_pk: int) -> str:
    found = Attendance.objects.filter(meeting_id=meeting_pk).first()
    return str(found.guests.get("resident", 0)) if found else ""


def test_the_second_to_record_attendance_first_is_told(users: dict) -> None:
    meeting = make_meeting()
    make_member(meeting.council)
    second_saver_is_told(
        f"/staff/councils/meetings/{meeting.pk}/attendance/", (users["sc"], users["block"]),
        "guests_resident", ("3", "5"), lambda: residents(meeting.pk),
    )  # fmt: skip


def test_the_second_to_correct_attendance_is_told(users: dict) -> None:
    meeting = make_meeting()
    record_attendance(meeting, [make_member(meeting.council)], {"resident": 2})
    second_saver_is_told(
        f"/staff/councils/meetings/{meeting.pk}/attendance/", (users["sc"], users["block"]),
        "guests_resident", ("4", "6"), lambda: residents(meeting.pk),
    )  # fmt: skip


def test_the_second_to_choose_a_public_summary_is_told(users: dict) -> None:
    meeting = make_meeting()
    salon, walk = make_item(meeting, "サロンの紹介"), make_item(meeting, "散歩の会の報告")
    make_minutes(meeting, status=MinutesStatus.APPROVED)

    def shown() -> str:
        public = AgendaItem.objects.filter(meeting=meeting, public=True)
        return ",".join(str(pk) for pk in public.values_list("pk", flat=True))

    second_saver_is_told(
        f"/staff/councils/meetings/{meeting.pk}/summary/", (users["sc"], users["block"]),
        "topics", (str(salon.pk), str(walk.pk)), shown,
    )  # fmt: skip
