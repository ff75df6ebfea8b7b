"""How fast the HSDS 3.1 open data API answers at 100,000 activities (goals: a page of 50
services p95 <= 30 ms server time, deep pages and a kind's too; one service by id p95 <=
10 ms; the whole HSDS data package streamed in <= 60 s with a peak RSS <= 200 MB).

    .venv/bin/python bench/api_bench.py --db sqlite
    .venv/bin/python bench/api_bench.py --db postgres
    .venv/bin/python bench/api_bench.py --db sqlite --workdir DIR --reuse   # a search bench file
    .venv/bin/python bench/api_bench.py --db postgres --pg-database NAME --reuse

The database is the search bench's (search_bench.generate: 100,000 activities of Itabashi with
places, schedules and kinds), made here or reused. Each request goes through the real view
with django.test.Client; p50 / p95 / max per request kind, with the CPU time this process
spent on it (on SQLite the whole server's work; a loaded machine stretches the wall clock, not
this) and the time inside the database. The data package is downloaded once by a fresh
process (its peak RSS is the package's memory, not this bench's), written to a file and read
back (every table's rows counted); so is the event list with three months of the activities'
sessions (events.csv?sessions=1). The exit code is 1 when a figure is over its goal.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from search_bench import (
    MUNICIPALITY,
    PG_DATABASE,
    ROOT,
    analyze,
    db_timer,
    generate,
    in_scratch_database,
    percentile,
)

LIST_GOAL_MS, ONE_GOAL_MS = 30.0, 10.0
PACKAGE_GOAL_S, PACKAGE_GOAL_MB = 60.0, 200.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per kind")
    parser.add_argument("--workdir", type=Path, help="folder for the SQLite file (default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse an already generated database")
    parser.add_argument("--pg-database", help=f"PostgreSQL database (default {PG_DATABASE})")
    parser.add_argument("--no-package", action="store_true", help="skip the data package")
    parser.add_argument("--download", nargs=2, help=argparse.SUPPRESS)  # (in a child)
    args = parser.parse_args()
    if args.download:
        return download(args.download[0], Path(args.download[1]))
    return in_scratch_database(args, "sasaeai-api-bench-", PG_DATABASE, run)


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from sasaeai.directory.models import Activity

    call_command("migrate", verbosity=0)
    if not (args.reuse and Activity.objects.exists()):
        generate(args.rows)
    analyze()
    public = Activity.objects.public().count()
    print(
        f"database: {connection.vendor}; {Activity.objects.count():,} activities "
        f"({public:,} public); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    failed = measure(args.repeat)
    if not args.no_package:
        failed = package() or failed
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return failed


def requests() -> list[tuple[str, str, dict[str, str], float]]:
    """(label, path, query, goal ms) for each kind of request."""
    from sasaeai.api import ids
    from sasaeai.areas.models import Area
    from sasaeai.directory.models import Activity, Kind

    municipality = Area.objects.municipalities().get(code=MUNICIPALITY)
    public = Activity.objects.of(municipality).public()
    total = public.count()
    kind = Kind.objects.of(municipality).order_by("pk").first()
    assert kind is not None
    term = ids.make(MUNICIPALITY, "taxonomy_term", kind.pk)
    of_kind = public.filter(kinds=kind).count()
    rng = random.Random(26)
    some = list(public.order_by("pk").values_list("pk", flat=True)[:: max(1, total // 200)])
    one = ids.make(MUNICIPALITY, "service", rng.choice(some))
    last, middle = str(max(1, (total + 49) // 50)), str(max(1, (total + 49) // 100))
    kind_last = str(max(1, (of_kind + 49) // 50))
    base = "/api/hsds/"
    fifty = {"per_page": "50"}
    return [
        ("services page 1 (50)", base + "services", fifty, LIST_GOAL_MS),
        ("services page 100", base + "services", fifty | {"page": "100"}, LIST_GOAL_MS),
        (f"services middle page {middle}", base + "services", fifty | {"page": middle},
         LIST_GOAL_MS),
        (f"services last page {last}", base + "services", fifty | {"page": last}, LIST_GOAL_MS),
        ("services by kind", base + "services", {"taxonomy_term_id": term}, LIST_GOAL_MS),
        ("services by kind page 100", base + "services",
         {"taxonomy_term_id": term, "page": "100"}, LIST_GOAL_MS),
        (f"services by kind last {kind_last}", base + "services",
         {"taxonomy_term_id": term, "page": kind_last}, LIST_GOAL_MS),
        ("services minimal (200)", base + "services", {"minimal": "true", "per_page": "200"},
         LIST_GOAL_MS),
        ("service_at_locations (50)", base + "service_at_locations", {}, LIST_GOAL_MS),
        ("service by id", base + "services/" + one, {}, ONE_GOAL_MS),
    ]  # fmt: skip


Request = tuple[str, str, dict[str, str], float, dict[str, str]]


def measure(repeat: int, kinds: list[Request] | None = None) -> int:
    """Time each kind of request (label, path, query, goal ms, extra headers for the client:
    the staff API bench's token); the open data's by default."""
    from django.test import Client

    client = Client()
    if kinds is None:
        kinds = [(label, path, query, goal, {}) for label, path, query, goal in requests()]
    header = f"{'request':<32}{'p50':>7} {'p95':>7} {'max':>7} {'cpu p95':>8} {'db p95':>7}  goal"
    print(header + "\n" + "-" * len(header))
    missed = []
    for label, path, query, goal, headers in kinds:
        for _ in range(2):  # warm up caches and connections (and the remembered count)
            response = client.get(path, query, headers=headers)
            assert response.status_code == 200, (label, response.status_code, response.content)
            assert response.json().get("contents", [None]), label  # not an empty page
        spent_ms, cpu_ms, db_ms = [], [], []
        for _ in range(repeat):
            inside: list[float] = []
            with db_timer(inside):
                started, cpu = time.perf_counter(), time.thread_time()
                client.get(path, query, headers=headers)
                spent_ms.append((time.perf_counter() - started) * 1000)
                cpu_ms.append((time.thread_time() - cpu) * 1000)
            db_ms.append(sum(inside) * 1000)
        p95 = percentile(spent_ms, 95)
        if p95 > goal:
            missed.append(label)
        print(f"{label:<32}{statistics.median(spent_ms):>7.1f} {p95:>7.1f} {max(spent_ms):>7.1f} "
              f"{percentile(cpu_ms, 95):>8.1f} {percentile(db_ms, 95):>7.1f}  <= {goal:.0f}"
              + ("  <-- over goal" if p95 > goal else ""))  # fmt: skip
    print(f"verdict: {'FAIL: ' + ', '.join(missed) if missed else 'PASS'} ({repeat} requests each)")
    return 1 if missed else 0


def fetch(path: str, into: Path) -> dict[str, Any]:
    """Download `path` in a fresh process (its peak RSS is the answer's memory, not this
    bench's) into a file: its figures."""
    command = [sys.executable, __file__, "--download", path, str(into)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _figures(found: dict[str, Any]) -> str:
    return (
        f"{found['seconds']:.1f} s ({found['cpu']:.1f} s CPU), {found['bytes'] / 1e6:.1f} MB; "
        f"peak RSS {found['peak_mb']:.0f} MB ({found['ready_mb']:.0f} MB before the request, "
        f"{found['early_mb']:.0f} MB 50 pieces in)"
    )


def package() -> int:
    """The whole HSDS data package (goals: time and memory), read back table by table; and
    the event list with the activities' sessions of three months (no goal: how big, how
    long)."""
    with tempfile.TemporaryDirectory(prefix="sasaeai-api-bench-") as folder:
        into = Path(folder) / "hsds.zip"
        found = fetch("/opendata/hsds.zip", into)
        with zipfile.ZipFile(into) as archive:
            rows = {
                name.removesuffix(".csv"): sum(1 for _ in archive.open(name)) - 1
                for name in archive.namelist()
                if name.endswith(".csv")
            }
        over = found["seconds"] > PACKAGE_GOAL_S or found["peak_mb"] > PACKAGE_GOAL_MB
        print(
            f"data package: {_figures(found)}; goals <= {PACKAGE_GOAL_S:.0f} s, "
            f"<= {PACKAGE_GOAL_MB:.0f} MB" + ("  <-- over goal" if over else "")
        )
        print("  rows: " + ", ".join(f"{table} {n:,}" for table, n in rows.items()))
        into = Path(folder) / "events.csv"
        sessions = fetch("/opendata/events.csv?sessions=1", into)
        with into.open(encoding="utf-8-sig") as text:
            lines = sum(1 for _ in text) - 1
        print(f"events with 3 months of sessions: {_figures(sessions)}; {lines:,} rows")
    return 1 if over else 0


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    """This process's peak RSS since it started its program (VmHWM: getrusage's ru_maxrss
    would carry over the peak of the parent it was forked from, here the data generator's)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def download(path: str, into: Path) -> int:
    """(In the child.) Stream `path` to a file as a client would, and print what it took as
    JSON: seconds (and CPU seconds), bytes, and the process's RSS before, early on and at its
    peak."""
    sys.path[:0] = [str(ROOT)]
    import django

    django.setup()
    from django.test import Client

    client = Client()
    ready = _rss_mb()
    started, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    assert response.status_code == 200 and response.streaming, response.status_code
    written, early, samples = 0, 0.0, 0
    with into.open("wb") as out:
        for chunk in response.streaming_content:
            written += out.write(chunk)
            samples += 1
            if samples == 50:
                early = _rss_mb()
    found: dict[str, Any] = {
        "seconds": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "bytes": written,
        "ready_mb": ready,
        "early_mb": early or _rss_mb(),
        "peak_mb": _peak_mb(),
    }
    print(json.dumps(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
