"""How fast the route and figures pages answer with five 年度 of the demo's records (goals:
a region's progress page p95 <= 100 ms, the ward's page of 18 regions <= 300 ms, the national
survey workbook for the ward <= 5 s).

    .venv/bin/python bench/progress_bench.py --db sqlite
    .venv/bin/python bench/progress_bench.py --db postgres   # database sasaeai_progress_bench

Creates a throwaway database, migrates it and loads the demo (load_demo: Itabashi with its
activities, councils, needs, events, budgets, routes and entered figures over five past 年度
and this one). Times each page through django.test.Client as the region's SC and as ward staff
(the whole view, middleware and template, in this process) after two warm-up requests, and
prints p50 / p95 / max and the queries of one request. Exits 1 when a figure misses its goal.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from search_bench import in_scratch_database

PG_DATABASE = "sasaeai_progress_bench"
# (name, path, who, goal in ms or None)
PAGES = [
    ("region route", "/staff/progress/takashimadaira/", "sc", 100.0),
    ("ward mountains", "/staff/progress/131199/", "ward", 300.0),
    ("region figures", "/staff/progress/takashimadaira/figures/", "sc", None),
    ("ward figures", "/staff/progress/131199/figures/", "ward", None),
    ("survey workbook", "/staff/progress/survey.xlsx?year=2025", "ward", 5000.0),
]
WHO = {"sc": "sc@demo.sasaeai.jp", "ward": "ward@demo.sasaeai.jp"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per page")
    parser.add_argument("--workdir", type=Path, help="folder for the SQLite file (default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse a loaded database")
    args = parser.parse_args()
    return in_scratch_database(args, "sasaeai-progress-bench-", PG_DATABASE, run)


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from search_bench import server_version  # type: ignore[import-not-found]

    from sasaeai.core.demo import load_demo
    from sasaeai.progress.models import Goal

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not (args.reuse and Goal.objects.exists()):
        load_demo()
    print(f"database: {connection.vendor} {server_version()}; setup "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    return measure(args.repeat)


def clients() -> dict[str, Any]:
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.test import Client

    from sasaeai.accounts.models import User

    found = {}
    for who, email in WHO.items():
        user = User.objects.get(email=email)
        if not Authenticator.objects.filter(user=user).exists():
            TOTP.activate(user, generate_totp_secret())  # staff pages ask for the second step
        client = Client()
        client.force_login(user)
        found[who] = client
    return found


def measure(repeat: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    by_who = clients()
    failed = False
    print(f"{'page':<18} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8}  goal")
    for name, path, who, goal in PAGES:
        client = by_who[who]
        for _warm in range(2):
            assert client.get(path).status_code == 200, (name, path)
        times = []
        for _i in range(repeat):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
        verdict = "" if goal is None else ("ok" if p95 <= goal else "MISSED")
        failed = failed or verdict == "MISSED"
        target = "" if goal is None else f"<= {goal:.0f} ms"
        print(f"{name:<18} {statistics.median(times):8.1f} {p95:8.1f} {max(times):8.1f} "
              f"{len(queries):8d}  {target} {verdict}")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
