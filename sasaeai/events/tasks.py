"""Background notifications, and the nightly erasure of residents' sign-ups. Payloads are
ids only: never a name, an address or a mail."""

from __future__ import annotations

import datetime as dt

from django.tasks import task

from sasaeai.audit.context import Actor, reset, set_actor
from sasaeai.lib import daily

from . import local_services, paper_services, services

PURGE_AT = dt.time(3, 15)  # after the referrals' anonymisation (03:00)


@task()
def announce_event(event_id: int) -> int:
    """Tell the SCs a newly published event is for."""
    return services.announce(event_id)


@task()
def notify_promoted(registration_id: int) -> bool:
    """Tell a waiter that they got a seat."""
    return services.tell_promoted(registration_id)


@task()
def notify_cancelled(event_id: int) -> int:
    """Tell those registered or waiting that the event was called off."""
    return services.tell_cancelled(event_id)


def schedule_daily(now: dt.datetime | None = None) -> dt.datetime | None:
    """Enqueue tonight's erasure unless one is already waiting; when it will run, or None."""
    return daily.schedule(purge_local_signups, PURGE_AT, now)


@task()
def purge_local_signups() -> int:
    """Erase the names and contacts of residents' sign-ups 90 days after their event, after
    putting tomorrow's run in the queue; how many were erased."""
    schedule_daily()
    token = set_actor(Actor())  # the audit log names the system
    try:
        done = local_services.purge_signups()
        paper_services.purge_sheets()  # the returned sign-up sheets' images (paper forms)
        return done
    finally:
        reset(token)
