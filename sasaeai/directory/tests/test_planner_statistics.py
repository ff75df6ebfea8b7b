"""The planner's statistics are gathered where the database does not gather them itself
(SQLite), so that a word search reads the word index first on a new database too: without
them, SQLite probed the word index once for each of the municipality's activities (the
demo's ｻﾛﾝ 見守り: 113 ms a page instead of 8 ms)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from sasaeai.areas.models import Area, AreaKind
from sasaeai.core import tasks
from sasaeai.directory import transfer
from sasaeai.directory.models import Activity, Status, Visibility
from sasaeai.directory.search import normalize, title_of, tokens_for
from sasaeai.directory.search_results import public_search
from sasaeai.directory.tests.test_transfer import file_of, row
from sasaeai.lib import planner_stats

pytestmark = pytest.mark.django_db
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL's autovacuum keeps its own statistics"
)
NAMES = ["いきいきサロン", "ラジオ体操", "お茶会", "見守り隊", "囲碁クラブ", "散歩の会"]


def ward(itabashi: Area, rows: int = 800) -> None:
    """A ward's worth of published activities; a few sing (歌声)."""
    regions = list(Area.objects.of(itabashi).filter(kind=AreaKind.REGION))
    activities = []
    for n in range(rows):
        name = "歌声喫茶" if n % 100 == 0 else NAMES[n % len(NAMES)]
        text = normalize(name)
        activities.append(
            Activity(
                municipality=itabashi, area=regions[n % len(regions)], name=name,
                kana=f"{text}{n}", status=Status.PUBLISHED, visibility=Visibility.PUBLIC,
                search_text=text, search_tokens=tokens_for(text, title_of(name, text)),
            )
        )  # fmt: skip
    Activity.objects.bulk_create(activities)


def first_table_read(itabashi: Area, words: str, found: int = 8) -> str:
    """The table the count of a word search reads first, as SQLite plans it."""
    with CaptureQueriesContext(connection) as queries:
        assert public_search(itabashi, {"q": words}, ("id",)).count() == found
    (count,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT")]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + count)
        steps = [detail for *_ids, detail in cursor.fetchall()]
    return next(s for s in steps if s.startswith(("SCAN", "SEARCH"))).split()[1]


@sqlite_only
def test_a_new_database_plans_a_word_search_from_the_word_index_once_analyzed(
    itabashi: Area,
) -> None:
    ward(itabashi)
    # With no statistics, SQLite guesses that the municipality's listing is short and
    # probes the word index from each of its 800 rows.
    assert first_table_read(itabashi, "歌声") == "directory_activity"
    assert planner_stats.refresh() is True
    assert first_table_read(itabashi, "歌声") == "directory_activity_fts"


def test_postgresql_is_left_to_its_autovacuum() -> None:
    assert planner_stats.refresh() is (connection.vendor == "sqlite")


@sqlite_only
def test_an_import_that_adds_activities_gathers_them(
    itabashi: Area, django_capture_on_commit_callbacks: Any
) -> None:
    ward(itabashi)
    rows = transfer.read_file(file_of([row(活動名="歌声の会")], "utf-8"), "activities.csv")
    with django_capture_on_commit_callbacks(execute=True):
        report = transfer.import_rows(itabashi, rows, commit=True, all_or_nothing=True)
    assert report.created == 1
    assert first_table_read(itabashi, "歌声", found=9) == "directory_activity_fts"


def test_the_nightly_run_gathers_them_and_queues_the_next(itabashi: Area) -> None:
    assert tasks.refresh_statistics.call() is (connection.vendor == "sqlite")
    (queued,) = DBTaskResult.objects.filter(
        task_path=tasks.refresh_statistics.module_path, status="READY"
    )
    assert queued.args_kwargs == {"args": [], "kwargs": {}}
    assert tasks.schedule_daily() is None  # one waiting is enough


def test_schedule_tasks_queues_it_for_half_past_three_once() -> None:
    out = io.StringIO()
    call_command("schedule_tasks", stdout=out)
    call_command("schedule_tasks", stdout=out)
    (queued,) = DBTaskResult.objects.filter(task_path=tasks.refresh_statistics.module_path)
    assert queued.run_after.astimezone(ZoneInfo("Asia/Tokyo")).time() == dt.time(3, 30)
    assert "refresh_statistics: scheduled for" in out.getvalue()
    assert "refresh_statistics: already scheduled" in out.getvalue()
