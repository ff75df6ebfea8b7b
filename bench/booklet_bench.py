"""How long the booklet (シニアガイドブック) takes to make, and the worker's memory (goals: a
region of 100 activities <= 5 s; the ward of 1,100 activities <= 60 s in the background, with
the worker process <= 500 MB). Wall time counts what the machine's other work takes from it;
the CPU seconds of the process are printed beside it.

    .venv/bin/python bench/booklet_bench.py --db sqlite
    .venv/bin/python bench/booklet_bench.py --db postgres   # database sasaeai_booklet_bench

Creates a throwaway database with Itabashi's areas and 1,100 published activities over its 18
regions (100 in 高島平, the rest spread over the others; names of up to 120 characters, 1–2
kinds, a weekly or monthly schedule, a place with an address, some with a public contact),
then makes each edition as the task worker does (booklets.services.build), each in a fresh
child process so that its peak memory (ru_maxrss) is its own. Prints seconds, pages and the
peak; exits 1 when a figure misses its goal.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

from search_bench import in_scratch_database

PG_DATABASE = "sasaeai_booklet_bench"
ACTIVITIES, IN_REGION = 1100, 100
# (name, area code, goal seconds, goal MB or None)
EDITIONS = [
    ("region (100)", "takashimadaira", 5.0, None),
    ("ward (1,100)", "131199", 60.0, 500.0),
]
NAMES = ["いきいきサロン", "ふれあい体操", "お茶のみ会", "見守りの会", "健康麻雀", "歌声喫茶",
         "男の料理教室", "朝のラジオ体操", "囲碁・将棋の会", "手芸サークル"]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--workdir", type=Path, help="folder for the SQLite file (default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse a loaded database")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # an edition's pk, in a child process
    args = parser.parse_args()
    if args.child:
        return child(int(args.child))
    return in_scratch_database(args, "sasaeai-booklet-bench-", PG_DATABASE, run)


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    from sasaeai.booklets.models import Edition
    from sasaeai.directory.models import Activity

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not (args.reuse and Activity.objects.exists()):
        load()
    print(f"database: {args.db}; setup {time.perf_counter() - started:.1f} s")
    failed = False
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    head = f"{'edition':<14} {'cards':>6} {'pages':>6} {'seconds':>8} {'cpu s':>7} {'peak MB':>8}"
    print(f"{head}  goal")
    for name, code, goal_s, goal_mb in EDITIONS:
        from sasaeai.areas.models import Area

        area = Area.objects.get(code=code)
        edition, _new = Edition.objects.get_or_create(area=area, fiscal_year=2026)
        out = subprocess.run(  # noqa: S603 - this very script
            [sys.executable, __file__, "--child", str(edition.pk)],
            capture_output=True, text=True, env=os.environ, check=False,
        )  # fmt: skip
        if out.returncode:
            print(out.stdout, out.stderr)
            return 1
        figures = json.loads(out.stdout.strip().splitlines()[-1])
        ok = figures["seconds"] <= goal_s and (goal_mb is None or figures["peak_mb"] <= goal_mb)
        failed = failed or not ok
        target = f"<= {goal_s:.0f} s" + (f", <= {goal_mb:.0f} MB" if goal_mb else "")
        print(f"{name:<14} {figures['cards']:6d} {figures['pages']:6d} "
              f"{figures['seconds']:8.1f} {figures['cpu']:7.1f} {figures['peak_mb']:8.0f}  "
              f"{target} {'ok' if ok else 'MISSED'}")  # fmt: skip
    return 1 if failed else 0


def load() -> None:
    """Itabashi's areas and ACTIVITIES published activities (IN_REGION in 高島平)."""
    import datetime as dt

    from sasaeai.areas.models import Area
    from sasaeai.directory.models import Activity, Kind, Status
    from sasaeai.directory.services import ActivityParts, save_activity
    from sasaeai.test import load_itabashi

    municipality = load_itabashi()
    regions = list(Area.objects.regions().filter(municipality=municipality).exclude(
        code="takashimadaira"))  # fmt: skip
    home = Area.objects.get(code="takashimadaira")
    kinds = list(Kind.objects.of(municipality).filter(facet="activity"))
    rng = random.Random(24)
    for n in range(ACTIVITIES):
        region = home if n < IN_REGION else regions[n % len(regions)]
        name = f"{region.name}{rng.choice(NAMES)}{n}"
        if n % 50 == 0:
            name = (name + "（地域のみなさんと一緒に楽しく続けている長い名前の集まりです）" * 4)[
                :120
            ]
        public = n % 3 == 0
        activity = Activity(
            area=region, name=name, kana=rng.choice(["いきいき", "ふれあい", "おちゃ", "みまもり",
            "けんこう", "うたごえ", "りょうり", "らじお", "いご", "しゅげい"]) + str(n),
            status=Status.PUBLISHED, fee="100円" if n % 2 else "", is_free=not n % 2,
            audience="おおむね65歳以上の方", how_to_join="当日、会場へ直接お越しください。",
            contact_public=public, contact_name="山田" if public else "",
            contact_phone="03-1234-5678" if public else "",
        )  # fmt: skip
        weekly = n % 2 == 0
        schedule = {
            "frequency": "weekly" if weekly else "monthly_nth", "weekdays": str(n % 7),
            "nth": None if weekly else 1 + n % 4,
            "opens_at": dt.time(10 + n % 6), "closes_at": dt.time(12 + n % 6),
        }  # fmt: skip
        parts = ActivityParts(
            kinds=rng.sample(kinds, 1 + n % 2),
            places=[{"name": f"{region.name}地域センター", "address": f"板橋区{region.name}1-2-{n}",
                     "latitude": 35.78, "longitude": 139.66}],
            schedules=[schedule],
        )  # fmt: skip
        save_activity(activity, parts)


def child(pk: int) -> int:
    """Make one edition as the worker does; print its figures as JSON."""
    sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]
    import django

    django.setup()
    from pypdf import PdfReader

    from sasaeai.booklets import services
    from sasaeai.booklets.models import Edition

    edition = Edition.objects.select_related("area", "municipality").get(pk=pk)
    started, cpu = time.perf_counter(), time.process_time()
    services.build(edition)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    edition.refresh_from_db()
    assert edition.job_status == "done", edition.job_error
    with edition.pdf.open("rb") as file:
        pages = len(PdfReader(file).pages)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu": cpu, "pages": pages, "peak_mb": peak,
                      "cards": edition.content["count"]}))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
