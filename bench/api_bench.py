"""How fast the HSDS 3.1 open data API answers at 100,000 activities (goals: a page of 50
services p95 <= 30 ms server time, one service by id p95 <= 10 ms).

    .venv/bin/python bench/api_bench.py --db sqlite
    .venv/bin/python bench/api_bench.py --db postgres
    .venv/bin/python bench/api_bench.py --db sqlite --workdir DIR --reuse   # a search bench file

The database is the search bench's (search_bench.generate: 100,000 activities of Itabashi with
places, schedules and kinds), made here or reused. Each request goes through the real view
with django.test.Client; p50 / p95 / max and the time inside the database are printed per
request kind, and the exit code is 1 when a p95 is over its goal.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

from search_bench import (
    MUNICIPALITY,
    PG_DATABASE,
    analyze,
    db_timer,
    generate,
    in_scratch_database,
    percentile,
)

LIST_GOAL_MS, ONE_GOAL_MS = 30.0, 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per kind")
    parser.add_argument("--workdir", type=Path, help="folder for the SQLite file (default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse an already generated database")
    parser.add_argument("--pg-database", help=f"PostgreSQL database (default {PG_DATABASE})")
    args = parser.parse_args()
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
    print(f"database: {connection.vendor}; {Activity.objects.count():,} activities")
    return measure(args.repeat)


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
    rng = random.Random(26)
    some = list(public.order_by("pk").values_list("pk", flat=True)[:: max(1, total // 200)])
    one = ids.make(MUNICIPALITY, "service", rng.choice(some))
    last = str(max(1, (total + 49) // 50))
    base = "/api/hsds/"
    return [
        ("services page 1 (50)", base + "services", {"per_page": "50"}, LIST_GOAL_MS),
        ("services page 100", base + "services", {"per_page": "50", "page": "100"}, LIST_GOAL_MS),
        ("services last page", base + "services", {"per_page": "50", "page": last}, LIST_GOAL_MS),
        ("services by kind", base + "services", {"taxonomy_term_id": term}, LIST_GOAL_MS),
        ("services minimal (200)", base + "services", {"minimal": "true", "per_page": "200"},
         LIST_GOAL_MS),
        ("service_at_locations (50)", base + "service_at_locations", {}, LIST_GOAL_MS),
        ("service by id", base + "services/" + one, {}, ONE_GOAL_MS),
    ]  # fmt: skip


def measure(repeat: int) -> int:
    from django.test import Client

    client = Client()
    header = f"{'request':<28}{'p50':>7} {'p95':>7} {'max':>7} {'db p95':>7}  goal"
    print(header + "\n" + "-" * len(header))
    missed = []
    for label, path, query, goal in requests():
        for _ in range(2):  # warm up caches and connections
            response = client.get(path, query)
            assert response.status_code == 200, (label, response.status_code, response.content)
        spent_ms, db_ms = [], []
        for _ in range(repeat):
            inside: list[float] = []
            with db_timer(inside):
                started = time.perf_counter()
                client.get(path, query)
                spent_ms.append((time.perf_counter() - started) * 1000)
            db_ms.append(sum(inside) * 1000)
        p95 = percentile(spent_ms, 95)
        if p95 > goal:
            missed.append(label)
        print(f"{label:<28}{statistics.median(spent_ms):>7.1f} {p95:>7.1f} {max(spent_ms):>7.1f} "
              f"{percentile(db_ms, 95):>7.1f}  <= {goal:.0f}"
              + ("  <-- over goal" if p95 > goal else ""))  # fmt: skip
    print(f"verdict: {'FAIL: ' + ', '.join(missed) if missed else 'PASS'} ({repeat} requests each)")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
