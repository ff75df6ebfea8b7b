"""How fast matching answers for one need among 100,000 activities and 10,000 helpers
(goal: p95 <= 100 ms).

    .venv/bin/python bench/match_bench.py --db sqlite
    .venv/bin/python bench/match_bench.py --db postgres   # database sasaeai_match_bench

Creates a throwaway database (SQLite: a file in a temporary folder; PostgreSQL:
`sasaeai_match_bench` on postgres://postgres@127.0.0.1:5432, created and dropped here),
migrates it, bulk-generates the activities as bench/search_bench.py does, then helpers spread
over the 18 regions with kinds, times and rough points, and a need of every kind in several
regions. Times `suggest_for_need()` (with and without a wished time) and `suggest_for_helper()`,
prints p50 / p95 / max and a verdict; checks that no query plan reads a whole table.
Exits 1 when a p95 is over the goal or a plan scans a table.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from search_bench import in_scratch_database

PG_DATABASE = "sasaeai_match_bench"
GOAL_MS = 100.0
REGIONS = ["takashimadaira", "hasune", "itabashi", "narimasu", "oyaguchi", "funado"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rows", type=int, default=100_000, help="activities")
    parser.add_argument("--helpers", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20, help="timed calls per need")
    parser.add_argument("--workdir", type=Path, help="folder for the SQLite file (default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse a generated database")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    args = parser.parse_args()
    return in_scratch_database(args, "sasaeai-match-bench-", PG_DATABASE, run)


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from search_bench import analyze, generate, server_version  # type: ignore[import-not-found]

    started = time.perf_counter()
    from sasaeai.needs.models import Helper

    call_command("migrate", verbosity=0)
    if not (args.reuse and Helper.objects.exists()):
        generate(args.rows)
        helpers(args.helpers)
    analyze()
    print(f"database: {connection.vendor} {server_version()}; setup "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    return measure(args.repeat, explain=args.explain)


def helpers(count: int) -> None:
    """Bulk-create `count` helpers with kinds, times and rough points (seeded)."""
    from django.db import transaction
    from django.utils import timezone

    from sasaeai.areas.models import Area, AreaKind
    from sasaeai.directory.models import Activity
    from sasaeai.needs.kinds import seed_need_kinds
    from sasaeai.needs.models import Helper, NeedKind, PeerCall

    started = time.perf_counter()
    itabashi = Area.objects.municipalities().get(code="131199")
    seed_need_kinds(itabashi)
    regions = list(Area.objects.of(itabashi).filter(kind=AreaKind.REGION))
    kinds = list(NeedKind.objects.of(itabashi))
    rng = random.Random(7)
    now = timezone.now()
    with transaction.atomic():
        rows, chosen = [], []
        for n in range(count):
            region = rng.choice(regions)
            rows.append(Helper(
                municipality=itabashi, area=region, what="手伝えます", name=f"担い手{n}",
                contact=f"03-0000-{n:04d}", weekday_bits=rng.randint(1, 127),
                daypart_bits=rng.randint(1, 7), number_year=2026, number_seq=n + 1,
                receipt=f"H-2026-{n + 1:04d}-000", consent_at=now,
                latitude=round((region.latitude or 35.75) + rng.gauss(0, 0.005), 3)
                if rng.random() < 0.5 else None,
                longitude=round((region.longitude or 139.7) + rng.gauss(0, 0.006), 3),
                removed_at=now if rng.random() < 0.03 else None,
            ))  # fmt: skip
            chosen.append(rng.sample(kinds, rng.randint(1, 3)))
        for helper in rows:
            if helper.latitude is None or helper.removed_at is not None:
                helper.latitude = helper.longitude = None
            if helper.removed_at is not None:
                helper.name = helper.contact = helper.what = ""
        Helper.objects.bulk_create(rows, batch_size=2000)
        through = Helper.kinds.through
        links = [through(helper_id=h.pk, needkind_id=k.pk)
                 for h, ks in zip(rows, chosen, strict=True) for k in ks]  # fmt: skip
        through.objects.bulk_create(links, batch_size=5000)
        # One activity in twenty looks for peers, mostly for helpers.
        ids = Activity.objects.of(itabashi).order_by("id").values_list("id", "area_id")
        calls = [PeerCall(activity_id=pk, area_id=area_id, what="手伝ってくれる方",
                          looking_for="helpers" if rng.random() < 0.7 else "members")
                 for pk, area_id in ids if rng.random() < 0.05]  # fmt: skip
        PeerCall.objects.bulk_create(calls, batch_size=5000)
    took = time.perf_counter() - started
    print(f"generated {count:,} helpers and {len(calls):,} peer calls in {took:.1f} s")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(repeat: int, *, explain: bool = False) -> int:
    from django.db import connection

    from sasaeai.areas.models import Area
    from sasaeai.needs.matching import suggest_for_helper, suggest_for_need
    from sasaeai.needs.models import Helper, Need, NeedKind

    itabashi = Area.objects.municipalities().get(code="131199")
    needs = [Need(area=Area.objects.get(code=code), kind=kind, municipality=itabashi, pk=0)
             for code in REGIONS for kind in NeedKind.objects.of(itabashi)]  # fmt: skip
    for need in needs:  # as the view has it: the kind's activity kinds already known
        need.kind = NeedKind.objects.prefetch_related("activity_kinds").get(pk=need.kind.pk)
    sample = list(Helper.objects.active().order_by("id")[:: max(1, Helper.objects.count() // 60)])
    cases: list[tuple[str, Any]] = [
        ("need", lambda n: suggest_for_need(n)),
        ("need + 水曜午後", lambda n: suggest_for_need(n, weekday_bits=4, daypart_bits=2)),
    ]
    failed = False
    print(f"{'case':<18}{'calls':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}  found")
    for label, call in cases:
        times, found = [], 0
        for need in needs:
            result = call(need)
            found += len(result.activities) + len(result.helpers)
            for _i in range(repeat):
                started = time.perf_counter()
                call(need)
                times.append((time.perf_counter() - started) * 1000)
        failed |= report(label, times, found / len(needs))
    times, found = [], 0
    for helper in sample:
        found += len(suggest_for_helper(helper))
        for _i in range(repeat):
            started = time.perf_counter()
            suggest_for_helper(helper)
            times.append((time.perf_counter() - started) * 1000)
    failed |= report("helper → 仲間募集", times, found / max(1, len(sample)))
    scans = full_scans(needs[0], sample[0], connection, explain=explain)
    for plan in scans:
        print(f"FULL SCAN: {plan}")
    verdict = "FAIL" if failed or scans else "OK"
    print(f"verdict: {verdict} (goal p95 <= {GOAL_MS:.0f} ms, no full table scans)")
    return 1 if verdict == "FAIL" else 0


def report(label: str, times: list[float], found: float) -> bool:
    p95 = percentile(times, 95)
    print(f"{label:<18}{len(times):>7}{statistics.median(times):>9.1f}{p95:>9.1f}"
          f"{max(times):>9.1f}  {found:.1f}")  # fmt: skip
    return p95 > GOAL_MS


def full_scans(need: Any, helper: Any, connection: Any, *, explain: bool = False) -> list[str]:
    """Query plans of one matching call of each kind that read a whole (large) table."""
    from sasaeai.needs.matching import suggest_for_helper, suggest_for_need

    queries: list[tuple[str, Any]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, ctx: Any) -> Any:
        queries.append((sql, params))
        return execute(sql, params, many, ctx)

    with connection.execute_wrapper(record):
        suggest_for_need(need, weekday_bits=4, daypart_bits=2)
        suggest_for_helper(helper)
    large = ("directory_activity", "directory_place", "needs_helper", "needs_peercall")
    found = []
    with connection.cursor() as cursor:
        for sql, params in queries:
            if connection.vendor == "postgresql":
                cursor.execute(f"EXPLAIN {sql}", params)
                lines = [row[0] for row in cursor.fetchall()]
                bad = [ln for ln in lines if "Seq Scan" in ln and any(t in ln for t in large)]
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
                lines = [row[-1] for row in cursor.fetchall()]
                bad = [ln for ln in lines if ln.startswith("SCAN") and "USING" not in ln
                       and any(t in ln for t in large)]  # fmt: skip
            found += [f"{b}  <- {sql[:120]}" for b in bad]
            if explain:
                print(sql % tuple(repr(p) for p in params) if params else sql)
                print("\n".join(f"    {line}" for line in lines))
    return found


if __name__ == "__main__":
    sys.exit(main())
