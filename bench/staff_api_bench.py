"""How fast the staff API answers at 100,000 activities (goal: a list page p95 <= 30 ms server
time), for the ward's staff, who see every activity, and a region's SC, who see their own.

    .venv/bin/python bench/staff_api_bench.py --db sqlite
    .venv/bin/python bench/staff_api_bench.py --db postgres

The data is the search bench's (search_bench.generate: 100,000 activities of Itabashi), made
here or reused like bench/api_bench.py. Each request carries a personal access token and goes
through the real view, token check, rate limit and access.py included, with django.test.Client.
Prints p50 / p95 / max and the time inside the database per request, and exits 1 when a p95
is over its goal.

Timings on a shared machine move with its load; two ways to see the work of the activity
lists themselves (on a database kept with --keep, then --reuse):

    .venv/bin/python bench/staff_api_bench.py --db postgres --reuse --profile
    .venv/bin/python bench/staff_api_bench.py --db postgres --reuse --instructions

--profile runs cProfile over --repeat requests of each list, by the thread's CPU time (the
waits for the database left out), and prints calls, queries and CPU ms per request with the
costliest functions. --instructions counts each list request's instructions under valgrind's
callgrind (as bench/instructions.py does for the search page): one process, warmed up, its
count dumped around --repeat requests of each list (less an empty dump), so Python's start,
Django's setup and the warm-up are left out. On PostgreSQL it counts the app's side only.
Under callgrind Python runs about 50 times slower: use --repeat 5.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import api_bench
from search_bench import MUNICIPALITY, analyze, db_timer, generate, in_scratch_database

LIST_GOAL_MS, ONE_GOAL_MS = 30.0, 30.0
PG_DATABASE = "sasaeai_staff_api_bench"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per kind")
    parser.add_argument("--workdir", type=Path, help="folder for the SQLite file (default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse an already generated database")
    parser.add_argument("--pg-database", help=f"PostgreSQL database (default {PG_DATABASE})")
    parser.add_argument("--profile", action="store_true", help="cProfile the lists, by CPU")
    parser.add_argument("--instructions", action="store_true", help="count them (callgrind)")
    parser.add_argument("--counted", help=argparse.SUPPRESS)  # inside callgrind: dump here
    args = parser.parse_args()
    if args.instructions:
        return instructions(args)
    return in_scratch_database(args, "sasaeai-staff-api-bench-", PG_DATABASE, run)


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from sasaeai.directory.models import Activity

    call_command("migrate", verbosity=0)
    call_command("createcachetable")  # the rate limit's counts live in the database cache
    if not (args.reuse and Activity.objects.exists()):
        generate(args.rows)
    analyze()
    print(f"database: {connection.vendor}; {Activity.objects.count():,} activities")
    if args.profile or args.counted:
        return profile(args.repeat, args.counted)
    return measure(args.repeat)


def token_for(email: str, role: str, area_code: str) -> str:
    """A token with every scope for a user holding `role` on the area (made directly: the
    bench has no second step to sign in with)."""
    from django.conf import settings
    from django.utils import timezone

    from sasaeai.accounts.models import Membership, User
    from sasaeai.api import tokens
    from sasaeai.api.models import Scope, Token
    from sasaeai.areas.models import Area

    settings.SASAEAI_API_RATE = "1000000/m"  # the bench measures the API, not its limit
    place = Area.objects.get(code=area_code)
    user, _ = User.objects.get_or_create(email=email, defaults={"municipality": place.municipality})
    Membership.objects.get_or_create(user=user, area=place, role=role)
    secret = f"{tokens.PREFIX}bench-{email}"
    Token.objects.filter(digest=tokens.digest(secret)).delete()
    Token.objects.create(
        user=user, municipality=place.municipality or place, name="bench", prefix=secret[:14],
        digest=tokens.digest(secret), scopes=list(Scope.values),
        expires_at=timezone.now() + dt.timedelta(days=30),
    )  # fmt: skip
    return secret


def requests() -> list[tuple[str, str, str, dict[str, str], float]]:
    """(label, token, path, query, goal ms) for each kind of request."""
    from sasaeai.accounts.models import Role
    from sasaeai.areas.models import Area
    from sasaeai.directory.models import Activity

    municipality = Area.objects.municipalities().get(code=MUNICIPALITY)
    region = Area.objects.of(municipality).filter(kind="region").order_by("path").first()
    assert region is not None
    ward = token_for("bench-ward@example.jp", Role.WARD_STAFF, MUNICIPALITY)
    sc = token_for("bench-sc@example.jp", Role.REGION_SC, region.code)
    one = Activity.objects.filter(area__path__startswith=region.path).order_by("pk").first()
    assert one is not None
    base = "/api/staff/"
    return [
        ("ward: activities page 1", ward, base + "activities/", {}, LIST_GOAL_MS),
        ("ward: activities page 100", ward, base + "activities/", {"page": "100"}, LIST_GOAL_MS),
        ("ward: activities q=体操", ward, base + "activities/", {"q": "体操"}, LIST_GOAL_MS),
        ("sc: activities page 1", sc, base + "activities/", {}, LIST_GOAL_MS),
        ("sc: one activity", sc, f"{base}activities/{one.pk}/", {}, ONE_GOAL_MS),
        ("sc: needs page 1", sc, base + "needs/", {}, LIST_GOAL_MS),
        ("sc: meetings page 1", sc, base + "meetings/", {}, LIST_GOAL_MS),
        ("sc: events page 1", sc, base + "events/", {}, LIST_GOAL_MS),
    ]  # fmt: skip


def measure(repeat: int) -> int:
    kinds = [(label, path, query, goal, {"Authorization": f"Bearer {token}"})
             for label, token, path, query, goal in requests()]  # fmt: skip
    return api_bench.measure(repeat, kinds)


LISTS = ("ward: activities page 1", "ward: activities page 100", "ward: activities q=体操",
         "sc: activities page 1")  # fmt: skip


def profile(repeat: int, counted: str | None) -> int:
    """cProfile each activity list (`counted`: dump callgrind's count around each instead)."""
    from django.test import Client

    client = Client()
    kinds = [(label, path, query, {"Authorization": f"Bearer {token}"})
             for label, token, path, query, _goal in requests() if label in LISTS]  # fmt: skip
    for label, path, query, headers in kinds * 2:  # warm up caches and the remembered count
        assert client.get(path, query, headers=headers).status_code == 200, label
    for number, (label, path, query, headers) in enumerate([("", "", {}, {}), *kinds]):
        if counted:  # dump 0 is of no request: what zeroing and dumping cost
            callgrind("-z")
            for _ in range(repeat if path else 0):
                client.get(path, query, headers=headers)
            callgrind("-d", f"list{number}")
            continue
        if not path:
            continue
        queries: list[float] = []
        with db_timer(queries):
            client.get(path, query, headers=headers)
        profiler = cProfile.Profile(time.thread_time_ns, 1e-9)
        profiler.enable()
        for _ in range(repeat):
            client.get(path, query, headers=headers)
        profiler.disable()
        stats = pstats.Stats(profiler)
        calls, cpu = stats.total_calls, stats.total_tt  # type: ignore[attr-defined]
        print(f"{label}: {calls / repeat:,.0f} calls, {len(queries)} queries, "
              f"{cpu / repeat * 1000:.1f} ms CPU (profiled) per request")  # fmt: skip
        stats.sort_stats("tottime").print_stats(12)
    return 0


def callgrind(*command: str) -> None:
    """Tell the callgrind this process runs under to zero (-z) or dump (-d label) its count."""
    control = ["callgrind_control", *command, str(os.getpid())]
    done = subprocess.run(control, capture_output=True, check=False)  # noqa: S603
    assert done.returncode == 0, done.stderr


def instructions(args: argparse.Namespace) -> int:
    """This script again under callgrind, counting inside (`profile`): instructions per
    request of each list."""
    with tempfile.TemporaryDirectory(prefix="sasaeai-staff-api-count-") as folder:
        out = Path(folder) / "callgrind.out"
        inner = [a for a in sys.argv[1:] if a not in ("--instructions", "--reuse", "--keep")]
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                   sys.executable, __file__, *inner, "--reuse", "--counted", str(out)]  # fmt: skip
        env = {**os.environ, "PYTHONHASHSEED": "0"}  # the same dicts and sets in every run
        subprocess.run(command, env=env, check=True, capture_output=True)  # noqa: S603
        dumps = {}
        for dump in Path(folder).glob("callgrind.out.*"):
            text = dump.read_text()
            which = re.search(r"^desc: Trigger: .*dump list(\d+)", text, re.M)
            total = re.search(r"^summary: (\d+)$", text, re.M)
            assert which and total, dump
            dumps[int(which.group(1))] = int(total.group(1))
    print(f"database: {args.db}; instructions per request ({args.repeat} requests each)")
    for number, label in enumerate(LISTS, start=1):
        print(f"{label:<32}{(dumps[number] - dumps[0]) / args.repeat / 1e6:8.2f} million")
    return 0


if __name__ == "__main__":
    sys.exit(main())
