"""Scheduled work. Payloads carry no personal data: this task takes no arguments at all.

`anonymise_expired_referrals` runs every day at 03:00 Asia/Tokyo: `manage.py schedule_tasks`
(run by `make run` and at each deployment) enqueues the next run unless one is waiting, and
each run first enqueues the next day's, so the chain survives a failed run and a restart.
"""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from sasaeai.audit.context import Actor, reset, set_actor

from . import services

DAILY_AT = dt.time(3, 0)


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    """The next 03:00 in the site's time zone (Asia/Tokyo), strictly after `now`."""
    local = timezone.localtime(now or timezone.now())
    at = local.replace(hour=DAILY_AT.hour, minute=DAILY_AT.minute, second=0, microsecond=0)
    return at if at > local else at + dt.timedelta(days=1)


def schedule_daily(now: dt.datetime | None = None) -> dt.datetime | None:
    """Enqueue the next daily run unless one is already waiting; return when it will run
    (None when one was waiting). The check needs the database backend (django-tasks-db)."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=anonymise_expired_referrals.module_path, status="READY"
    )
    if waiting.exists():
        return None
    when = next_run(now)
    anonymise_expired_referrals.using(run_after=when).enqueue()
    return when


@task()
def anonymise_expired_referrals() -> int:
    """Anonymise finished referrals older than each municipality's retention period, after
    putting tomorrow's run in the queue."""
    schedule_daily()
    token = set_actor(Actor())  # the audit log names the system, as the command does
    try:
        return services.anonymise_expired()
    finally:
        reset(token)
