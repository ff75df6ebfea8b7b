"""Council workflows: numbering meetings, series, minutes (save, approve, correct), actions.

Views, demo data and tests all go through these functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sasaeai.lib import optimistic

from .models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    Council,
    CouncilMember,
    Decision,
    Meeting,
    MeetingSeries,
    Minutes,
    MinutesItem,
    MinutesStatus,
)

NUMBERING_ATTEMPTS = 5
LOCKED = gettext_lazy(
    "承認済みの議事録は変更できません。訂正するときは「訂正版を作る」を使ってください。"
)


class StaleMinutes(optimistic.Stale):
    """Someone else saved the minutes after this person opened them.

    The minutes keep their own counter (`Minutes.version`, which the staff API's clients
    send as a number) rather than `updated_at`; the guard is the same conditional UPDATE
    as lib/optimistic.py's `claim`, and so is the exception."""

    current: Minutes


def next_number(council: Council) -> int:
    highest = council.meetings.aggregate(n=models.Max("number"))["n"] or 0
    return max(highest + 1, council.first_number)


def create_meeting(council: Council, **fields: Any) -> Meeting:
    """Create the council's next meeting, numbered 第N回 without gaps or duplicates.

    The council row is locked while the number is chosen (PostgreSQL); SQLite serialises
    writers itself. The unique constraint is the last guard: a clash is retried.
    """
    for attempt in range(NUMBERING_ATTEMPTS):
        try:
            with transaction.atomic():
                Council.objects.select_for_update().filter(pk=council.pk).first()
                meeting = Meeting(council=council, number=next_number(council), **fields)
                meeting.save()
                return meeting
        except IntegrityError:
            if attempt == NUMBERING_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def make_series_meetings(series: MeetingSeries, start: dt.date, months: int) -> list[Meeting]:
    """Make the single meetings of a series, skipping days that already have a meeting."""
    taken = set(series.council.meetings.values_list("date", flat=True))
    return [
        create_meeting(
            series.council,
            series=series,
            date=day,
            starts_at=series.starts_at,
            ends_at=series.ends_at,
            venue=series.venue,
        )
        for day in series.dates(start, months)
        if day not in taken
    ]


def current_minutes(meeting: Meeting) -> Minutes:
    """The newest revision of the meeting's minutes, started empty if there is none."""
    minutes = meeting.minutes.order_by("-revision").first()
    if minutes is None:
        minutes, _created = Minutes.objects.get_or_create(meeting=meeting, revision=1)
    return minutes


@dataclass
class MinutesText:
    notes: str = ""
    # agenda item pk → what was discussed, and the decisions made under it (one per line)
    discussions: dict[int, str] = field(default_factory=dict)
    decisions: dict[int | None, list[str]] = field(default_factory=dict)


@transaction.atomic
def save_minutes(minutes: Minutes, expected_version: int, text: MinutesText) -> Minutes:
    """Save a draft, unless someone saved it since `expected_version` was read.

    The compare-and-set UPDATE is the guard on every database: of two people who opened
    version 3, only the first save bumps it to 4; the second raises StaleMinutes.
    """
    if minutes.is_locked:
        raise ValidationError(str(LOCKED))  # fmt: skip
    bumped = Minutes.objects.filter(
        pk=minutes.pk, version=expected_version, status=MinutesStatus.DRAFT
    ).update(version=expected_version + 1)
    if not bumped:
        raise StaleMinutes(Minutes.objects.get(pk=minutes.pk))
    minutes.version = expected_version + 1
    minutes.notes = text.notes
    minutes.save(update_fields=["notes", "version", "updated_at"])
    items = {i.agenda_item_id: i for i in minutes.items.all()}
    for agenda_pk, discussion in text.discussions.items():
        item = items.get(agenda_pk) or MinutesItem(minutes=minutes, agenda_item_id=agenda_pk)
        if item.discussion != discussion or item.pk is None:
            item.discussion = discussion
            item.save()
    _replace_decisions(minutes, text.decisions)
    return minutes


def _replace_decisions(minutes: Minutes, decisions: dict[int | None, list[str]]) -> None:
    public = set(minutes.decisions.filter(public=True).values_list("text", flat=True))
    minutes.decisions.all().delete()
    order = 0
    for agenda_pk, lines in decisions.items():
        for line in lines:
            order += 1
            Decision.objects.create(
                minutes=minutes,
                agenda_item_id=agenda_pk,
                order=order,
                text=line,
                public=line in public,
            )


@transaction.atomic
def approve_minutes(minutes: Minutes, user: Any, approved_as: str) -> Minutes:
    """Approve a draft (by the chair or the SC); it is locked from then on.

    An approved correction supersedes the revision it corrects.
    """
    locked = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if locked.status != MinutesStatus.DRAFT:
        raise ValidationError(_("この議事録はすでに承認されています。"))
    locked.status = MinutesStatus.APPROVED
    locked.approved_as = approved_as
    locked.approved_by = user if getattr(user, "pk", None) else None
    locked.approved_at = timezone.now()
    locked.save(update_fields=["status", "approved_as", "approved_by", "approved_at"])
    for older in locked.meeting.minutes.filter(
        revision__lt=locked.revision, status=MinutesStatus.APPROVED
    ):
        older.status = MinutesStatus.SUPERSEDED
        older.save(update_fields=["status"])
    return locked


@transaction.atomic
def correct_minutes(minutes: Minutes, reason: str) -> Minutes:
    """Start a correction: a new draft revision copied from the approved one, which stays."""
    if minutes.status != MinutesStatus.APPROVED:
        raise ValidationError(_("訂正できるのは承認済みの議事録だけです。"))
    if minutes.meeting.minutes.filter(revision__gt=minutes.revision).exists():
        raise ValidationError(_("この議事録には、すでに訂正版があります。"))
    draft = Minutes.objects.create(
        meeting=minutes.meeting,
        revision=minutes.revision + 1,
        notes=minutes.notes,
        correction_reason=reason,
    )
    MinutesItem.objects.bulk_create(
        MinutesItem(minutes=draft, agenda_item_id=i.agenda_item_id, discussion=i.discussion)
        for i in minutes.items.all()
    )
    Decision.objects.bulk_create(
        Decision(minutes=draft, agenda_item_id=d.agenda_item_id, order=d.order, text=d.text,
                 public=d.public)
        for d in minutes.decisions.all()
    )  # fmt: skip
    return draft


def next_agenda_order(meeting: Meeting) -> int:
    return (meeting.agenda.aggregate(n=models.Max("order"))["n"] or 0) + 1


def add_agenda_item(meeting: Meeting, **fields: Any) -> AgendaItem:
    item = AgendaItem(meeting=meeting, order=next_agenda_order(meeting), **fields)
    item.save()
    return item


def record_attendance(
    meeting: Meeting, members: list[CouncilMember], guests: dict[str, int]
) -> Attendance:
    attendance, _created = Attendance.objects.get_or_create(meeting=meeting)
    attendance.members.set(members)
    attendance.guests = {sector: n for sector, n in guests.items() if n}
    attendance.total = len(members) + sum(attendance.guests.values())
    attendance.save()
    return attendance


def set_action_status(action: ActionItem, status: str, on: dt.date | None = None) -> None:
    """Open, done or dropped; closing records the day, which ends the carry-over."""
    action.status = status
    action.closed_on = None if status == ActionStatus.OPEN else (on or timezone.localdate())
    action.save(update_fields=["status", "closed_on"])


@transaction.atomic
def choose_public_summary(
    meeting: Meeting, minutes: Minutes, agenda_pks: set[int], decision_pks: set[int], publish: bool
) -> None:
    """The SC chooses what residents see: which topics and decisions, and whether at all."""
    if minutes.status != MinutesStatus.APPROVED:
        raise ValidationError(_("公開できるのは承認済みの議事録だけです。"))
    for item in meeting.agenda.all():
        if item.public != (item.pk in agenda_pks):
            item.public = item.pk in agenda_pks
            item.save(update_fields=["public"])
    for decision in minutes.decisions.all():
        if decision.public != (decision.pk in decision_pks):
            decision.public = decision.pk in decision_pks
            decision.save(update_fields=["public"])
    meeting.summary_published = publish
    meeting.save(update_fields=["summary_published"])
