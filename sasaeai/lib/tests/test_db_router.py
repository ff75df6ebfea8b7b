"""With a replica (DATABASE_REPLICA_URL): anonymous public pages read from it; writes, staff,
other pages and a visitor's pages right after their own write read the primary
(lib/db_router.py). Here the "replica" alias is the test database itself (Django's TEST
MIRROR), so both aliases see the same rows and each one's queries are counted apart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sasaeai.areas.models import Area
from sasaeai.directory.models import Activity
from sasaeai.directory.tests.builders import make_activity
from sasaeai.lib import db_router, memo
from sasaeai.lib.db_router import REPLICA, STICKY_COOKIE, ReplicaRouter
from sasaeai.test import load_itabashi, make_user

ROUTER = "sasaeai.lib.db_router.ReplicaRouter"
MIDDLEWARE = "sasaeai.lib.db_router.ReplicaMiddleware"


# Committed rows, which the replica's own connection sees.
on_both = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])


@pytest.fixture(scope="module", autouse=True)
def _replica_alias(django_db_setup: Any) -> Iterator[None]:
    """The alias "replica" on the test database, as settings.py adds it when
    DATABASE_REPLICA_URL is set (made before the tests' database fixtures, which check it)."""
    default = connections["default"].settings_dict
    connections.settings[REPLICA] = {**default, "TEST": {**default["TEST"], "MIRROR": "default"}}
    try:
        yield
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]


@pytest.fixture
def replica(settings: Any) -> None:
    """The router and its middleware, as settings.py installs them with the replica."""
    settings.DATABASE_ROUTERS = [ROUTER]
    at = settings.MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware")
    settings.MIDDLEWARE = [*settings.MIDDLEWARE[:at], MIDDLEWARE, *settings.MIDDLEWARE[at:]]


class Reads:
    """Queries on the primary and on the replica during one request."""

    def __init__(self) -> None:
        self.primary = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections[REPLICA])

    def __enter__(self) -> Reads:
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)

    def on(self, which: str, table: str) -> int:
        queries = self.primary if which == "primary" else self.replica
        return sum(table in q["sql"] for q in queries.captured_queries)


def fetch(client: Client, path: str, **extra: Any) -> tuple[Any, Reads]:
    with Reads() as reads:
        response = client.get(path, **extra)
    assert response.status_code == 200, path
    return response, reads


@pytest.fixture
def activity(replica: None) -> Activity:
    load_itabashi()
    return make_activity("高島平いきいきサロン")


PAGES = ["/", "/areas/takashimadaira/", "/activities/?q=サロン"]


@on_both
def test_anonymous_public_pages_read_the_replica(activity: Activity) -> None:
    client = Client()
    for path in [f"/activities/{activity.pk}/", *PAGES]:
        fetch(client, path)  # the memo's host, names and areas: read from the primary once
        _response, reads = fetch(client, path)
        assert len(reads.replica.captured_queries) > 0, path
        # Only what the memo computes (the footer's desk, kept half a second) is read from
        # the primary.
        assert not reads.on("primary", "directory_"), (path, reads.primary.captured_queries)
        assert len(reads.primary.captured_queries) <= 1, path
    _response, reads = fetch(client, f"/activities/{activity.pk}/")
    assert reads.on("replica", "directory_activity")


@on_both
def test_signed_in_visitors_read_the_primary(activity: Activity) -> None:
    client = Client()
    client.force_login(make_user("member@example.jp"))
    for path in [f"/activities/{activity.pk}/", *PAGES]:
        _response, reads = fetch(client, path)
        assert len(reads.replica.captured_queries) == 0, path
        assert len(reads.primary.captured_queries) > 0, path


@on_both
def test_pages_that_are_not_public_pages_read_the_primary(activity: Activity) -> None:
    """A form, the sign-in page: the same visitor, but not a `@public_page`."""
    client = Client()
    fetch(client, "/")
    _response, reads = fetch(client, "/accounts/login/")
    assert len(reads.replica.captured_queries) == 0


@on_both
def test_a_visitor_who_just_wrote_reads_the_primary(activity: Activity) -> None:
    client = Client()
    response = client.post("/prefs/text-size/", {"size": "large", "next": "/"})
    assert response.status_code in (200, 302)
    mark = response.cookies[STICKY_COOKIE]
    assert mark["max-age"] == settings.SASAEAI_REPLICA_STICKY_SECONDS
    assert mark["httponly"]
    _response, reads = fetch(client, f"/activities/{activity.pk}/")
    assert len(reads.replica.captured_queries) == 0
    assert reads.on("primary", "directory_activity")
    del client.cookies[STICKY_COOKIE]  # the mark's seconds are over
    _response, reads = fetch(client, f"/activities/{activity.pk}/")
    assert reads.on("replica", "directory_activity")


@on_both
def test_writes_transactions_and_the_memo_use_the_primary(activity: Activity) -> None:
    router = ReplicaRouter()
    with db_router.replica_reads():
        assert router.db_for_read(Activity) == REPLICA
        assert router.db_for_write(Activity) == "default"
        with transaction.atomic():
            assert router.db_for_read(Activity) == "default"
        with db_router.primary():
            assert router.db_for_read(Activity) == "default"
        with Reads() as reads:
            memo.forget()
            memo.remember("areas", lambda: list(Area.objects.values_list("code", flat=True)))
            Activity.objects.filter(pk=activity.pk).update(name="サロン高島平")
            assert Activity.objects.get(pk=activity.pk).name == "サロン高島平"
        assert reads.on("primary", "areas_area") and not reads.on("replica", "areas_area")
        assert reads.on("primary", "UPDATE") and not reads.on("replica", "UPDATE")
        assert reads.on("replica", "directory_activity")
        # A row read from the replica is saved on the primary.
        found = Activity.objects.get(pk=activity.pk)
        assert found._state.db == REPLICA
        found.name = "高島平サロン"
        found.save(update_fields=["name"])
    assert Activity.objects.get(pk=activity.pk).name == "高島平サロン"
    assert not db_router.reading_replica()
    assert router.allow_migrate(REPLICA, "directory") is False
    assert router.allow_migrate("default", "directory") is None


def configured(**env: str) -> dict[str, Any]:
    """What settings.py makes of these variables (in a fresh process)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SASAEAI_", "DATABASE"))}
    clean.update(SASAEAI_TESTING="1", DATABASE_URL="postgres://u@db1:5432/sasaeai", **env)
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'databases': s.DATABASES, 'routers': s.DATABASE_ROUTERS, "
        "'middleware': s.MIDDLEWARE, 'caches': s.CACHES, 'storages': s.STORAGES, "
        "'shared_memo': s.SASAEAI_SHARED_MEMO, 'sessions': s.SESSION_ENGINE}, default=str))"
    )
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "sasaeai.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_settings_without_the_variables_are_one_machines() -> None:
    found = configured()
    assert list(found["databases"]) == ["default"]
    assert found["routers"] == [] and MIDDLEWARE not in found["middleware"]
    assert found["caches"]["default"]["BACKEND"].endswith("DatabaseCache")
    assert found["storages"]["default"]["BACKEND"] == "sasaeai.lib.storage.FileSystemStorage"
    assert found["shared_memo"] is False
    assert found["sessions"] == "django.contrib.sessions.backends.db"


def test_settings_for_several_machines() -> None:
    found = configured(
        DATABASE_REPLICA_URL="postgres://u@db2:5432/sasaeai",
        CACHE_URL="redis://cache:6379/2",
        SASAEAI_CACHE_PREFIX="ward7",
        SASAEAI_S3_BUCKET="ward-files",
        SASAEAI_S3_ENDPOINT_URL="https://s3.example.jp",
    )
    replica = found["databases"]["replica"]
    assert replica["HOST"] == "db2" and replica["TEST"]["MIRROR"] == "default"
    assert "jit=off" in replica["OPTIONS"]["options"]
    assert found["routers"] == [ROUTER]
    middleware = found["middleware"]
    assert middleware.index(MIDDLEWARE) < middleware.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )
    cache = found["caches"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache:6379/2" and cache["KEY_PREFIX"] == "ward7"
    assert found["shared_memo"] is True
    storage = found["storages"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "ward-files"
    assert options["default_acl"] is None and options["querystring_auth"] is True
    assert options["file_overwrite"] is False
