from __future__ import annotations

import os
import shutil
import sys
from typing import Any

import pytest

os.environ.setdefault("SASAEAI_TESTING", "1")

CHROMIUM = "/usr/bin/chromium"


# The files that take longest, longest first (a run's `--durations`, summed per file): run
# first, as pytest-xdist hands out files in this order (bin/test.py: --no-loadscope-reorder),
# so that no long file starts when the other workers are nearly done.
LONGEST_FIRST = [
    "sasaeai/tests/test_url_sweep.py",
    "sasaeai/tests/test_api_sweep.py",
    "sasaeai/directory/tests/test_demo.py",
    "sasaeai/needs/tests/test_demo.py",
    "sasaeai/directory/tests/test_demo_addresses.py",
    "sasaeai/tests/test_bad_input.py",
    "sasaeai/councils/tests/test_demo.py",
    "sasaeai/booklets/tests/test_pdf.py",
    "sasaeai/directory/tests/test_search_plans.py",
    "sasaeai/tests/test_list_queries.py",
    "sasaeai/referrals/tests/test_crypto.py",
    "sasaeai/progress/tests/test_participation_demo.py",
    "sasaeai/events/tests/test_browser_events.py",
    "sasaeai/api/tests/test_fuzz.py",
    "sasaeai/referrals/tests/test_import_institutions.py",
    "sasaeai/api/tests/test_staff_guard.py",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _one_id_each(items)
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))
    # (marker, program, variable that turns its absence into an error, how to install it)
    needs = [
        ("browser", CHROMIUM, "REQUIRE_BROWSER", "apt-get install chromium"),
        ("proxy", "nginx", "REQUIRE_PROXY", "apt-get install nginx"),
    ]
    for marker, program, variable, install in needs:
        marked = [i for i in items if i.get_closest_marker(marker)]
        if not marked or shutil.which(program) or shutil.which(program, path="/usr/sbin"):
            continue
        if os.environ.get(variable) == "1":
            raise pytest.UsageError(f"{variable}=1 but {program} is missing")
        skip = pytest.mark.skip(reason=f"{program} is missing ({install})")
        for item in marked:
            item.add_marker(skip)


# Lines a test module leaves for the end of the run (the URL sweeps' figures: sweep.REPORT),
# gathered from pytest-xdist's workers when the run is spread over processes.
_from_workers: list[str] = []


def _summary() -> list[str]:
    sweep = sys.modules.get("sasaeai.tests.sweep")
    return list(getattr(sweep, "REPORT", [])) + _left_open


# Database sessions found still open when a run's tests were done (see _no_session_left).
_left_open: list[str] = []


@pytest.fixture(scope="session", autouse=True)
def _no_session_left(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """When the tests are done, before the test database is dropped: PostgreSQL refuses to
    drop a database another session is in, so a connection some thread left open would fail
    the run after every test passed. Name it at the end of the run, and end it — with the
    thread that opened it (each session carries its thread's name as application_name)."""
    import threading

    from django.db.backends.signals import connection_created

    def name_the_session(sender: Any, connection: Any, **kwargs: Any) -> None:
        # On the driver's own cursor: no query a test counts, no blocker to pass.
        if connection.vendor == "postgresql" and connection.get_autocommit():
            # The thread, and the test that was running (its file and name, cut to fit
            # PostgreSQL's 63 characters): which test to look at when one is left open.
            test = os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0].rsplit("/", 1)[-1]
            name = f"{threading.current_thread().name} in {test or '?'}"[:63]
            with connection.connection.cursor() as cursor:
                cursor.execute("SELECT set_config('application_name', %s, false)", [name])

    connection_created.connect(name_the_session, dispatch_uid="sasaeai-name-the-session")
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, state, application_name, backend_start, left(query, 200)"
            " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        for pid, state, thread, began, query in cursor.fetchall():
            _left_open.append(
                f"a database session was left open ({state}), opened at {began:%H:%M:%S} by "
                f"the thread {thread or '?'}, ended: {query}"
            )
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


def pytest_sessionfinish(session: pytest.Session) -> None:
    output = getattr(session.config, "workeroutput", None)
    if output is not None:  # a worker: hand the lines to the controller
        output["summary"] = _summary()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    _from_workers.extend(getattr(node, "workeroutput", {}).get("summary", []))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for line in [*_summary(), *_from_workers]:
        terminalreporter.write_line(line)


def _one_id_each(items: list[pytest.Item]) -> None:
    """Schemathesis names each operation's test `test_x[GET /api/…]` but gives them all one
    node id, and pytest-xdist schedules by node id (all but one would be dropped): give each
    the id its name says (sasaeai/api/tests/test_fuzz.py)."""
    for item in items:
        if hasattr(item, "operation_label") and not item.nodeid.endswith("]"):
            item._id = item.parent.id.child(item.name)  # type: ignore[attr-defined,union-attr]


@pytest.fixture(scope="session")
def _media_root(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _settings(settings: Any, _media_root: Any) -> None:
    from sasaeai.lib import memo

    settings.MEDIA_ROOT = _media_root  # never the demo's var/media

    memo.forget()  # nothing remembered from another test's (rolled back) data
    settings.ALLOWED_HOSTS = [
        "testserver",
        "itabashi.test",
        "midori.example.jp",
        "localhost",
        "127.0.0.1",
    ]
    settings.SASAEAI_DEFAULT_MUNICIPALITY = "131199"
    settings.SECURE_SSL_REDIRECT = False
    settings.SASAEAI_REQUIRE_MFA = True


@pytest.fixture
def itabashi(db: Any) -> Any:
    from sasaeai.test import load_towns

    return load_towns()


@pytest.fixture
def users(itabashi: Any) -> dict[str, Any]:
    from sasaeai.test import make_role_users

    return make_role_users()
