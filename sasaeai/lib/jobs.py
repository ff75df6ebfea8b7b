"""Long work in the background, with its progress on the page.

A record whose making takes long (a booklet of 1,100 activities, an annual report) carries
its own job state by inheriting `JobState`: queued, running (done of total), done or failed.
The view asks `claim(record)` before it enqueues the task, so that a second request while one
is queued or running starts nothing; the task calls `begin`, `advance` as it goes and `finish`
or `fail`. The page shows `templates/includes/job_progress.html`, which asks again every few
seconds (htmx) and offers a plain link to the same page without JavaScript.

Each write here is an UPDATE of the job's own columns outside the caller's transaction
(autocommit in the worker), so the page sees the progress while the task runs.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    IDLE = "idle", _("まだ作っていません")
    QUEUED = "queued", _("順番を待っています")
    RUNNING = "running", _("作っています")
    DONE = "done", _("できあがりました")
    FAILED = "failed", _("作れませんでした")


BUSY = (JobStatus.QUEUED, JobStatus.RUNNING)


class JobState(models.Model):
    """The job columns of a record made in the background."""

    job_status = models.CharField(
        _("作成の状況"), max_length=10, choices=JobStatus.choices, default=JobStatus.IDLE
    )
    job_done = models.PositiveIntegerField(default=0)
    job_total = models.PositiveIntegerField(default=0)
    job_error = models.CharField(max_length=200, blank=True)  # a reason for people, no trace
    job_started_at = models.DateTimeField(null=True, blank=True)
    job_finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def job_busy(self) -> bool:
        return self.job_status in BUSY

    @property
    def job_percent(self) -> int:
        if self.job_status == JobStatus.DONE:
            return 100
        return min(99, self.job_done * 100 // self.job_total) if self.job_total else 0


def _update(record: JobState, **values: Any) -> int:
    """Write `values` to the record's row (and to the instance), where its filter holds."""
    for name, value in values.items():
        setattr(record, name, value)
    return type(record)._default_manager.filter(pk=record.pk).update(**values)


def claim(record: JobState) -> bool:
    """Mark the record queued unless a job of it is queued or running already; whether it was
    marked (the caller enqueues the task only then). One UPDATE with a condition, so two
    requests at once cannot both win."""
    manager = type(record)._default_manager
    values = {"job_status": JobStatus.QUEUED, "job_done": 0, "job_total": 0, "job_error": ""}
    won = manager.filter(pk=record.pk).exclude(job_status__in=BUSY).update(**values) == 1
    record.refresh_from_db(fields=list(values))
    return won


def begin(record: JobState, total: int) -> None:
    _update(
        record,
        job_status=JobStatus.RUNNING,
        job_done=0,
        job_total=total,
        job_started_at=timezone.now(),
        job_finished_at=None,
    )


def advance(record: JobState, done: int) -> None:
    _update(record, job_done=done)


def finish(record: JobState) -> None:
    _update(
        record,
        job_status=JobStatus.DONE,
        job_done=record.job_total,
        job_finished_at=timezone.now(),
    )


def fail(record: JobState, reason: str) -> None:
    _update(
        record, job_status=JobStatus.FAILED, job_error=reason[:200], job_finished_at=timezone.now()
    )
