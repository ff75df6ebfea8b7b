"""Search latency inside the server: bench/search_bench.py's fixed mix of public searches
against Itabashi in the generated database, through django.test.Client (the whole view:
middleware, form, queries, template), timed in this process. Prints one JSON object.

    .venv/bin/python bench/search_part.py --db postgres --name sasaeai_benchsuite --repeat 30
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import dataset
from search_bench import SEARCHES, check_plans, db_timer, percentile


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per search")
    args = parser.parse_args()
    dataset.configure(args.db, args.name)
    import django

    django.setup()
    print(json.dumps(measure(args.repeat)))
    return 0


def measure(repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    from sasaeai.areas.models import Area
    from sasaeai.directory.models import Activity

    municipality = Area.objects.municipalities().get(code=dataset.ITABASHI)
    client = Client()
    rows, every = [], []
    for label, params in SEARCHES:
        for _ in range(2):  # warm up caches and the connection
            response = client.get("/activities/", params)
            assert response.status_code == 200, (label, response.status_code)
        view_ms, db_ms = [], []
        for _ in range(repeat):
            spent: list[float] = []
            with db_timer(spent):
                started = time.perf_counter()
                client.get("/activities/", params)
                view_ms.append((time.perf_counter() - started) * 1000)
            db_ms.append(sum(spent) * 1000)
        every += view_ms
        rows.append(
            {
                "search": label,
                "p50_ms": round(statistics.median(view_ms), 2),
                "p95_ms": round(percentile(view_ms, 95), 2),
                "max_ms": round(max(view_ms), 2),
                "db_p95_ms": round(percentile(db_ms, 95), 2),
            }
        )
    with contextlib.redirect_stdout(io.StringIO()):
        scans = check_plans(municipality, "")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = str(cursor.fetchone()[0])
    return {
        "database": f"{connection.vendor} {version}",
        "activities": Activity.objects.count(),
        "itabashi_activities": Activity.objects.of(municipality).count(),
        "repeat": repeat,
        "searches": rows,
        "p50_ms": round(statistics.median(every), 2),
        "p95_ms": round(percentile(every, 95), 2),
        "max_ms": round(max(every), 2),
        "worst_p95_ms": max(r["p95_ms"] for r in rows),
        "worst_p95_search": max(rows, key=lambda r: r["p95_ms"])["search"],
        "full_scans": scans,
    }


if __name__ == "__main__":
    sys.exit(main())
