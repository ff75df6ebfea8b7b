"""How fast the public search answers with 100,000 activities (goal: p95 <= 50 ms server time).

    .venv/bin/python bench/search_bench.py --db sqlite                 # a throwaway SQLite file
    .venv/bin/python bench/search_bench.py --db postgres --rows 100000 # database sasaeai_bench

Creates a fresh database (SQLite: a file in a temporary folder; PostgreSQL: `sasaeai_bench` on
postgres://postgres@127.0.0.1:5432, created and dropped here), migrates it, loads Itabashi's
areas, then bulk-generates activities of one municipality with a deliberately small vocabulary
(so that common bigrams hit thousands of rows), with places spread around the 18 regions,
schedules and kinds. Then it times the real code path: the `/activities/` view through
django.test.Client for a mix of searches (1, 2, 3+ characters, every filter, near me,
combinations, pages 1 and 5), and `public_search()` plus fetching one page by itself.
Prints p50 / p95 / max per search and a verdict line; exits 1 when a p95 is over the goal.

    --keep     keep the database afterwards (and print where it is)
    --reuse    skip generation when the database already holds activities (implies --keep)
    --explain  print the query plan of every statement each search sends
    --pg-database NAME   the PostgreSQL database to use instead of sasaeai_bench
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "sasaeai_bench"
GOAL_MS = 50.0
MUNICIPALITY = "131199"

# A small vocabulary on purpose: every common word is shared by thousands of activities.
PREFIXES = [("いきいき", "いきいき"), ("ふれあい", "ふれあい"), ("ひまわり", "ひまわり"),
            ("さくら", "さくら"), ("あおぞら", "あおぞら"), ("元気", "げんき"),
            ("健康", "けんこう"), ("みんなの", "みんなの"), ("", "")]  # fmt: skip
NOUNS = [("サロン", "さろん"), ("体操教室", "たいそうきょうしつ"), ("ラジオ体操", "らじおたいそう"),
         ("お茶会", "おちゃかい"), ("見守り隊", "みまもりたい"), ("囲碁クラブ", "いごくらぶ"),
         ("健康麻雀", "けんこうまーじゃん"), ("散歩の会", "さんぽのかい"),
         ("食事会", "しょくじかい"), ("カフェ", "かふぇ"), ("買い物支援", "かいものしえん"),
         ("手芸の会", "しゅげいのかい"), ("歌声喫茶", "うたごえきっさ"),
         ("子ども食堂", "こどもしょくどう"), ("脳トレ教室", "のうとれきょうしつ")]  # fmt: skip
SENTENCES = [
    "地域の方が集まって、おしゃべりを楽しんでいます。",
    "お茶とお菓子を用意してお待ちしています。",
    "椅子に座ってできる体操をしています。",
    "一人暮らしの高齢者の見守りをしています。",
    "初めての方も気軽にお越しください。",
    "季節の行事や講座もあります。",
    "ボランティアを募集しています。",
    "介護予防のための運動を取り入れています。",
    "手作りの昼食をみんなでいただきます。",
    "公園の清掃をしながら散歩します。",
]
VENUES = ["地域センター", "ふれあい館", "集会所", "いこいの家", "児童館"]
AUDIENCES = ["", "どなたでも", "65歳以上の方", "地域にお住まいの方"]
FEES = ["", "無料", "100円", "300円（お茶代）"]

# (label, query string). Pages 1 and 5; every filter; near me; combinations.
NEAR = "35.7845,139.6745"  # 蓮根
SEARCHES: list[tuple[str, dict[str, str]]] = [
    ("browse (no query)", {}),
    ("browse page 5", {"page": "5"}),
    ("1 char 茶", {"q": "茶"}),
    ("1 char 茶 page 5", {"q": "茶", "page": "5"}),
    ("1 char 会 + area", {"q": "会", "area": "takashimadaira"}),
    ("2 chars 体操", {"q": "体操"}),
    ("2 chars 体操 page 5", {"q": "体操", "page": "5"}),
    ("3 chars さろん", {"q": "さろん"}),
    ("3+ いきいきサロン", {"q": "いきいきサロン"}),
    ("3+ ｻﾛﾝ 見守り (2 words)", {"q": "ｻﾛﾝ 見守り"}),
    ("rare 歌声喫茶", {"q": "歌声喫茶"}),
    ("no hit ぴよぴよ", {"q": "ぴよぴよ"}),
    ("area", {"area": "takashimadaira"}),
    ("kind", {"kind": "salon"}),
    ("kind page 5", {"kind": "salon", "page": "5"}),
    ("weekday", {"weekday": "2"}),
    ("time", {"time": "morning"}),
    ("free", {"free": "on"}),
    ("step_free", {"step_free": "on"}),
    (
        "all filters",
        {
            "area": "hasune",
            "kind": "exercise",
            "weekday": "0",
            "time": "morning",
            "free": "on",
            "newcomers": "on",
            "step_free": "on",
        },
    ),
    ("near 2 km", {"near": NEAR, "radius": "2"}),
    ("near 0.5 km", {"near": NEAR, "radius": "0.5"}),
    ("near 10 km (whole city)", {"near": NEAR, "radius": "10"}),
    ("near 2 km page 5", {"near": NEAR, "radius": "2", "page": "5"}),
    ("near + 体操", {"near": NEAR, "radius": "2", "q": "体操"}),
    ("near + kind + weekday", {"near": NEAR, "radius": "2", "kind": "tea", "weekday": "2"}),
    ("さろん + area + weekday", {"q": "さろん", "area": "takashimadaira", "weekday": "2"}),
    ("茶 + kind + free", {"q": "茶", "kind": "tea", "free": "on"}),
    ("体操 + time + step_free", {"q": "体操", "time": "morning", "step_free": "on"}),
    ("体操 + area + near", {"q": "体操", "area": "hasune", "near": NEAR, "radius": "1"}),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per search")
    parser.add_argument("--workdir", type=Path, help="folder for the SQLite file (default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="reuse an already generated database")
    parser.add_argument("--explain", action="store_true", help="print each search's query plan")
    parser.add_argument("--only", default="", help="run only searches whose label contains this")
    parser.add_argument("--pg-database", help=f"PostgreSQL database (default {PG_DATABASE})")
    args = parser.parse_args()
    return in_scratch_database(args, "sasaeai-search-bench-", PG_DATABASE, run)


Run = Callable[[argparse.Namespace], int]


def in_scratch_database(args: argparse.Namespace, prefix: str, pg_database: str, run: Run) -> int:
    """`run(args)` with Django pointed at a throwaway database: a SQLite file in a temporary
    folder (or --workdir), or `pg_database` on the local PostgreSQL, made here (unless --reuse)
    and dropped afterwards (unless --keep or --reuse)."""
    args.keep = args.keep or args.reuse
    pg_database = getattr(args, "pg_database", None) or pg_database
    folder = args.workdir or Path(tempfile.mkdtemp(prefix=prefix))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["SASAEAI_TESTING"] = "1"  # a secret key without one in the environment
    os.environ["SASAEAI_VAR_DIR"] = str(folder)
    os.environ["SASAEAI_DEFAULT_MUNICIPALITY"] = MUNICIPALITY
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "sasaeai.settings"
    if args.db == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    else:
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{pg_database}"
        if not args.reuse:
            pg_admin(f"DROP DATABASE IF EXISTS {pg_database}", f"CREATE DATABASE {pg_database}")
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    try:
        return run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"kept: {os.environ['DATABASE_URL']}")
        else:
            if args.db == "postgres":
                pg_admin(f"DROP DATABASE IF EXISTS {pg_database}")
            if not args.workdir:
                shutil.rmtree(folder, ignore_errors=True)


def pg_admin(*statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        for sql in statements:
            conn.execute(sql)  # type: ignore[arg-type]


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from sasaeai.directory.models import Activity

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not (args.reuse and Activity.objects.exists()):
        generate(args.rows)
    analyze()
    total = Activity.objects.count()
    print(
        f"database: {connection.vendor} {server_version()}; {total:,} activities; "
        f"setup {time.perf_counter() - started:.1f} s"
    )
    return measure(args.repeat, explain=args.explain, only=args.only)


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        return str(cursor.fetchone()[0])


def generate(count: int) -> None:
    """Bulk-create `count` activities (with places, schedules and kinds) in one municipality."""
    from django.db import transaction

    from sasaeai.areas.loader import load_areas
    from sasaeai.areas.models import Area, AreaKind
    from sasaeai.directory.models import (
        Activity,
        Facet,
        Kind,
        Place,
        Schedule,
        Status,
        Visibility,
        copy_to_places,
    )
    from sasaeai.directory.search import normalize, reading_of, title_of, tokens_for

    # The readings Activity.index adds (search.activity_readings; the kana is typed, so not
    # the name's): the kinds' and places' names and the description, each text's once.
    said = functools.cache(lambda text: reading_of([text]))

    started = time.perf_counter()
    load_areas(ROOT / "data" / "areas" / "itabashi.csv")
    itabashi = Area.objects.municipalities().get(code=MUNICIPALITY)
    regions = list(Area.objects.of(itabashi).filter(kind=AreaKind.REGION))
    kinds = list(Kind.objects.of(itabashi))
    activity_kinds = [k for k in kinds if k.facet == Facet.ACTIVITY]
    organiser_kinds = [k for k in kinds if k.facet == Facet.ORGANISER]
    rng = random.Random(20250401)
    statuses = [Status.PUBLISHED] * 16 + [Status.DRAFT, Status.IN_REVIEW, Status.PAUSED,
                                          Status.ENDED]  # fmt: skip
    today = dt.date(2025, 4, 1)
    batch = 5_000
    with transaction.atomic():
        for first in range(0, count, batch):
            activities, parts = [], []
            for n in range(first, min(first + batch, count)):
                region = rng.choice(regions)
                (prefix, prefix_kana), (noun, noun_kana) = rng.choice(PREFIXES), rng.choice(NOUNS)
                name = f"{region.name}{prefix}{noun}" if rng.random() < 0.5 else f"{prefix}{noun}"
                kana = f"{prefix_kana}{noun_kana}{n % 97}"
                chosen = rng.sample(activity_kinds, rng.randint(1, 2))
                chosen += rng.sample(organiser_kinds, rng.randint(0, 1))
                places = []
                for _ in range(rng.choices([0, 1, 2], [5, 85, 10])[0]):
                    venue = f"{region.name}{rng.choice(VENUES)}"
                    address = f"板橋区{region.name}{rng.randint(1, 9)}-{rng.randint(1, 30)}"
                    lat = (region.latitude or 35.75) + rng.gauss(0, 0.006)
                    lng = (region.longitude or 139.7) + rng.gauss(0, 0.007)
                    places.append(Place(name=venue, address=address, latitude=lat, longitude=lng))
                days = ",".join(str(d) for d in sorted(rng.sample(range(7), rng.randint(1, 2))))
                opens = rng.choice([9, 10, 13, 14, 18])
                schedule = Schedule(frequency="weekly", weekdays=days, opens_at=dt.time(opens),
                                    closes_at=dt.time(opens + 2))  # fmt: skip
                description = "".join(rng.sample(SENTENCES, rng.randint(1, 3)))
                audience, fee = rng.choice(AUDIENCES), rng.choice(FEES)
                text = [name, kana, description, audience, fee, region.name]
                text += [k.name for k in chosen] + [p.name for p in places]
                text += [p.address for p in places]
                search_text = normalize(" ".join(text))
                activity = Activity(
                    municipality=itabashi, area=region, name=name, kana=kana,
                    description=description, status=rng.choice(statuses),
                    visibility=Visibility.STAFF if rng.random() < 0.05 else Visibility.PUBLIC,
                    fee=fee, is_free=fee in ("", "無料"), audience=audience,
                    welcomes_newcomers=rng.random() < 0.8, step_free=rng.random() < 0.3,
                    accessible_toilet=rng.random() < 0.2, pick_up=rng.random() < 0.05,
                    last_confirmed=today - dt.timedelta(days=rng.randint(0, 700)),
                    weekday_bits=schedule.weekday_bits(), daypart_bits=schedule.daypart_bits(),
                    kind_bits=sum(k.mask or 0 for k in chosen),
                    search_text=search_text,
                    search_tokens=tokens_for(search_text, title_of(name, kana), " ".join(
                        said(t) for t in [description, *text[6:6 + len(chosen) + len(places)]])),
                )  # fmt: skip
                activities.append(activity)
                parts.append((chosen, places, schedule))
            Activity.objects.bulk_create(activities)
            links, places, schedules = [], [], []
            through = Activity.kinds.through
            for activity, (chosen, venues, schedule) in zip(activities, parts, strict=True):
                assert activity.pk is not None
                links += [through(activity_id=activity.pk, kind_id=k.pk) for k in chosen]
                for place in venues:
                    place.activity = activity
                    places.append(place)
                schedule.activity = activity
                schedules.append(schedule)
            through.objects.bulk_create(links)
            Place.objects.bulk_create(places)
            copy_to_places([a.pk for a in activities if a.pk])
            Schedule.objects.bulk_create(schedules)
    print(f"generated {count:,} activities in {time.perf_counter() - started:.1f} s")


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # VACUUM also sets the visibility map, as autovacuum would on a live database.
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
            fts = "SELECT count(*) FROM directory_activity_fts WHERE directory_activity_fts MATCH ?"
            cursor.execute(fts, ['"体操"'])
            assert cursor.fetchone()[0] > 0, "the FTS index is empty"


@contextmanager
def db_timer(into: list[float]) -> Iterator[None]:
    """Add up the time spent inside the database (per query, as Django executes them)."""
    from django.db import connection

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, ctx)
        finally:
            into.append(time.perf_counter() - started)

    with connection.execute_wrapper(wrapper):
        yield


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(repeat: int, *, explain: bool, only: str = "") -> int:
    from django.core.paginator import Paginator
    from django.test import Client

    from sasaeai.areas.models import Area
    from sasaeai.directory.forms import SearchForm
    from sasaeai.directory.search_results import public_search
    from sasaeai.directory.views import PER_PAGE, RESULT_FIELDS, _results

    client = Client()
    municipality = Area.objects.municipalities().get(code=MUNICIPALITY)
    header = f"{'search':<28}{'hits':>8}  {'view p50':>8} {'p95':>6} {'max':>6} {'db p95':>7}"
    header += f"  {'query p50':>9} {'p95':>6} {'max':>6}"
    print(header + "\n" + "-" * len(header))
    worst = 0.0
    for label, params in SEARCHES:
        if only not in label:
            continue
        for _ in range(2):  # warm up caches and connections
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
        # The queries alone: the count, one page's rows, and their places and schedules.
        form = SearchForm(params, municipality=municipality)
        assert form.is_valid(), form.errors
        query_ms = []
        for _ in range(repeat):
            started = time.perf_counter()
            found = public_search(municipality, form.cleaned_data, RESULT_FIELDS)
            page = Paginator(found, PER_PAGE).get_page(params.get("page"))
            _results(list(page), form.cleaned_data.get("near"), form.kinds)
            query_ms.append((time.perf_counter() - started) * 1000)
        hits = page.paginator.count
        p95 = percentile(view_ms, 95)
        worst = max(worst, p95)
        print(
            f"{label:<28}{hits:>8,}  {statistics.median(view_ms):>8.1f} {p95:>6.1f} "
            f"{max(view_ms):>6.1f} {percentile(db_ms, 95):>7.1f}  "
            f"{statistics.median(query_ms):>9.1f} {percentile(query_ms, 95):>6.1f} "
            f"{max(query_ms):>6.1f}" + ("  <-- over goal" if p95 > GOAL_MS else "")
        )
    from django.db import connection

    scans = check_plans(municipality, only, show=explain)
    verdict = "PASS" if worst <= GOAL_MS and not scans else "FAIL"
    print(
        f"verdict ({connection.vendor}): {verdict} — worst p95 {worst:.1f} ms "
        f"(goal {GOAL_MS:.0f} ms, {repeat} requests per search, times in ms)"
    )
    return 0 if verdict == "PASS" else 1


def check_plans(municipality: Any, only: str, show: bool = False) -> list[str]:
    """EXPLAIN every statement each search sends (and print the plans, with `show`); report
    those reading all of directory_activity (SQLite: a SCAN of it, even along an index;
    PostgreSQL: a Seq Scan of it)."""
    import re

    from django.db import connection

    from sasaeai.directory.forms import SearchForm
    from sasaeai.directory.search_results import public_search

    sent: list[tuple[str, Any]] = []

    def record(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        if sql.lstrip().upper().startswith("SELECT"):
            sent.append((sql, params))
        return execute(sql, params, many, ctx)

    scans = []
    for label, params in SEARCHES:
        if only not in label:
            continue
        form = SearchForm(params, municipality=municipality)
        assert form.is_valid(), form.errors
        sent.clear()
        with connection.execute_wrapper(record):
            results = public_search(municipality, form.cleaned_data, ("id",))
            page = int(params.get("page", "1"))
            results.count()
            list(results[(page - 1) * 20 : page * 20])
        for sql, args in sent:
            names = {"directory_activity"} | set(re.findall(r'"directory_activity" "?(\w+)"?', sql))
            with connection.cursor() as cursor:
                if connection.vendor == "sqlite":
                    cursor.execute("EXPLAIN QUERY PLAN " + sql, args)
                    lines = [str(r[3]) for r in cursor.fetchall()]
                    bad = [
                        ln
                        for ln in lines
                        if (m := re.match(r"SCAN (\w+)", ln)) and m.group(1) in names
                    ]
                else:
                    cursor.execute("EXPLAIN " + sql, args)
                    lines = [r[0] for r in cursor.fetchall()]
                    bad = [ln for ln in lines if re.search(r"Seq Scan on directory_activity\b", ln)]
            if show:
                print(f"  {label}: {sql[:160]}\n" + indent("\n".join(lines)))
            scans += [f"{label}: {ln.strip()}  <- {sql[:120]}" for ln in bad]
        print(
            f"  plans of {label!r}: {len(sent)} statements, "
            f"{'no full scan' if not scans else 'FULL SCANS SO FAR: ' + str(len(scans))}"
        )
    for line in scans:
        print("  FULL SCAN", line)
    return scans


def indent(text: str) -> str:
    return "\n".join("      " + line for line in text.splitlines())


if __name__ == "__main__":
    sys.exit(main())
