"""Tasks left behind by a worker that died go back in the queue.

django-tasks-db marks a task RUNNING when a worker takes it and SUCCESSFUL or FAILED when it
ends. A worker killed in between (SIGKILL, out of memory, the machine going down) leaves it
RUNNING for ever, and nothing would run it again; a worker stopped hard by a second Ctrl-C
or SIGTERM marks it FAILED with SystemExit or KeyboardInterrupt, though the task itself did
nothing wrong. `requeue_stale` puts such tasks back to READY, so the next free worker runs
them from the start. Every task is written to be run again: its mails go through
lib/delivery.py (nobody gets two), the nightly anonymisations take one record per
transaction and pick up where they stopped.

A RUNNING task goes back when
- its worker ran on this machine and its process is gone (the worker's id, from
  `worker_id`, names the host and the process), at once; or
- it has been running longer than SASAEAI_TASK_RUNNING_LIMIT minutes (a worker on another
  machine, or one started without our id): set it above the longest task's run.

It runs when a worker starts (`manage.py run_worker`) and every few minutes as a task
(`lib.tasks.requeue_stale`). A task that has been taken MAX_RUNS times is not put back again
but marked failed: it is what kills its worker.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

log = logging.getLogger(__name__)

EVERY = dt.timedelta(minutes=5)
MAX_RUNS = 5
# What django-tasks-db records when the worker itself stopped inside a task.
STOPPED = ("builtins.SystemExit", "builtins.KeyboardInterrupt")
GAVE_UP = "sasaeai.lib.requeue.GaveUp"


def limit() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "SASAEAI_TASK_RUNNING_LIMIT", 60)))


def worker_id(pid: int | None = None) -> str:
    """A worker's id that says where it runs: "host:pid:random" (at most 64 characters, as
    django-tasks-db wants)."""
    host = socket.gethostname()[:40].replace(":", "-")
    return f"{host}:{pid or os.getpid()}:{secrets.token_hex(4)}"


def is_gone(worker: str) -> bool:
    """Whether the worker with this id ran on this machine and its process has ended. An id
    of another machine, or of another form, is never known to be gone."""
    host, _sep, rest = worker.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname()[:40].replace(":", "-") or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # a process of someone else's: alive
        return False
    return False


def _left_behind(task: DBTaskResult, cutoff: dt.datetime) -> bool:
    if task.status == "FAILED":
        return True  # stopped by its worker's own shutdown (the query chose those)
    last = task.worker_ids[-1] if task.worker_ids else ""
    return is_gone(last) or (task.started_at is not None and task.started_at < cutoff)


def requeue_stale(now: dt.datetime | None = None) -> int:
    """Put back to READY the tasks a dead or stopped worker left; return how many. Each
    change is conditional on the row being as it was read, so a worker that finishes the
    task meanwhile wins."""
    now = now or timezone.now()
    cutoff = now - limit()
    stopped = Q(status="FAILED", exception_class_path__in=STOPPED)
    back = 0
    for task in DBTaskResult.objects.filter(Q(status="RUNNING") | stopped).order_by("started_at"):
        if not _left_behind(task, cutoff):
            continue
        same = DBTaskResult.objects.filter(
            pk=task.pk, status=task.status, started_at=task.started_at
        )
        if len(task.worker_ids) >= MAX_RUNS:
            note = f"Taken {len(task.worker_ids)} times, never finished."
            same.update(status="FAILED", finished_at=now, exception_class_path=GAVE_UP,
                        traceback=note)  # fmt: skip
            log.error("Task %s (%s) never finished in %s runs: given up.", task.pk,
                      task.task_path, len(task.worker_ids))  # fmt: skip
            continue
        if same.update(status="READY", started_at=None, finished_at=None,
                       exception_class_path="", traceback=""):  # fmt: skip
            log.warning("Task %s (%s) was left by worker %s: back in the queue.", task.pk,
                        task.task_path, task.worker_ids[-1:])  # fmt: skip
            back += 1
    return back


def schedule_next(now: dt.datetime | None = None) -> dt.datetime | None:
    """Queue the next `lib.tasks.requeue_stale` in EVERY unless one is waiting; when it will
    run, or None."""
    from .tasks import requeue_stale as task  # the tasks module imports this one

    if DBTaskResult.objects.filter(task_path=task.module_path, status="READY").exists():
        return None
    when = (now or timezone.now()) + EVERY
    task.using(run_after=when).enqueue()
    return when
