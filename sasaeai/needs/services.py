"""Need workflows: receiving a need (numbered), moving it along its path, reopening it.

Staff views, the public form, demo data and tests all go through these functions, so every
step leaves its NeedEvent on the timeline.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.areas.models import Area
from sasaeai.councils.models import Meeting
from sasaeai.directory.models import Activity
from sasaeai.lib import actors

from .models import (
    CLOSED_STATUSES,
    TRANSITIONS,
    EventAction,
    Need,
    NeedEvent,
    Status,
)

NUMBERING_ATTEMPTS = 5


def actor_name(user: Any) -> str:
    return actors.actor_name(user, nobody=str(NeedEvent.nobody_name))


def next_seq(municipality_id: int, year: int) -> int:
    found = Need.objects.filter(municipality_id=municipality_id, number_year=year)
    return (found.aggregate(n=models.Max("number_seq"))["n"] or 0) + 1


def create_need(need: Need, *, by: Any = None, note: str = "") -> Need:
    """Save a new need with the next number of its year (N-2026-0042) and its first event.

    The number is the highest of the year plus one; the unique constraint catches two
    senders who took the same number at once, and the later one simply takes the next.
    """
    need.municipality = need.area.municipality or need.area
    need.number_year = need.reported_on.year
    if need.reporter_consent and need.consent_recorded_at is None:
        need.consent_recorded_at = timezone.now()
    if by is not None and getattr(by, "is_authenticated", False):
        need.created_by = by
        need.seen_at = timezone.now()  # staff entered it: nobody needs telling
    for attempt in range(NUMBERING_ATTEMPTS):
        try:
            with transaction.atomic():
                # One number at a time per municipality (PostgreSQL; SQLite serialises writers):
                # twelve forms sent at once ran out of retries on the constraint alone.
                Area.objects.select_for_update().filter(pk=need.municipality.pk).first()
                need.number_seq = next_seq(need.municipality.pk, need.number_year)
                need.receipt = f"{need.number}-{secrets.randbelow(1000):03d}"
                need.save()
                NeedEvent.record(
                    need=need,
                    action=EventAction.CREATED,
                    status=need.status,
                    on=need.reported_on,
                    by=need.created_by,
                    note=note,
                )
                return need
        except IntegrityError:
            need.pk = None
            need._state.adding = True
            if attempt == NUMBERING_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def move(
    need: Need,
    to: str,
    *,
    by: Any,
    on: dt.date | None = None,
    note: str = "",
    meeting: Meeting | None = None,
    activity: Activity | None = None,
    referred_to: str = "",
) -> NeedEvent:
    """Take one step along new → discussed → outcome, recording what the step requires:
    the activity a need was met by, where it was referred to, why it cannot be met."""
    transition = TRANSITIONS.get(to)
    if transition is None or need.status not in transition["from"]:
        raise ValidationError(_("今の状態からは、その操作はできません。"))
    on = on or timezone.localdate()
    if on < need.reported_on:
        raise ValidationError(_("受け付けた日より前の日付は入れられません。"))
    required = transition["needs"]
    if "activity" in required and activity is None:
        raise ValidationError(_("つないだ活動を選んでください。"))
    if "referred_to" in required and not referred_to.strip():
        raise ValidationError(_("つないだ先を書いてください。"))
    if "note" in required and not note.strip():
        raise ValidationError(_("理由をメモに書いてください。"))
    fields = ["status", "updated_at"]
    need.status = to
    if meeting is not None:
        need.meeting = meeting
        fields.append("meeting")
    if to in (Status.MET_BY_ACTIVITY, Status.NEW_ACTIVITY):
        need.activity = activity
        fields.append("activity")
    if to == Status.REFERRED:
        need.referred_to = referred_to.strip()
        fields.append("referred_to")
    need.save(update_fields=fields)
    return NeedEvent.record(
        need=need,
        action=EventAction.MOVED,
        status=to,
        on=on,
        by=by,
        note=note,
        meeting=meeting,
        activity=activity if to in (Status.MET_BY_ACTIVITY, Status.NEW_ACTIVITY) else None,
        referred_to=need.referred_to if to == Status.REFERRED else "",
    )


@transaction.atomic
def reopen(need: Need, *, by: Any, on: dt.date | None = None, note: str = "") -> NeedEvent:
    """Open a closed need again: back to "discussed" if it ever was, else to "new".

    The outcome's links are cleared on the need; the timeline keeps them.
    """
    if need.status not in CLOSED_STATUSES:
        raise ValidationError(_("この困りごとは対応中です。再開する必要はありません。"))
    on = on or timezone.localdate()
    if on < need.reported_on:
        raise ValidationError(_("受け付けた日より前の日付は入れられません。"))
    was_discussed = need.events.filter(status=Status.DISCUSSED).exists()
    need.status = Status.DISCUSSED if was_discussed else Status.NEW
    need.activity = None
    need.referred_to = ""
    need.save(update_fields=["status", "activity", "referred_to", "updated_at"])
    return NeedEvent.record(
        need=need,
        action=EventAction.REOPENED,
        status=need.status,
        on=on,
        by=by,
        note=note,
    )


def mark_seen(need: Need) -> None:
    """A staff member opened a need sent from the public form: it is no longer 新着."""
    if need.seen_at is None:
        need.seen_at = timezone.now()
        Need.objects.filter(pk=need.pk, seen_at__isnull=True).update(seen_at=need.seen_at)
