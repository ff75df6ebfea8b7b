"""Scheduled upkeep of the database. No arguments, no personal data."""

from __future__ import annotations

import datetime as dt

from django.tasks import task

from sasaeai.lib import daily, planner_stats

DAILY_AT = dt.time(3, 30)  # after the night's anonymisation (03:00)


def schedule_daily(now: dt.datetime | None = None) -> dt.datetime | None:
    """Enqueue tonight's run unless one is already waiting; when it will run, or None."""
    return daily.schedule(refresh_statistics, DAILY_AT, now)


@task()
def refresh_statistics() -> bool:
    """Gather the query planner's statistics anew (see `sasaeai.lib.planner_stats`), after
    putting tomorrow's run in the queue. A day's edits rarely move them far; an import that
    adds activities refreshes them at once."""
    schedule_daily()
    return planner_stats.refresh()
