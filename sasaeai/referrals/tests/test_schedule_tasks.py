"""The daily anonymisation is really scheduled: `manage.py schedule_tasks` enqueues it for
the next 03:00 Asia/Tokyo once, and each run enqueues the next day's."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from sasaeai.referrals.tasks import anonymise_expired_referrals, next_run, schedule_daily

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")


def waiting() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(
            task_path=anonymise_expired_referrals.module_path, status="READY"
        )
    )


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (dt.datetime(2026, 11, 27, 2, 59, tzinfo=TOKYO), dt.datetime(2026, 11, 27, 3, 0)),
        (dt.datetime(2026, 11, 27, 3, 0, tzinfo=TOKYO), dt.datetime(2026, 11, 28, 3, 0)),
        (dt.datetime(2026, 12, 31, 23, 0, tzinfo=TOKYO), dt.datetime(2027, 1, 1, 3, 0)),
        # 18:30 UTC is already 03:30 the next morning in Tokyo.
        (dt.datetime(2026, 11, 27, 18, 30, tzinfo=dt.UTC), dt.datetime(2026, 11, 29, 3, 0)),
    ],
)
def test_next_run_is_the_next_three_oclock_in_tokyo(
    now: dt.datetime, expected: dt.datetime
) -> None:
    assert next_run(now) == expected.replace(tzinfo=TOKYO)


def test_command_is_idempotent() -> None:
    out = io.StringIO()
    call_command("schedule_tasks", stdout=out)
    call_command("schedule_tasks", stdout=out)
    (queued,) = waiting()
    assert queued.run_after.astimezone(TOKYO).time() == dt.time(3, 0)
    assert queued.args_kwargs == {"args": [], "kwargs": {}}  # no personal data, no payload
    assert "scheduled for" in out.getvalue() and "already scheduled" in out.getvalue()


def test_each_run_enqueues_the_next_one() -> None:
    assert anonymise_expired_referrals.call() == 0
    (queued,) = waiting()
    # The worker marks the row it runs as RUNNING: only READY rows count as waiting.
    DBTaskResult.objects.filter(pk=queued.pk).update(status="RUNNING")
    anonymise_expired_referrals.call()
    assert len(waiting()) == 1
    assert schedule_daily() is None
