"""Event workflows: publish and announce, register (with a waiting list), cancel, attend.

Views, tasks and demo data all go through these functions. The page never sends mail: each
notification is a background task enqueued once the transaction is kept, and its payload is
an id. A mail says the event's title, date and link, nothing about anybody.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from sasaeai.accounts.models import User
from sasaeai.areas.models import Area

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


def _on_commit_enqueue(task_name: str, object_id: int) -> None:
    def enqueue() -> None:
        from . import tasks

        getattr(tasks, task_name).enqueue(object_id)

    transaction.on_commit(enqueue)


@transaction.atomic
def publish(event: Event, *, now: dt.datetime | None = None) -> bool:
    """Publish a draft and, after commit, announce it to its SCs. Publishing again does
    nothing (False): nobody hears about the same event twice."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.published_at is not None:
        return False
    locked.published_at = event.published_at = now or timezone.now()
    locked.save(update_fields=["published_at", "updated_at"])
    _on_commit_enqueue("announce_event", event.pk)
    return True


def event_link(event: Event) -> str:
    """An absolute link for mail: the configured site URL, else the municipality's host."""
    path = reverse("events_staff:detail", args=[event.pk])
    base = getattr(settings, "SASAEAI_BASE_URL", "")
    if not base and event.municipality.host_list:
        base = "https://" + event.municipality.host_list[0]
    return base.rstrip("/") + path


def _when(event: Event) -> str:
    start = timezone.localtime(event.starts_at)
    end = timezone.localtime(event.ends_at)
    day = formats.date_format(start, "Y年n月j日（D）")
    return f"{day} {start:%H:%M}〜{end:%H:%M}"


def _send(event: Event, user: User, subject: str, lead: str) -> None:
    template = _(
        "%(lead)s\n\n%(title)s\n%(when)s\n\n詳しくは、ログインしてご覧ください。\n%(link)s\n"
    )
    body = template % {
        "lead": lead, "title": event.title, "when": _when(event), "link": event_link(event),
    }  # fmt: skip
    mail.send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def announce(event_id: int) -> int:
    """Tell each SC the event is for (a notice and a mail), once per person; return how
    many were told. Safe to run again: those already told are skipped."""
    event = Event.objects.published().select_related("municipality").filter(pk=event_id).first()
    if event is None:
        return 0
    told = 0
    subject = _("【支え合い】研修・連絡会のお知らせ：%(title)s") % {"title": event.title}
    for user in audience(event):
        with transaction.atomic():  # a failed mail takes its notice back, to be retried
            _notice, created = Notice.objects.get_or_create(
                user=user, event=event, reason=NoticeReason.PUBLISHED
            )
            if created and user.email:
                _send(event, user, subject, _("新しい研修・連絡会の案内が届きました。"))
                told += 1
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
    Notice.objects.create(user=user, event=event, reason=NoticeReason.PROMOTED)
    subject = _("【支え合い】参加が決まりました：%(title)s") % {"title": event.title}
    _send(event, user, subject, _("キャンセル待ちをしていた研修・連絡会に、参加が決まりました。"))
    return True


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
    if not event.is_open(now):
        raise _deadline_error(event)
    if not is_for(event, user):
        raise ValidationError(_("この催しの対象ではありません。"))
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration is not None and registration.status != Status.CANCELLED:
        return registration
    taken = event.registrations.registered().count()
    free = event.capacity is None or taken < event.capacity
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
    waiting = list(event.registrations.waiting())
    if event.capacity is not None:
        free = max(0, event.capacity - event.registrations.registered().count())
        waiting = waiting[:free]
    for registration in waiting:
        registration.status = Status.REGISTERED
        registration.save(update_fields=["status"])
        _on_commit_enqueue("notify_promoted", registration.pk)
    return waiting


@transaction.atomic
def save_event(event: Event) -> Event:
    """Save an edited event; a larger capacity promotes waiters. Never announces again."""
    event.save()
    if event.is_published:
        fill_seats(_locked(event))
    return event


@transaction.atomic
def record_attendance(
    event: Event, present: Iterable[int], *, now: dt.datetime | None = None
) -> int:
    """Mark who came among those registered (by registration id); return how many came."""
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
    Notice.objects.filter(event=event, user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
