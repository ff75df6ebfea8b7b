"""`make soak`: the demo as deployed, under a steady mix of public and staff requests, for a
long time; sampled every minute; a verdict at the end.

    .venv/bin/python bench/soak.py                          # 30 minutes on SQLite
    .venv/bin/python bench/soak.py --minutes 2 --db postgres --pg-name sasaeai_soak
    make soak SOAK_MINUTES=2 SOAK_DB=postgres

A fresh demo database is prepared as `make run` prepares its own (migrate, the cache table,
the daily tasks, `load_demo`): a SQLite file in bench/.cache/soak/, or a PostgreSQL database
made again on 127.0.0.1:5432. Then the app runs as bench/http_part.py serves it for `make
bench` (granian, one worker, four threads, DEBUG=0, behind nginx with deploy/nginx/'s page
cache) with the task worker beside it (`manage.py run_worker`), and every request goes through
nginx:

- visitors (anonymous): the search page with bench/search_bench.py's 30 searches, the home
  page, activity pages, region pages and the other public lists of
  sasaeai/tests/test_list_queries.py;
- staff, signed in as the demo's ward staff and a region's SC: the staff list pages of that
  same test that each may open, in turn;
- a resident sends a need through /needs/new/ (its form, CSRF token and all) every 15 minutes:
  under the form's limit of 5 an hour from one address, so each is saved.

Every minute: resident memory of the app worker, granian's main process and the task worker,
their open file descriptors, the database's connections (PostgreSQL: pg_stat_activity;
SQLite: the processes' descriptors open on the database file), and the minute's requests, p95
and errors. Errors are answers other than the expected ones (200; 302 after a sent need),
refused connections and timeouts.

Verdict (exit 1 when one fails), over the minutes after warm-up (a third of the run, at most
five minutes):
- memory: each process's growth, as a straight line fitted to its samples, ≤ 10 % an hour of
  its size after warm-up (the issue: "worker memory flat (≤ 10 % growth after warm-up)");
  judged from 10 samples on (a run of 15 minutes or more), only shown before;
- no errors;
- p95 stable: the median minute p95 of the second half of the run ≤ 1.5 times that of the first;
- no growth of descriptors or connections: the last sample ≤ the first after warm-up + a few;
- the task worker kept up: none of the tasks enqueued during the run failed, and at the end
  no task that is due waits in the queue.
Writes bench/results/soak-<date>-<db>.md. A run of 2-3 minutes checks the harness; the
memory is then shown, not judged.
"""

# ruff: noqa: S603, S607, S608  (a harness: it runs the local tools; SQL of its own names)

from __future__ import annotations

import argparse
import datetime as dt
import functools
import http.client
import json
import os
import random
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import http_part

ROOT = http_part.ROOT
WORK = http_part.CACHE / "soak"
RESULTS = ROOT / "bench" / "results"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
DEMO_PASSWORD = "sasaeai-demo-2026"  # noqa: S105 - the demo's, printed by `make run`
STAFF = ["ward@demo.sasaeai.jp", "sc@demo.sasaeai.jp"]
NEED_EVERY = 15 * 60  # seconds: 4 an hour, under the form's 5 an hour from one address
MEMORY_GROWTH = 0.10  # of the size after warm-up, per hour
MEMORY_SAMPLES = 10  # judged from this many samples after warm-up (10 minutes)
MARK = {True: "pass", False: "FAIL", None: "—"}
P95_DRIFT = 1.5
WARM_UP = 5 * 60
FD_SLACK, CONNECTION_SLACK = 8, 2


# The demo's referrals are encrypted while it is loaded, and the server must read them with
# the same keys: they are kept beside the prepared demo (bench/.cache/soak/keys.json, never
# committed) and given to every environment and server.
@functools.cache
def demo_keys() -> dict[str, str]:
    keys_file = WORK / "keys.json"
    if not keys_file.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        fresh = http_part.app_env("")
        keys = {k: fresh[k] for k in ("SECRET_KEY", "SASAEAI_PERSONAL_DATA_KEYS")}
        keys_file.write_text(json.dumps(keys))
    loaded: dict[str, str] = json.loads(keys_file.read_text())
    return loaded


def demo_env(database_url: str) -> dict[str, str]:
    return http_part.app_env(database_url, demo_keys())


TASKS = """
import datetime as dt, json
from django.db.models import Count
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
since = dt.datetime.fromtimestamp({since}, dt.UTC)
rows = DBTaskResult.objects.filter(enqueued_at__gte=since)
by = dict(rows.values("status").annotate(n=Count("id")).values_list("status", "n"))
late = timezone.now() - dt.timedelta(minutes=1)  # the worker looks every few seconds
due = DBTaskResult.objects.filter(status="READY", run_after__lte=late).count()
print(json.dumps({{"by_status": by, "ready_and_due": due}}))
"""
PAGES = """
import json
from sasaeai.tests.test_list_queries import LIST_PAGES, address
print(json.dumps([address(page) for page in LIST_PAGES]))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--pg-name", type=database_name, default="sasaeai_soak", help="PostgreSQL database (remade)"
    )
    parser.add_argument("--rate", type=float, default=10, help="requests a second, in all")
    parser.add_argument("--visitors", type=int, default=4, help="anonymous visitors at once")
    parser.add_argument(
        "--prepare-again", action="store_true", help="prepare the demo again (else its copy)"
    )
    parser.add_argument("--sample", type=float, default=60, help="seconds between samples")
    args = parser.parse_args()
    started = dt.datetime.now(dt.UTC).astimezone()
    say(f"soak: preparing the demo database ({args.db})…")
    database_url = prepare(args.db, args.pg_name, args.prepare_again)
    with serving(database_url) as (proxy, app_pid, worker_pid):
        mix = Mix.gather(proxy, database_url)
        say(
            f"soak: {args.minutes:g} min at {args.rate:g} requests/s through {proxy} "
            f"({len(mix.public)} public, {len(mix.staff)} staff addresses)"
        )
        load = Load(proxy, mix, args.rate, args.visitors)
        samples = sample_while(load, args, app_pid, worker_pid, database_url)
        query = TASKS.format(since=samples[0]["at"])
        out = manage(demo_env(database_url), "shell", "--no-imports", "-c", query)
        tasks = json.loads(out.strip().splitlines()[-1])
    summary = judge(samples, load, tasks)
    path = write_report(started, args, samples, summary, load)
    print(summary_text(summary))
    print(f"report: {path.relative_to(ROOT)}")
    return 0 if summary["pass"] else 1


def database_name(text: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,40}", text):
        raise argparse.ArgumentTypeError("lower-case letters, digits and _")
    return text


def say(text: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(http_part.PYTHON), "manage.py", *args],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout


def prepare(db: str, pg_name: str, again: bool, copy: str = "demo") -> str:
    """A fresh copy of the demo database; its URL. The demo is prepared once, as `make run`
    prepares its own (a few minutes), kept as a template (bench/.cache/soak/template.sqlite3,
    or the PostgreSQL database <name>_template) and copied for each run, then migrated in case
    the code moved on since."""
    if db == "postgres":
        template = f"{pg_name}_template"
        listed = psql(f"SELECT 1 FROM pg_database WHERE datname = '{template}'")
        if again or not listed:
            psql(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            psql(f'CREATE DATABASE "{template}"')
            load_demo(f"{PG_SERVER}/{template}")
        psql(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
        psql(f'CREATE DATABASE "{pg_name}" TEMPLATE "{template}"')
        database_url = f"{PG_SERVER}/{pg_name}"
    else:
        WORK.mkdir(parents=True, exist_ok=True)
        template_file = WORK / "template.sqlite3"
        if again or not template_file.exists():
            template_file.unlink(missing_ok=True)
            load_demo(f"sqlite:///{template_file}")
        for old in WORK.glob(f"{copy}.sqlite3*"):
            old.unlink()
        with (
            sqlite3.connect(template_file) as source,
            sqlite3.connect(WORK / f"{copy}.sqlite3") as to,
        ):
            source.backup(to)
        database_url = f"sqlite:///{WORK / copy}.sqlite3"
    manage(demo_env(database_url), "migrate", "--noinput", "-v", "0")
    return database_url


def load_demo(database_url: str) -> None:
    say(f"soak: preparing the demo in {database_url} (once; a few minutes)…")
    env = demo_env(database_url)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "createcachetable")
    manage(env, "schedule_tasks")
    manage(env, "load_demo")


def psql(sql: str) -> str:
    done = subprocess.run(
        ["psql", PG_SERVER, "-qAtc", sql], check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


@contextmanager
def serving(database_url: str) -> Iterator[tuple[str, int, int]]:
    """granian behind nginx as deployed (bench/http_part.py's), and the task worker; yields
    (nginx's base URL, granian's pid, the worker's pid)."""
    env = demo_env(database_url)
    with (
        http_part.app_server(database_url, demo_keys()) as (base, app_pid),
        http_part.proxy_server(base) as proxy,
    ):
        worker = subprocess.Popen(
            [str(http_part.PYTHON), "manage.py", "run_worker", "--no-reload", "-v", "0"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        try:
            yield proxy, app_pid, worker.pid
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()


@dataclass
class Mix:
    """The addresses the load cycles through."""

    public: list[str]
    staff: list[str]

    @classmethod
    def gather(cls, base: str, database_url: str) -> Mix:
        out = manage(demo_env(database_url), "shell", "--no-imports", "-c", PAGES)
        listed = json.loads(out.strip().splitlines()[-1])
        staff = [page for page in listed if page.startswith("/staff/")]
        public = [page for page in listed if not page.startswith("/staff/")]
        home = http_part.fetch(base + "/").decode()
        regions = sorted(set(re.findall(r'href="(/areas/[\w-]+/)"', home)))
        activities: set[str] = set()
        for path in http_part.search_paths()[:10]:
            activities |= set(
                re.findall(r'href="(/activities/\d+/)"', http_part.fetch(base + path).decode())
            )
        assert regions and activities, "no region or activity links on the demo's pages"
        # Weighted as visitors go: searches and activities most, then regions, then the rest.
        public = (
            http_part.search_paths() * 2 + sorted(activities) * 2 + regions * 2 + public + ["/"] * 5
        )
        return cls(public=public, staff=staff)


@dataclass
class Request:
    at: float
    ms: float
    who: str
    error: str = ""
    page: str = ""


def page_of(who: str, path: str) -> str:
    """The kind of page a request asked for, for the report's line per page."""
    if who != "public":
        return who
    route = path.split("?", 1)[0]
    if route == "/activities/":
        return "search"
    if route.startswith("/activities/"):
        return "activity"
    if route.startswith("/areas/"):
        return "region"
    return "home" if route == "/" else "other public"


class Session:
    """One person's keep-alive connection to nginx, with their cookies."""

    def __init__(self, base: str) -> None:
        parsed = urllib.parse.urlsplit(base)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.connection: http.client.HTTPConnection | None = None
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        """(status, Location, body); a connection nginx closed between requests is opened
        again once."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.connection.close()
                self.connection = None
                if attempt:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers.get("Location", ""), text

    def form_page(self, path: str) -> str:
        status, _location, text = self.request("GET", path)
        assert status == 200, f"{path}: {status}"
        return text

    def sign_in(self, email: str) -> None:
        token = csrf_token(self.form_page("/accounts/login/"))
        form = {"csrfmiddlewaretoken": token, "login": email, "password": DEMO_PASSWORD}
        status, location, _text = self.request("POST", "/accounts/login/", form)
        assert status == 302 and "/accounts/login/" not in location, f"{email}: not signed in"


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, "no CSRF token on the form's page"
    return match.group(1)


@dataclass
class Load:
    """Threads that send the mix at `rate` requests a second until stopped."""

    base: str
    mix: Mix
    rate: float
    visitors: int
    requests: list[Request] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    needs_sent: int = 0

    def __post_init__(self) -> None:
        self.stopping = threading.Event()
        people = self.visitors + len(STAFF)
        self.pause = people / self.rate  # each person's mean time between requests
        self.threads = [
            threading.Thread(target=self.visitor, args=(n,), daemon=True)
            for n in range(self.visitors)
        ]
        self.threads += [
            threading.Thread(target=self.staff_member, args=(email,), daemon=True)
            for email in STAFF
        ]
        self.threads.append(threading.Thread(target=self.resident, daemon=True))

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def timed(
        self, session: Session, who: str, method: str, path: str, **kw: Any
    ) -> tuple[int, str]:
        started = time.monotonic()
        error = ""
        status, location = 0, ""
        try:
            status, location, _text = session.request(method, path, **kw)
            expected = 302 if method == "POST" else 200
            if status != expected:
                error = f"{status} {method} {path}"
        except (OSError, http.client.HTTPException) as problem:
            error = f"{type(problem).__name__} {method} {path}"
            session.connection = None
        spent = (time.monotonic() - started) * 1000
        self.requests.append(Request(time.time(), spent, who, error, page_of(who, path)))
        if error and len(self.examples) < 20:
            self.examples.append(error)
        return status, location

    def wait(self, rng: random.Random) -> None:
        self.stopping.wait(rng.expovariate(1 / self.pause))

    def visitor(self, n: int) -> None:
        rng, session = random.Random(n), Session(self.base)
        while not self.stopping.is_set():
            self.timed(session, "public", "GET", rng.choice(self.mix.public))
            self.wait(rng)

    def staff_member(self, email: str) -> None:
        rng, session = random.Random(email), Session(self.base)
        session.sign_in(email)
        # The lists this person may open (the others answer 403 or 404, by design), looked at
        # once, untimed.
        pages = [page for page in self.mix.staff if session.request("GET", page)[0] == 200]
        rng.shuffle(pages)
        turn = 0
        while not self.stopping.is_set():
            self.timed(session, "staff", "GET", pages[turn % len(pages)])
            turn += 1
            self.wait(rng)

    def resident(self) -> None:
        """A need sent through the public form every NEED_EVERY seconds, the first at once."""
        rng = random.Random("needs")
        while not self.stopping.is_set():
            session = Session(self.base)
            page = session.form_page("/needs/new/")
            areas = re.findall(r'<option value="([\w-]+)"', page)
            kinds = re.findall(r'name="kind" value="([\w-]+)"', page)
            token = csrf_token(page)
            form = {
                "csrfmiddlewaretoken": token, "area": rng.choice(areas), "kind": rng.choice(kinds),
                "what": "買い物に行くのが大変になりました。週に一度、手伝ってくれる人はいますか。",
                "name": "", "contact": "", "website": "",
            }  # fmt: skip
            status, location = self.timed(session, "need", "POST", "/needs/new/", form=form)
            if status == 302 and location.endswith("/needs/new/thanks/"):
                self.timed(session, "need", "GET", "/needs/new/thanks/")
                self.needs_sent += 1
            self.stopping.wait(NEED_EVERY)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def tree(pid: int) -> list[int]:
    """pid and its descendants."""
    found = [pid]
    for name in http_part.rss_of_workers(pid):
        child = int(name.split()[0])
        if child != pid:
            found.append(child)
    return found


def descriptors(pids: list[int], database_file: str | None) -> tuple[int, int]:
    """Open descriptors of the processes, and how many of them are on the database file."""
    total = on_database = 0
    for pid in pids:
        try:
            entries = list(Path(f"/proc/{pid}/fd").iterdir())
        except OSError:
            continue
        total += len(entries)
        if database_file:
            for entry in entries:
                try:
                    on_database += os.readlink(entry).startswith(database_file)
                except OSError:
                    continue
    return total, on_database


def pg_connections(database_url: str) -> int:
    name = database_url.rsplit("/", 1)[1]
    return int(psql(f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{name}'") or 0)


def sample_while(
    load: Load, args: argparse.Namespace, app_pid: int, worker_pid: int, database_url: str
) -> list[dict[str, Any]]:
    """Run the load for args.minutes; a sample at its start and every args.sample seconds."""
    database_file = database_url.removeprefix("sqlite:///") if args.db == "sqlite" else None
    samples: list[dict[str, Any]] = []
    start = time.time()
    load.start()
    end = start + args.minutes * 60
    next_at = start
    while True:
        app_tree = tree(app_pid)
        worker_tree = tree(worker_pid)
        sizes = {p: rss_mb(p) for p in app_tree if Path(f"/proc/{p}").exists()}
        app_worker = max(sizes, key=lambda p: sizes[p])  # the main process only supervises
        fds, on_db = descriptors(app_tree + worker_tree, database_file)
        since = samples[-1]["at"] if samples else start
        window = [r for r in load.requests if since <= r.at < time.time()]
        times = sorted(r.ms for r in window)
        samples.append(
            {
                "at": time.time(),
                "minute": round((time.time() - start) / 60, 2),
                "app_worker_mb": round(sizes[app_worker], 1),
                "granian_main_mb": round(sizes.get(app_pid, 0.0), 1),
                "task_worker_mb": round(sum(rss_mb(p) for p in worker_tree), 1),
                "fds": fds,
                "db_connections": on_db if database_file else pg_connections(database_url),
                "requests": len(window),
                "p95_ms": round(percentile(times, 95), 1) if times else None,
                "errors": sum(1 for r in window if r.error),
            }
        )
        s = samples[-1]
        say(
            f"  {s['minute']:5.1f} min: app {s['app_worker_mb']} MB, task worker "
            f"{s['task_worker_mb']} MB, {s['fds']} fds, {s['db_connections']} db, "
            f"{s['requests']} requests, p95 {s['p95_ms']} ms, {s['errors']} errors"
        )
        if time.time() >= end - 1:
            break
        next_at = min(next_at + args.sample, end)
        load.stopping.wait(max(0.0, next_at - time.time()))
    load.stop()
    return samples


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q / 100))]


def slope_per_hour(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, value), in value an hour."""
    if len(points) < 2:
        return 0.0
    mean_t = statistics.fmean(t for t, _v in points)
    mean_v = statistics.fmean(v for _t, v in points)
    spread = sum((t - mean_t) ** 2 for t, _v in points)
    if not spread:
        return 0.0
    return sum((t - mean_t) * (v - mean_v) for t, v in points) / spread * 3600


def judge(samples: list[dict[str, Any]], load: Load, tasks: dict[str, Any]) -> dict[str, Any]:
    # The first minutes warm up (imports, caches, connections): a third of the run, at most
    # WARM_UP seconds; the sample at its end is the baseline.
    warm = min(WARM_UP, (samples[-1]["at"] - samples[0]["at"]) / 3)
    after = [s for s in samples if s["at"] - samples[0]["at"] >= warm - 1]
    checks: list[tuple[str, bool | None, str]] = []
    growth = {}
    for key, label in (("app_worker_mb", "app worker"), ("task_worker_mb", "task worker")):
        points = [(s["at"], s[key]) for s in after]
        base = after[0][key] if after else 0.0
        per_hour = slope_per_hour(points)
        share = per_hour / base if base else 0.0
        growth[key] = {"mb_per_hour": round(per_hour, 1), "share_per_hour": round(share, 3)}
        checks.append(
            (
                f"{label} memory growth ≤ {MEMORY_GROWTH:.0%} an hour",
                # A line through a few minutes' samples says nothing of an hour: not judged.
                share <= MEMORY_GROWTH if len(points) >= MEMORY_SAMPLES else None,
                f"{per_hour:+.1f} MB/h ({share:+.1%} of {base:.0f} MB; {len(points)} samples)"
                + (
                    "" if len(points) >= MEMORY_SAMPLES else f": under {MEMORY_SAMPLES}, not judged"
                ),
            )
        )
    errors = sum(1 for r in load.requests if r.error)
    checks.append(("no errors", errors == 0, f"{errors} of {len(load.requests)} requests"))
    minutes = [s["p95_ms"] for s in after if s["p95_ms"] is not None]
    half = len(minutes) // 2
    if half:
        first, second = statistics.median(minutes[:half]), statistics.median(minutes[half:])
        checks.append(
            (
                f"p95 stable (second half ≤ {P95_DRIFT}× the first)",
                second <= P95_DRIFT * first,
                f"{first:.1f} ms then {second:.1f} ms",
            )
        )
    if after:
        for key, slack, label in (
            ("fds", FD_SLACK, "open descriptors"),
            ("db_connections", CONNECTION_SLACK, "database connections"),
        ):
            checks.append(
                (
                    f"no growth of {label} (≤ first + {slack})",
                    after[-1][key] <= after[0][key] + slack,
                    f"{after[0][key]} → {after[-1][key]}",
                )
            )
    failed = tasks["by_status"].get("FAILED", 0)
    checks.append(
        (
            "the task worker kept up (no task failed, none due left waiting)",
            not failed and not tasks["ready_and_due"],
            f"enqueued during the run, by status: {tasks['by_status']}; "
            f"{tasks['ready_and_due']} due and waiting at the end",
        )
    )
    times = sorted(r.ms for r in load.requests)
    seconds = (load.requests[-1].at - load.requests[0].at) if load.requests else 0
    return {
        "checks": checks,
        "pass": all(ok is not False for _n, ok, _d in checks),
        "growth": growth,
        "requests": len(load.requests),
        "rate": round(len(load.requests) / seconds, 1) if seconds else 0,
        "p50_ms": round(percentile(times, 50), 1) if times else None,
        "p95_ms": round(percentile(times, 95), 1) if times else None,
        "p99_ms": round(percentile(times, 99), 1) if times else None,
        "by_kind": {
            who: len([r for r in load.requests if r.who == who])
            for who in ("public", "staff", "need")
        },
        "needs_sent": load.needs_sent,
        "examples": load.examples,
        "by_page": by_page(load.requests),
    }


def by_page(requests: list[Request]) -> list[tuple[Any, ...]]:
    """Per kind of page: requests, p50, p95 and p99 in ms, the most asked first."""
    times: dict[str, list[float]] = {}
    for r in requests:
        times.setdefault(r.page, []).append(r.ms)
    rows = [
        (page, len(ms), *(round(percentile(ms, q), 1) for q in (50, 95, 99)))
        for page, ms in times.items()
    ]
    return sorted(rows, key=lambda row: -row[1])


def summary_text(summary: dict[str, Any]) -> str:
    lines = [
        f"{summary['requests']} requests ({summary['rate']}/s): p50 {summary['p50_ms']} ms, "
        f"p95 {summary['p95_ms']} ms, p99 {summary['p99_ms']} ms"
    ]
    lines += [f"  {row[0]}: {row[1]} requests, p50 / p95 / p99 {row[2]} / {row[3]} / {row[4]} ms"
              for row in summary["by_page"]]  # fmt: skip
    lines += [f"  {MARK[ok]}  {name}: {detail}" for name, ok, detail in summary["checks"]]
    lines.append("verdict: " + ("pass" if summary["pass"] else "FAIL"))
    return "\n".join(lines)


def write_report(
    started: dt.datetime,
    args: argparse.Namespace,
    samples: list[dict[str, Any]],
    summary: dict[str, Any],
    load: Load,
) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"soak-{started:%Y-%m-%d-%H%M}-{args.db}.md"
    kinds = summary["by_kind"]
    lines = [
        f"# Soak, {started:%Y-%m-%d %H:%M %Z} ({args.db})",
        "",
        "Made by `make soak` (`bench/soak.py`; what it does and how it judges: its docstring and "
        "bench/README.md, *Soak*).",
        "",
        f"- {args.minutes:g} minutes at {args.rate:g} requests/s asked ({summary['rate']}/s "
        f"made), {args.visitors} visitors and {len(STAFF)} staff members at once, through nginx "
        "(page cache as deployed) to granian (1 worker, 4 threads), task worker running",
        f"- {summary['requests']} requests: {kinds['public']} public, {kinds['staff']} staff, "
        f"{kinds['need']} for needs sent ({summary['needs_sent']} saved); p50 "
        f"{summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, p99 {summary['p99_ms']} ms",
        f"- Machine: {os.cpu_count()} cores, load average at the end "
        f"{[round(x, 2) for x in os.getloadavg()]} (a shared machine: latency is noisy)",
        "",
        f"**Verdict: {'pass' if summary['pass'] else 'FAIL'}**",
        "",
        "| check | result | measured |",
        "|---|---|---|",
        *(
            f"| {name} | {MARK[ok].replace('FAIL', '**FAIL**')} | {detail} |"
            for name, ok, detail in summary["checks"]
        ),
        "",
        "| page | requests | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|",
        *(f"| {row[0]} | {' | '.join(map(str, row[1:]))} |" for row in summary["by_page"]),
        "",
        "| minute | app worker MB | granian main MB | task worker MB | fds | db connections "
        "| requests | p95 ms | errors |",
        "|---|---|---|---|---|---|---|---|---|",
        *(
            f"| {s['minute']} | {s['app_worker_mb']} | {s['granian_main_mb']} | "
            f"{s['task_worker_mb']} | {s['fds']} | {s['db_connections']} | {s['requests']} | "
            f"{s['p95_ms'] if s['p95_ms'] is not None else '—'} | {s['errors']} |"
            for s in samples
        ),
    ]
    if summary["examples"]:
        lines += ["", "Errors (first 20):", "", *(f"- `{e}`" for e in summary["examples"])]
    if args.minutes < 10:
        lines += [
            "",
            "A short run: it checks the harness and shows the first minutes; memory growth "
            "fitted to so few samples is not a judgement of a long run.",
        ]
    path.write_text("\n".join(lines) + "\n")
    return path


if __name__ == "__main__":
    sys.exit(main())
