"""Residents' names and contacts are erased 90 days after their event by the nightly task,
audited, keeping how many came; `manage.py schedule_tasks` puts the task in the queue."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sasaeai.audit.models import AuditEntry
from sasaeai.events import local_services
from sasaeai.events.models import LocalEvent, Signup
from sasaeai.events.tasks import purge_local_signups

from .builders import make_local_event, make_signup

pytestmark = pytest.mark.django_db
TOKYO = ZoneInfo("Asia/Tokyo")
# An event on 1 January 2027, 10:00–12:00 in Tokyo: 90 days later is 1 April.
START = dt.datetime(2027, 1, 1, 10, tzinfo=TOKYO)


def held_event(start: dt.datetime = START) -> tuple[LocalEvent, Signup]:
    """An event held at `start`, with a sign-up taken while it was ahead."""
    event = make_local_event()
    signup = make_signup(event, name="青木 花子", email="aoki@example.jp", people=2)
    LocalEvent.objects.filter(pk=event.pk).update(
        starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    event.refresh_from_db()
    return event, signup


@pytest.mark.parametrize(
    ("now", "erased"),
    [
        (dt.datetime(2027, 3, 31, 23, 59, tzinfo=TOKYO), False),  # day 89: kept
        (dt.datetime(2027, 4, 1, 0, 0, tzinfo=TOKYO), True),  # day 90: erased
        (dt.datetime(2027, 4, 1, 3, 15, tzinfo=TOKYO), True),  # the nightly run
        # 15:00 UTC on 31 March is already 1 April in Tokyo.
        (dt.datetime(2027, 3, 31, 15, 0, tzinfo=dt.UTC), True),
        (dt.datetime(2027, 3, 31, 14, 59, tzinfo=dt.UTC), False),
    ],
)
def test_personal_data_goes_on_the_90th_day(
    itabashi: object, now: dt.datetime, erased: bool
) -> None:
    event, signup = held_event()
    assert event.keep_until == dt.date(2027, 4, 1)
    assert local_services.purge_signups(now) == int(erased)
    signup.refresh_from_db()
    if erased:
        assert (signup.name, signup.phone, signup.email) == ("", "", "")
        assert signup.purged_at is not None and signup.people == 2
    else:
        assert (signup.name, signup.email) == ("青木 花子", "aoki@example.jp")


def test_the_erasure_is_audited_once_and_the_page_says_so(client: Client, users: dict) -> None:
    event, signup = held_event()
    later = dt.datetime(2027, 4, 2, 3, 15, tzinfo=TOKYO)
    assert local_services.purge_signups(later) == 1
    assert local_services.purge_signups(later) == 0  # nothing twice
    entry = AuditEntry.objects.get(
        action="update", model="events.Signup", object_id=str(signup.pk), user=None
    )
    assert set(entry.changed_fields) >= {"name", "email", "purged_at"}
    assert "青木" not in str(entry.__dict__)  # the log names fields, never values
    client.force_login(users["sc"])
    page = client.get(f"/staff/events/local/{event.pk}/").content.decode()
    assert "もう消えています" in page and "青木" not in page and "2人" in page


def waiting() -> list[DBTaskResult]:
    path = purge_local_signups.module_path
    return list(DBTaskResult.objects.filter(task_path=path, status="READY"))


def test_the_nightly_task_runs_and_schedules_the_next(itabashi: object) -> None:
    out = io.StringIO()
    call_command("schedule_tasks", stdout=out)
    call_command("schedule_tasks", stdout=out)
    (queued,) = waiting()
    assert queued.run_after.astimezone(TOKYO).time() == dt.time(3, 15)
    assert queued.args_kwargs == {"args": [], "kwargs": {}}  # no personal data
    assert "purge_local_signups: scheduled for" in out.getvalue()
    assert "purge_local_signups: already scheduled" in out.getvalue()
    _event, signup = held_event(timezone.now() - dt.timedelta(days=91))
    _event, kept = held_event(timezone.now() - dt.timedelta(days=80))
    DBTaskResult.objects.filter(pk=queued.pk).update(status="RUNNING")  # the worker took it
    assert purge_local_signups.call() == 1
    signup.refresh_from_db()
    kept.refresh_from_db()
    assert signup.purged_at is not None and kept.name == "青木 花子"
    assert len(waiting()) == 1
