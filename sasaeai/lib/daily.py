"""Daily background tasks: each run enqueues the next, and `manage.py schedule_tasks` (run
by `make run` and at each deployment) enqueues the first unless one is waiting, so that a
chain survives a failed run and a restart. Times are the site's (Asia/Tokyo)."""

from __future__ import annotations

import datetime as dt

from django.tasks import Task
from django.utils import timezone


def next_run(at: dt.time, now: dt.datetime | None = None) -> dt.datetime:
    """The next `at` in the site's time zone, strictly after `now`."""
    local = timezone.localtime(now or timezone.now())
    when = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return when if when > local else when + dt.timedelta(days=1)


def schedule(task: Task, at: dt.time, now: dt.datetime | None = None) -> dt.datetime | None:
    """Enqueue `task` (which takes no arguments) for the next `at` unless a run of it is
    already waiting; return when it will run (None when one was waiting). The check needs
    the database backend (django-tasks-db)."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=task.module_path, status="READY")
    if waiting.exists():
        return None
    when = next_run(at, now)
    task.using(run_after=when).enqueue()
    return when
