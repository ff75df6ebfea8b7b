"""Scheduled work. Payloads carry no personal data: this task takes no arguments at all.

`anonymise_expired_referrals` applies the retention rules (services.py) every day at 03:00
Asia/Tokyo, as a chain of daily runs (`sasaeai.lib.daily`). Its name stays as it was: runs
already waiting in the queue name the task by its path.
"""

from __future__ import annotations

import datetime as dt

from django.tasks import task

from sasaeai.audit.context import Actor, reset, set_actor
from sasaeai.lib import daily

from . import services

DAILY_AT = dt.time(3, 0)


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    """The next 03:00 in the site's time zone (Asia/Tokyo), strictly after `now`."""
    return daily.next_run(DAILY_AT, now)


def schedule_daily(now: dt.datetime | None = None) -> dt.datetime | None:
    """Enqueue the next daily run unless one is already waiting; return when it will run
    (None when one was waiting)."""
    return daily.schedule(anonymise_expired_referrals, DAILY_AT, now)


@task()
def anonymise_expired_referrals() -> int:
    """Anonymise referrals past each municipality's retention period and delete abandoned
    drafts, after putting tomorrow's run in the queue. Returns how many referrals lost
    their personal data either way."""
    schedule_daily()
    token = set_actor(Actor())  # the audit log names the system, as the command does
    try:
        return services.anonymise_expired() + services.delete_abandoned_drafts()
    finally:
        reset(token)
