"""Local events for residents: publish, sign up (with a waiting list), cancel a sign-up,
call an event off, delete a draft, and erase the sign-ups' personal data after the event.

Seats follow the same rules as SC trainings (seats.py), counted in people: a sign-up for
three takes three seats. Residents have no account and get no mail: the coordinator calls
those who moved up from the waiting list (the list says who).
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Window
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.areas.models import Area
from sasaeai.lib import optimistic
from sasaeai.lib.prepared import PreparedAny

from . import seats
from .happenings import call_off
from .local_models import KEEP_DAYS, LocalEvent, Signup
from .models import RegistrationStatus

Status = RegistrationStatus


def _locked(event: LocalEvent) -> LocalEvent:
    # One writer at a time per event (PostgreSQL; SQLite serialises writers): two residents
    # never get the last seat, and numbers never collide.
    return LocalEvent.objects.select_for_update().select_related("area").get(pk=event.pk)


@transaction.atomic
def publish(event: LocalEvent, *, now: dt.datetime | None = None) -> bool:
    """Publish a draft on the public site; False when it already was."""
    locked = _locked(event)
    if locked.is_published:
        return False
    if locked.ends_at <= (now or timezone.now()):
        raise ValidationError(_("終わった催しは公開できません。日時を直してください。"))
    locked.published_at = event.published_at = now or timezone.now()
    locked.save(update_fields=["published_at", "updated_at"])
    return True


@transaction.atomic
def save_event(event: LocalEvent, *, version: optimistic.Version = None) -> LocalEvent:
    """Save an edited event; more seats move waiters up. A published event's SEQUENCE goes
    up, so subscribed calendars take the change. `version`: the one the person read;
    `optimistic.Stale`, and nothing written, if someone saved the event since."""
    optimistic.claim(event, version)
    if event.is_cancelled:
        raise ValidationError(_("中止した催しは編集できません。"))
    if event.is_published:
        event.sequence += 1
    event.save()
    if event.is_published:
        fill_seats(_locked(event))
    return event


@transaction.atomic
def sign_up(
    event: LocalEvent,
    *,
    name: str,
    phone: str = "",
    email: str = "",
    people: int = 1,
    now: dt.datetime | None = None,
) -> Signup:
    """A place for `people` if they fit, else a place on the waiting list."""
    now = now or timezone.now()
    event = _locked(event)
    if not event.is_published:
        raise ValidationError(_("まだ公開されていない催しです。"))
    if event.is_cancelled:
        raise ValidationError(_("この催しは中止になりました。"))
    if not event.is_open(now):
        raise ValidationError(_("この催しの申込みは締め切りました（始まる時刻まで受け付けます）。"))
    if not phone and not email:
        raise ValidationError(_("電話番号かメールアドレスのどちらかを書いてください。"))
    # Nobody passes those already waiting, even when a smaller party would fit.
    queue = event.signups.waiting().exists()
    free = not queue and seats.fits(event.capacity, event.signups.registered().people(), people)
    number = (event.signups.aggregate(n=Max("number"))["n"] or 0) + 1
    return Signup.objects.create(
        event=event, number=number, name=name, phone=phone, email=email, people=people,
        status=Status.REGISTERED if free else Status.WAITING, applied_at=now,
    )  # fmt: skip


def waiting_position(signup: Signup) -> int | None:
    """Where a waiting sign-up stands in its event's queue (1 = next in line)."""
    if signup.status != Status.WAITING:
        return None
    queue = list(signup.event.signups.waiting().values_list("pk", flat=True))
    return queue.index(signup.pk) + 1


def fill_seats(event: LocalEvent, *, now: dt.datetime | None = None) -> list[Signup]:
    """Give free seats to waiters in order (call inside a transaction with the event
    locked); each is marked as moved up, for the coordinator to call."""
    taken = event.signups.registered().people()
    promoted = seats.to_promote(
        event.capacity, taken, list(event.signups.waiting()), lambda s: s.people
    )
    for signup in promoted:
        signup.status, signup.promoted_at = Status.REGISTERED, now or timezone.now()
        signup.save(update_fields=["status", "promoted_at"])
    return promoted


@transaction.atomic
def cancel_signup(signup: Signup, *, now: dt.datetime | None = None) -> list[Signup]:
    """The coordinator cancels a sign-up (the resident phoned); the freed seats go to the
    waiting list. Returns those who moved up."""
    event = _locked(signup.event)
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    if signup.status == Status.CANCELLED:
        raise ValidationError(_("この申込みはもう取り消されています。"))
    if event.ends_at <= (now or timezone.now()):
        raise ValidationError(_("終わった催しの申込みは取り消せません。"))
    held_seats = signup.status == Status.REGISTERED
    signup.status = Status.CANCELLED
    signup.save(update_fields=["status"])
    return fill_seats(event, now=now) if held_seats else []


@transaction.atomic
def cancel_event(event: LocalEvent, reason: str, *, now: dt.datetime | None = None) -> LocalEvent:
    """Call off (中止) a published event that has not ended. The public page and the
    calendar feed say so; the sign-ups stay, for the coordinator to call round."""
    call_off(_locked(event), event, reason, now or timezone.now())
    return event


@transaction.atomic
def delete_draft(event: LocalEvent) -> None:
    """Delete an event never published (nobody signed up); a published one is called off."""
    locked = _locked(event)
    if locked.is_published:
        raise ValidationError(_("公開した催しは削除できません。中止にしてください。"))
    locked.delete()


def purge_signups(now: dt.datetime | None = None) -> int:
    """Erase the names and contacts of sign-ups to events that ended KEEP_DAYS days ago or
    more (by the day in Tokyo: an event of 1 January is erased from 1 April); how many came
    stays, for the counts. One by one, so that each change is in the audit log. Returns how
    many sign-ups were erased."""
    today = timezone.localdate(now or timezone.now())
    cutoff = timezone.make_aware(
        dt.datetime.combine(today - dt.timedelta(days=KEEP_DAYS - 1), dt.time.min)
    )
    due = Signup.objects.filter(purged_at__isnull=True, event__ends_at__lt=cutoff)
    done = 0
    for signup in due.select_related("event__area").order_by("pk"):
        with transaction.atomic():
            signup.name = signup.phone = signup.email = ""
            signup.purged_at = now or timezone.now()
            signup.save(update_fields=["name", "phone", "email", "purged_at"])
        done += 1
    return done


def coming_up(area: Area, limit: int = 3) -> tuple[list[LocalEvent], int]:
    """The next published local events of an area and the regions under it (for its page),
    and how many there are in all."""
    prepared = _COMING.get(limit)
    if prepared is None:
        prepared = _COMING[limit] = PreparedAny(partial(_coming, limit=limit), (dt.datetime, str))
    rows = prepared(timezone.now(), area.path)
    return rows, (getattr(rows[0], "in_all", 0) if rows else 0)


def _coming(now: dt.datetime, path: str, limit: int) -> Any:
    found = LocalEvent.objects.published().upcoming(now).within(Area(path=path))
    # One query: the count rides on the few rows as a window over all of them.
    found = found.select_related("area").annotate(in_all=Window(Count("pk")))
    return found[:limit]


# coming_up's query by its limit, its SQL written once (lib/prepared.py): on every region page.
_COMING: dict[int, PreparedAny[LocalEvent]] = {}
