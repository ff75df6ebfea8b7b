"""Event workflows: publish and announce, register (with a waiting list), cancel, attend,
call an event off (中止) and delete a draft.

Views, tasks and demo data all go through these functions. The page never sends mail: each
notification is a background task enqueued once the transaction is kept, and its payload is
an id. A mail says the event's title, date and link, nothing about anybody.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sasaeai.accounts.models import User
from sasaeai.areas.models import Area
from sasaeai.lib import delivery, links, notices, optimistic
from sasaeai.lib.later import enqueue_on_commit

from . import seats
from .happenings import call_off
from .models import (
    PARTICIPANT_ROLES,
    Event,
    Notice,
    NoticeReason,
    Registration,
    RegistrationStatus,
)

Status = RegistrationStatus


def audience(event: Event) -> QuerySet[User]:
    """The SCs an event is for: region and block SCs holding a role on its area or below."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__role__in=PARTICIPANT_ROLES,
            memberships__area__in=Area.objects.within(event.area),
        )
        .distinct()
        .order_by("pk")
    )


def is_for(event: Event, user: Any) -> bool:
    return audience(event).filter(pk=user.pk).exists()


@transaction.atomic
def publish(event: Event, *, now: dt.datetime | None = None) -> bool:
    """Publish a draft and, after commit, announce it to its SCs. Publishing again does
    nothing (False): nobody hears about the same event twice."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.published_at is not None:
        return False
    locked.published_at = event.published_at = now or timezone.now()
    locked.save(update_fields=["published_at", "updated_at"])
    enqueue_on_commit("sasaeai.events.tasks.announce_event", event.pk)
    return True


def event_link(event: Event) -> str:
    """An absolute link for mail: the configured site URL, else the municipality's host."""
    return links.absolute(reverse("events_staff:detail", args=[event.pk]), event.municipality)


def _send(event: Event, user: User, subject: str, lead: str, kind: str, record: int) -> bool:
    """The mail of a notice, once per `kind`, record and user however often the task runs
    (lib/delivery.py); whether it went now. The event's title and date are no secret (they
    are on the schedule); who else is coming is."""
    if not user.email:
        return False
    message = notices.Message(subject, lead, event_link(event), details=(event.title, event.when))
    send = partial(message.send, [user])
    return delivery.deliver(kind, record, delivery.user_key(user), send)


def announce(event_id: int) -> int:
    """Tell each SC the event is for (a notice and a mail), once per person; return how
    many were told. Safe to run again: those already told are skipped."""
    event = Event.objects.published().select_related("municipality").filter(pk=event_id).first()
    if event is None:
        return 0
    told = 0
    subject = _("【支え合い】研修・連絡会のお知らせ：%(title)s") % {"title": event.title}
    lead = _("新しい研修・連絡会の案内が届きました。")
    for user in audience(event):
        Notice.objects.get_or_create(user=user, event=event, reason=NoticeReason.PUBLISHED)
        told += _send(event, user, subject, lead, "events.announce", event.pk)
    return told


def tell_promoted(registration_id: int) -> bool:
    """Tell a waiter that a seat became theirs."""
    registration = (
        Registration.objects.select_related("event__municipality", "user")
        .filter(pk=registration_id, status=Status.REGISTERED)
        .first()
    )
    if registration is None:
        return False
    event, user = registration.event, registration.user
    kind = "events.promoted"
    if not delivery.was_sent(kind, registration.pk, delivery.user_key(user)):  # not a rerun
        Notice.objects.get_or_create(user=user, event=event, reason=NoticeReason.PROMOTED,
                                     read_at__isnull=True)  # fmt: skip
    subject = _("【支え合い】参加が決まりました：%(title)s") % {"title": event.title}
    lead = _("キャンセル待ちをしていた研修・連絡会に、参加が決まりました。")
    _send(event, user, subject, lead, kind, registration.pk)
    return True


def tell_cancelled(event_id: int) -> int:
    """Tell everyone registered or waiting that the event was called off (a notice and a
    mail), once per person; return how many were told. Safe to run again. The mail leaves
    the reason out: staff write it freely, and mail is no place for what it might say."""
    event = Event.objects.called_off().select_related("municipality").filter(pk=event_id).first()
    if event is None:
        return 0
    told = 0
    subject = _("【支え合い】中止のお知らせ：%(title)s") % {"title": event.title}
    lead = _("お申し込みの研修・連絡会は、中止になりました。")
    people = event.registrations.exclude(status=Status.CANCELLED).filter(user__is_active=True)
    for registration in people.select_related("user").order_by("pk"):
        user = registration.user
        Notice.objects.get_or_create(user=user, event=event, reason=NoticeReason.CANCELLED)
        told += _send(event, user, subject, lead, "events.cancelled", event.pk)
    return told


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().select_related("area").get(pk=event.pk)


def _deadline_error(event: Event) -> ValidationError:
    deadline = formats.date_format(timezone.localtime(event.closes_at), "Y年n月j日 H:i")
    return ValidationError(
        _("申込みの締切（%(d)s）を過ぎているため、受け付けられません。") % {"d": deadline}
    )


@transaction.atomic
def register(event: Event, user: Any, *, now: dt.datetime | None = None) -> Registration:
    """A place if one is free, else a place on the waiting list. The event row is locked
    (PostgreSQL; SQLite serialises writers), so two people never get the last seat."""
    now = now or timezone.now()
    event = _locked(event)
    if not event.is_published:
        raise ValidationError(_("まだ公開されていない催しです。"))
    if event.is_cancelled:
        raise ValidationError(_("この催しは中止になりました。"))
    if not event.is_open(now):
        raise _deadline_error(event)
    if not is_for(event, user):
        raise ValidationError(_("この催しの対象ではありません。"))
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration is not None and registration.status != Status.CANCELLED:
        return registration
    free = seats.fits(event.capacity, event.registrations.registered().count())
    status = Status.REGISTERED if free else Status.WAITING
    if registration is None:
        return Registration.objects.create(event=event, user=user, status=status, applied_at=now)
    registration.status, registration.applied_at, registration.attended = status, now, None
    registration.save(update_fields=["status", "applied_at", "attended"])
    return registration


@transaction.atomic
def cancel(event: Event, user: Any, *, now: dt.datetime | None = None) -> Registration:
    """Cancel before the deadline; a freed seat goes to the first waiter, who is told."""
    now = now or timezone.now()
    event = _locked(event)
    if event.is_cancelled:
        raise ValidationError(_("この催しは中止になりました。"))
    if not event.is_open(now):
        raise _deadline_error(event)
    registration = (
        Registration.objects.filter(event=event, user=user).exclude(status=Status.CANCELLED).first()
    )
    if registration is None:
        raise ValidationError(_("この催しには申し込んでいません。"))
    held_a_seat = registration.status == Status.REGISTERED
    registration.status = Status.CANCELLED
    registration.save(update_fields=["status"])
    if held_a_seat:
        fill_seats(event)
    return registration


def fill_seats(event: Event) -> list[Registration]:
    """Give free seats to waiters in order of application (call inside a transaction with
    the event locked). Each promoted person is told by a task after commit."""
    taken = event.registrations.registered().count()
    waiting = seats.to_promote(
        event.capacity, taken, list(event.registrations.waiting()), lambda _r: 1
    )
    for registration in waiting:
        registration.status = Status.REGISTERED
        registration.save(update_fields=["status"])
        enqueue_on_commit("sasaeai.events.tasks.notify_promoted", registration.pk)
    return waiting


@transaction.atomic
def save_event(event: Event, *, version: optimistic.Version = None) -> Event:
    """Save an edited event; a larger capacity promotes waiters. Never announces again.
    A published event's iCalendar SEQUENCE goes up, so subscribed calendars take the change.
    `version`: the one the person read; `optimistic.Stale`, and nothing written, if someone
    saved the event since."""
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
def cancel_event(event: Event, reason: str, *, now: dt.datetime | None = None) -> Event:
    """Call off (中止) a published event that has not ended. Registration closes; the
    calendar feeds mark it CANCELLED under a higher SEQUENCE; everyone registered or
    waiting is told once, by a task after commit. Registrations are kept as a record."""
    call_off(_locked(event), event, reason, now or timezone.now())
    enqueue_on_commit("sasaeai.events.tasks.notify_cancelled", event.pk)
    return event


@transaction.atomic
def delete_draft(event: Event) -> None:
    """Delete an event that was never published (nobody has heard of it), with its
    materials' files once the deletion is kept. A published event is called off instead."""
    locked = _locked(event)
    if locked.is_published:
        raise ValidationError(_("公開した催しは削除できません。中止にしてください。"))
    files = [(m.file.storage, m.file.name) for m in locked.materials.all() if m.file.name]
    locked.delete()

    def remove_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)


@transaction.atomic
def record_attendance(
    event: Event, present: Iterable[int], *, now: dt.datetime | None = None
) -> int:
    """Mark who came among those registered (by registration id); return how many came."""
    if event.is_cancelled:
        raise ValidationError(_("中止した催しの出席は記録できません。"))
    if (now or timezone.now()) < event.starts_at:
        raise ValidationError(_("開催前のため、出席はまだ記録できません。"))
    ids = set(present)
    came = 0
    for registration in event.registrations.registered():
        attended = registration.pk in ids
        came += attended
        if registration.attended is not attended:
            registration.attended = attended
            registration.save(update_fields=["attended"])
    return came


def mark_read(event: Event, user: Any) -> None:
    Notice.objects.for_user(user).filter(event=event).mark_read()
