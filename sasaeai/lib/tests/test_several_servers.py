"""More than one machine: two app servers (granian, as deployed) on one PostgreSQL (with the
replica router on, its replica the same database) and one Redis (the cache and the memo's
generation mark), and two task workers.

- A change through server A shows on server B at its next request, even what B's memo holds
  (a region's name in the search form, remembered for 30 seconds without a shared cache).
- Sessions are in the database: a visitor signed in on A is signed in on B.
- Uploaded files on a path both servers share.
- A task queued once runs once, with two workers competing for the queue.

The memo's part with Redis is also checked in this process, on both databases.
"""

from __future__ import annotations

import html.parser
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.db import connection, transaction
from django.test.utils import override_settings
from django_tasks_db.models import DBTaskResult

from sasaeai.areas.models import Area
from sasaeai.lib import memo
from sasaeai.lib.tests.server_tasks import count_run
from sasaeai.test import PASSWORD, load_itabashi, make_user

REDIS = "redis://127.0.0.1:6379/0"
BIN = Path(sys.executable).parent


def redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


needs_redis = pytest.mark.skipif(not redis_answers(), reason="Redis is not running on :6379")


@pytest.fixture
def prefix() -> Iterator[str]:
    """A key prefix of this test's own in the shared Redis, emptied afterwards."""
    name = f"sasaeai-test-{uuid.uuid4().hex[:12]}"
    yield name
    import redis

    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(match=f"{name}:*"):
        client.delete(key)


def redis_cache(prefix: str) -> RedisCache:
    return RedisCache(REDIS, {"KEY_PREFIX": prefix})


# --- The memo with a shared cache, in this process ------------------------------------------


@pytest.fixture
def shared_memo(prefix: str) -> Iterator[RedisCache]:
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=caches, SASAEAI_SHARED_MEMO=True):
        memo.forget()
        yield redis_cache(prefix)
    memo.forget()


def new_request() -> None:
    """What the start of a request does to the memo (its receiver of `request_started`)."""
    memo._request_started()


def counter() -> tuple[list[int], Callable[[], int]]:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    return calls, compute


@needs_redis
def test_another_servers_change_empties_the_memo_at_the_next_request(
    shared_memo: RedisCache,
) -> None:
    _calls, compute = counter()
    new_request()
    assert memo.remember("k", compute) == 1
    shared_memo.set(memo.GENERATION_KEY, "another server forgot", None)
    assert memo.remember("k", compute) == 1  # within the same request: no second look
    new_request()
    assert memo.remember("k", compute) == 2
    new_request()
    assert memo.remember("k", compute) == 2


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_a_change_is_announced_when_it_commits(shared_memo: RedisCache) -> None:
    load_itabashi()
    new_request()
    before = shared_memo.get(memo.GENERATION_KEY)
    with transaction.atomic():
        area = Area.objects.get(code="takashimadaira")
        area.name = "高島平（改）"
        area.save()
        assert shared_memo.get(memo.GENERATION_KEY) == before  # not yet: nobody may read it
    after = shared_memo.get(memo.GENERATION_KEY)
    assert after is not None and after != before


@needs_redis
def test_an_unreachable_redis_leaves_the_memo_to_its_seconds(prefix: str) -> None:
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    with override_settings(CACHES=caches, SASAEAI_SHARED_MEMO=True):
        _calls, compute = counter()
        new_request()
        assert memo.remember("k", compute) == 1
        memo.forget()
        new_request()
        assert memo.remember("k", compute) == 2
    memo.forget()


# --- Two app servers and two workers (PostgreSQL, Redis) -------------------------------------


def database_url() -> str:
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "")
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def environment(prefix: str, media: Path) -> dict[str, str]:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("SASAEAI_", "DATABASE", "DEBUG"))
    }
    url = database_url()
    return {
        **clean,
        "SASAEAI_TESTING": "1",
        "DATABASE_URL": url,
        "DATABASE_REPLICA_URL": url,
        "DATABASE_CONN_MAX_AGE": "0",
        "CACHE_URL": REDIS,
        "SASAEAI_CACHE_PREFIX": prefix,
        "MEDIA_ROOT": str(media),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SASAEAI_DEFAULT_MUNICIPALITY": "131199",
        "SASAEAI_REQUIRE_MFA": "0",
        "LOG_LEVEL": "WARNING",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Server:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        command = [str(BIN / "granian"), "--interface", "wsgi", "--host", "127.0.0.1",
                   "--port", str(self.port), "--workers", "1", "--blocking-threads", "2",
                   "--log-level", "warning", "sasaeai.wsgi:application"]  # fmt: skip
        with log.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603
                command, cwd=settings.BASE_DIR, env=env, stdout=out, stderr=out,
                start_new_session=True,
            )  # fmt: skip

    def wait(self, deadline: float) -> None:
        """Until the server answers a page (Django loaded), polling without sleeping."""
        while True:
            assert self.process.poll() is None, self.log.read_text()
            assert time.monotonic() < deadline, f"{self.base} did not start"
            try:
                with urllib.request.urlopen(f"{self.base}/", timeout=5) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except (OSError, urllib.error.URLError):
                continue


@pytest.fixture
def several(transactional_db: Any, prefix: str) -> Iterator[tuple[dict[str, str], Path]]:
    """The environment of this test's servers and workers, and a folder for their logs and
    files."""
    if connection.vendor != "postgresql":
        pytest.skip("servers in other processes need a shared database: PostgreSQL")
    if not redis_answers():
        pytest.skip("Redis is not running on :6379")
    folder = Path(tempfile.mkdtemp(prefix="sasaeai-servers-"))
    yield environment(prefix, folder / "media"), folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def servers(several: tuple[dict[str, str], Path]) -> Iterator[tuple[Server, Server]]:
    env, folder = several
    load_itabashi()
    pair = (Server(env, folder / "a.log"), Server(env, folder / "b.log"))
    try:
        deadline = time.monotonic() + 60
        for server in pair:
            server.wait(deadline)
        yield pair
    finally:
        for server in pair:
            stop(server.process)


class Browser:
    """A visitor with cookies, who can send forms."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> str:
        return self.open(url, None)

    def post(self, url: str, fields: dict[str, str]) -> str:
        return self.open(url, urllib.parse.urlencode(fields).encode())

    def open(self, url: str, data: bytes | None) -> str:
        try:
            with self.opener.open(url, data=data, timeout=30) as answer:
                return str(answer.read().decode())
        except urllib.error.HTTPError as error:  # the page, whatever its status
            return str(error.read().decode())


class Form(html.parser.HTMLParser):
    """The fields of a page's form that carries a CSRF token (the one with this id, if
    given), as a browser would send them."""

    def __init__(self, page: str, form_id: str = "") -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._fields: dict[str, str] | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self.feed(page)
        self.fields = next(
            fields
            for found_id, fields in self.forms
            if "csrfmiddlewaretoken" in fields and found_id == (form_id or found_id)
        )

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._fields = {}
            self.forms.append((a.get("id", ""), self._fields))
        fields, name = self._fields, a.get("name", "")
        if fields is None:
            return
        kind = a.get("type", "text")
        if tag == "input" and name and kind not in ("submit", "button", "file", "checkbox"):
            fields[name] = a.get("value", "")
        elif tag == "input" and name and kind == "checkbox" and "checked" in a:
            fields[name] = a.get("value", "on")
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            fields[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._fields = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self._fields is not None:
            self._fields[self._textarea] += data


def sign_in(browser: Browser, base: str, email: str) -> None:
    form = Form(browser.get(f"{base}/accounts/login/")).fields
    browser.post(f"{base}/accounts/login/", {**form, "login": email, "password": PASSWORD})


def test_a_change_through_one_server_shows_on_the_other_at_once(
    servers: tuple[Server, Server],
) -> None:
    a, b = servers
    region = Area.objects.get(code="takashimadaira")
    visitor = Browser()

    def region_choice() -> str:
        """The region's name in B's search form (B's memo holds the form's choices)."""
        page = visitor.get(f"{b.base}/activities/")
        found = re.search(rf'<option value="{region.code}"[^>]*>([^<]*)<', page)
        assert found, page
        return found.group(1)

    assert region_choice() == region.name

    staff = Browser()
    make_user("root@example.jp", is_staff=True, is_superuser=True)
    sign_in(staff, a.base, "root@example.jp")
    change = f"{a.base}/admin/areas/area/{region.pk}/change/"
    fields = Form(staff.get(change), "area_form").fields
    assert fields["name"] == region.name
    staff.post(change, {**fields, "name": "高島平ひがし", "_save": "保存"})
    assert Area.objects.get(pk=region.pk).name == "高島平ひがし"

    assert region_choice() == "高島平ひがし", "B still shows the old name"
    # Signed in on A, signed in on B: the session is in the database.
    assert "高島平ひがし" in staff.get(f"{b.base}/admin/areas/area/{region.pk}/change/")


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "manage.py", "run_worker", "--no-reload", "--interval", "0.05",
               "--no-startup-delay", "-v", "1"]  # fmt: skip
    with log.open("wb") as out:
        return subprocess.Popen(  # noqa: S603
            command, cwd=settings.BASE_DIR, env=env, stdout=out, stderr=out,
            start_new_session=True,
        )  # fmt: skip


def test_a_task_queued_once_runs_once_with_two_workers(
    several: tuple[dict[str, str], Path], prefix: str
) -> None:
    env, folder = several
    logs = [folder / "worker-1.log", folder / "worker-2.log"]
    workers = [start_worker(env, log) for log in logs]
    try:
        deadline = time.monotonic() + 60
        for worker, log in zip(workers, logs, strict=True):
            while "Starting worker" not in log.read_text(errors="replace"):
                assert worker.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "a worker did not start"
        # Both are polling the queue now: what one takes, the other must not.
        keys = [f"run-{n}" for n in range(20)]
        queued = [count_run.enqueue(key).id for key in keys]
        deadline = time.monotonic() + 30
        tasks = DBTaskResult.objects.filter(pk__in=queued)
        while tasks.exclude(status="SUCCESSFUL").exists():
            assert not tasks.filter(status="FAILED").exists(), list(tasks.values("traceback"))
            assert time.monotonic() < deadline, list(tasks.values("status", "worker_ids"))
    finally:
        for worker in workers:
            stop(worker)
    runs = redis_cache(prefix)
    assert [runs.get(key) for key in keys] == [1] * len(keys)
    assert all(len(task.worker_ids) == 1 for task in tasks)
    takers = {task.worker_ids[0] for task in tasks}
    print(f"20 tasks, each run once, taken by {len(takers)} worker(s)")
