"""The benchmark data: N activities over M synthetic municipalities, plus Itabashi.

    .venv/bin/python bench/dataset.py --db sqlite --activities 1000000 --municipalities 50

Run by `bench/run.py` in a process of its own (Django is set up for one database per
process). Makes, or reuses when it already holds the same figures, one database:
SQLite `bench/.cache/<name>.sqlite3` or PostgreSQL `<name>` on postgres://postgres@127.0.0.1.
It migrates, loads Itabashi's real area tree and M synthetic trees (a municipality, 4 blocks
and 18 regions each, centred on towns all over Japan, loaded through `areas.loader` from
generated CSV files), then writes the activities with their places, schedules and kinds in
batches straight into the tables (SQLite: executemany, whose FTS triggers fill the word index;
PostgreSQL: COPY). The vocabulary is bench/search_bench.py's: a deliberately small one, so
that common words hit thousands of rows. Places carry their activity's copies (PLACE_COPIES),
as `copy_to_places` would write them. Deterministic (one seed). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_bench import (  # (needs the path above)
    AUDIENCES,
    FEES,
    NOUNS,
    PREFIXES,
    SENTENCES,
    VENUES,
)

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
ITABASHI = "131199"
SEED = 20250401
BATCH = 10_000

# Town centres all over Japan (lat, lng); each synthetic municipality sits near one.
TOWNS = [
    (43.06, 141.35), (41.77, 140.73), (40.82, 140.74), (39.70, 141.15), (38.27, 140.87),
    (39.72, 140.10), (38.24, 140.36), (37.75, 140.47), (36.37, 140.47), (36.56, 139.88),
    (36.39, 139.06), (35.86, 139.65), (35.61, 140.12), (35.69, 139.69), (35.45, 139.64),
    (37.90, 139.02), (36.70, 137.21), (36.56, 136.66), (36.07, 136.22), (35.66, 138.57),
    (36.65, 138.18), (35.42, 136.76), (34.98, 138.38), (35.18, 136.91), (34.73, 136.51),
    (35.00, 135.87), (35.02, 135.76), (34.69, 135.50), (34.69, 135.18), (34.69, 135.83),
    (34.23, 135.17), (35.50, 134.24), (35.47, 133.05), (34.66, 133.93), (34.39, 132.46),
    (34.19, 131.47), (34.07, 134.56), (34.34, 134.04), (33.84, 132.77), (33.56, 133.53),
    (33.59, 130.40), (33.25, 130.30), (32.74, 129.87), (32.79, 130.74), (33.24, 131.61),
    (31.91, 131.42), (31.60, 130.56), (26.21, 127.68), (34.85, 134.69), (36.34, 138.63),
]  # fmt: skip
# Pieces of place names: a municipality is two of them and 市/町, a region one or two.
HEADS = [("青", "あお"), ("緑", "みどり"), ("桜", "さくら"), ("松", "まつ"), ("梅", "うめ"),
         ("東", "ひがし"), ("西", "にし"), ("南", "みなみ"), ("北", "きた"), ("本", "もと"),
         ("新", "しん"), ("大", "おお"), ("小", "こ"), ("高", "たか"), ("若", "わか"),
         ("中", "なか"), ("上", "かみ"), ("下", "しも"), ("富士", "ふじ"),
         ("朝日", "あさひ")]  # fmt: skip
TAILS = [("山", "やま"), ("川", "かわ"), ("田", "た"), ("野", "の"), ("原", "はら"),
         ("沢", "さわ"), ("森", "もり"), ("浜", "はま"), ("台", "だい"), ("島", "じま"),
         ("岡", "おか"), ("里", "さと"), ("井", "い"), ("瀬", "せ"), ("丘", "おか")]  # fmt: skip
BLOCKS = ["東部", "西部", "南部", "北部"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--name", required=True, help="SQLite file stem / PostgreSQL database")
    parser.add_argument("--activities", type=int, default=1_000_000)
    parser.add_argument("--municipalities", type=int, default=50)
    parser.add_argument("--itabashi", type=int, default=100_000)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    url = configure(args.db, args.name)
    import django

    django.setup()
    result = ensure(args)
    result["database_url"] = url
    print(json.dumps(result))
    return 0


def configure(db: str, name: str) -> str:
    """Point Django at the benchmark database (before django.setup); return its URL."""
    CACHE.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{CACHE / (name + '.sqlite3')}" if db == "sqlite" else f"{PG_SERVER}/{name}"
    os.environ.update(
        SASAEAI_TESTING="1",
        SASAEAI_VAR_DIR=str(CACHE / "var"),
        SASAEAI_DEFAULT_MUNICIPALITY=ITABASHI,
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        DJANGO_SETTINGS_MODULE="sasaeai.settings",
        DATABASE_URL=url,
    )
    return url


def ensure(args: argparse.Namespace) -> dict[str, Any]:
    """Generate the database unless it already holds these figures."""
    from django.core.management import call_command
    from django.db import connection

    wanted = {
        "activities": args.activities,
        "municipalities": args.municipalities,
        "itabashi": args.itabashi,
        "seed": SEED,
    }
    marker = CACHE / f"{args.name}.{args.db}.json"
    if not args.regenerate and marker.exists():
        try:
            had = json.loads(marker.read_text())
            if had.get("figures") == wanted and count_activities() == had.get("total"):
                # A migration since it was made (a new index, say) is applied, not skipped:
                # the figures are of the schema as it is now.
                call_command("migrate", verbosity=0)
                return {**had, "reused": True}
        except Exception as error:  # an unusable database is made again
            print(f"  making the data again: {error}", file=sys.stderr)
    marker.unlink(missing_ok=True)
    connection.close()
    recreate(args.db, args.name)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    migrated = time.perf_counter() - started
    started = time.perf_counter()
    total = generate(args.activities, args.municipalities, args.itabashi)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    analyze()
    result = {
        "figures": wanted,
        "total": total,
        "migrate_seconds": round(migrated, 1),
        "generate_seconds": round(generated, 1),
        "analyze_seconds": round(time.perf_counter() - started, 1),
        "reused": False,
    }
    marker.write_text(json.dumps(result))
    return result


def count_activities() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM directory_activity")
        return int(cursor.fetchone()[0])


def recreate(db: str, name: str) -> None:
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (CACHE / f"{name}.sqlite3{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]
        conn.execute(f'CREATE DATABASE "{name}"')  # type: ignore[arg-type]


def synthetic_areas(count: int, rng: random.Random) -> list[Path]:
    """Write one area CSV per synthetic municipality; return their paths."""
    folder = Path(tempfile.mkdtemp(prefix="sasaeai-bench-areas-"))
    files = []
    for m in range(count):
        code = f"9{m:05d}"  # not a real municipality code: real ones start 01..47
        (h, hk), (t, tk) = HEADS[m % len(HEADS)], TAILS[(m // len(HEADS) + m) % len(TAILS)]
        suffix, suffix_kana = ("市", "し") if m % 3 else ("町", "まち")
        lat0, lng0 = TOWNS[m % len(TOWNS)]
        lat0, lng0 = lat0 + rng.uniform(-0.2, 0.2), lng0 + rng.uniform(-0.2, 0.2)
        lines = ["code,parent,kind,name,kana,layer,sort,hosts,note,lat,lng"]
        lines.append(
            f"{code},,municipality,{h}{t}{suffix},{hk}{tk}{suffix_kana},第1層,0,,,"
            f"{lat0:.4f},{lng0:.4f}"
        )
        for b, block in enumerate(BLOCKS):
            lines.append(f"blk-{b + 1},{code},block,{block},,ブロック,{b + 1},,,,")
        used: set[str] = set()
        for r in range(18):
            while True:
                (rh, rhk), (rt, rtk) = rng.choice(HEADS), rng.choice(TAILS)
                if rh + rt not in used:
                    used.add(rh + rt)
                    break
            lat, lng = lat0 + rng.gauss(0, 0.03), lng0 + rng.gauss(0, 0.035)
            lines.append(
                f"r{r + 1:02d},blk-{r % 4 + 1},region,{rh}{rt},{rhk}{rtk},第2層,{r + 1},,,"
                f"{lat:.4f},{lng:.4f}"
            )
        path = folder / f"{code}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    return files


class Table:
    """Rows for one table as tuples in column order, from a template of the field defaults."""

    def __init__(self, model: Any) -> None:
        from django.db import connection
        from django.utils import timezone

        now = timezone.now()
        self.table = model._meta.db_table
        self.columns: list[str] = []
        self.template: dict[str, Any] = {}
        for field in model._meta.concrete_fields:
            self.columns.append(field.column)
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            elif field.has_default():
                value = field.get_default()
            elif field.null or field.primary_key or field.is_relation:
                value = None
            else:
                value = ""
            self.template[field.attname] = field.get_db_prep_save(value, connection)
        self.attnames = [f.attname for f in model._meta.concrete_fields]
        self.rows: list[tuple[Any, ...]] = []

    def add(self, values: dict[str, Any]) -> None:
        row = self.template | values
        self.rows.append(tuple(row[a] for a in self.attnames))

    def flush(self, cursor: Any) -> None:
        from django.db import connection

        if not self.rows:
            return
        names = ", ".join(f'"{c}"' for c in self.columns)
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {self.table} ({names}) FROM STDIN") as copy:
                for row in self.rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(self.columns))
            insert = f"INSERT INTO {self.table} ({names}) VALUES ({marks})"  # noqa: S608  (our names)
            cursor.cursor.executemany(insert, self.rows)
        self.rows = []


def generate(activities: int, municipalities: int, itabashi_rows: int) -> int:
    """Load the area trees, then write every activity; return how many there are."""
    from django.db import connection, transaction

    from sasaeai.areas.loader import load_areas
    from sasaeai.areas.models import Area, AreaKind
    from sasaeai.directory.models import Kind

    rng = random.Random(SEED)
    files = [ROOT / "data" / "areas" / "itabashi.csv", *synthetic_areas(municipalities, rng)]
    for path in files:
        load_areas(path)
    plan: list[tuple[Area, int]] = []
    for n, path in enumerate(files):
        muni = Area.objects.municipalities().get(code=path.stem if n else ITABASHI)
        share = (
            itabashi_rows
            if n == 0
            else activities // municipalities + (1 if n - 1 < activities % municipalities else 0)
        )
        plan.append((muni, share))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1000000")
    next_id = {"activity": 1, "place": 1, "schedule": 1, "link": 1}
    total = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for muni, share in plan:
            regions = list(Area.objects.of(muni).filter(kind=AreaKind.REGION))
            kinds = list(Kind.objects.of(muni))
            started = time.perf_counter()
            for batch in activity_batches(muni, regions, kinds, share, rng, next_id):
                for table in batch:
                    table.flush(cursor)
            total += share
            print(
                f"  {muni.name} ({muni.code}): {share:,} activities in "
                f"{time.perf_counter() - started:.1f} s",
                file=sys.stderr,
            )
    reset_sequences()
    return total


def activity_batches(
    muni: Any,
    regions: list[Any],
    kinds: list[Any],
    count: int,
    rng: random.Random,
    next_id: dict[str, int],
) -> Iterator[list[Table]]:
    """The activities of one municipality, as batches of rows of the four tables."""
    from django.db import connection

    from sasaeai.directory.models import (
        PLACE_COPIES,
        Activity,
        Facet,
        Place,
        Schedule,
        Status,
        Visibility,
    )
    from sasaeai.directory.search import normalize, reading_of, title_of, tokens_for

    # The readings Activity.index adds (search.activity_readings; kana is typed, so not the
    # name's), each text's once: the vocabulary is small.
    said = functools.cache(lambda text: reading_of([text]))

    activity_kinds = [k for k in kinds if k.facet == Facet.ACTIVITY]
    organiser_kinds = [k for k in kinds if k.facet == Facet.ORGANISER]
    statuses = [Status.PUBLISHED] * 16 + [Status.DRAFT, Status.IN_REVIEW, Status.PAUSED,
                                          Status.ENDED]  # fmt: skip
    today = dt.date(2025, 4, 1)
    date_field = Activity._meta.get_field("last_confirmed")
    time_field = Schedule._meta.get_field("opens_at")
    dates = [date_field.get_db_prep_save(today - dt.timedelta(days=d), connection)
             for d in range(701)]  # fmt: skip
    hours = {h: time_field.get_db_prep_save(dt.time(h), connection) for h in range(24)}
    schedule_bits = Schedule(frequency="weekly")
    prefecture = "東京都板橋区" if muni.code == ITABASHI else muni.name
    through = Activity.kinds.through
    link_activity = through._meta.get_field("activity").attname
    link_kind = through._meta.get_field("kind").attname
    done = 0
    while done < count:
        tables = [Table(Activity), Table(through), Table(Place), Table(Schedule)]
        act_t, link_t, place_t, sched_t = tables
        for _ in range(min(BATCH, count - done)):
            n = done
            done += 1
            pk = next_id["activity"]
            next_id["activity"] += 1
            region = rng.choice(regions)
            (prefix, prefix_kana), (noun, noun_kana) = rng.choice(PREFIXES), rng.choice(NOUNS)
            name = f"{region.name}{prefix}{noun}" if rng.random() < 0.5 else f"{prefix}{noun}"
            kana = f"{prefix_kana}{noun_kana}{n % 97}"
            chosen = rng.sample(activity_kinds, rng.randint(1, 2))
            chosen += rng.sample(organiser_kinds, rng.randint(0, 1))
            chosen.sort(key=lambda k: (k.facet, k.sort_order, k.pk))
            places = []
            for _ in range(rng.choices([0, 1, 2], [5, 85, 10])[0]):
                venue = f"{region.name}{rng.choice(VENUES)}"
                address = f"{prefecture}{region.name}{rng.randint(1, 9)}-{rng.randint(1, 30)}"
                lat = (region.latitude or muni.latitude or 35.75) + rng.gauss(0, 0.006)
                lng = (region.longitude or muni.longitude or 139.7) + rng.gauss(0, 0.007)
                places.append((venue, address, lat, lng))
            weekdays = sorted(rng.sample(range(7), rng.randint(1, 2)))
            opens = rng.choice([9, 10, 13, 14, 18])
            schedule_bits.weekdays = ",".join(str(d) for d in weekdays)
            schedule_bits.opens_at, schedule_bits.closes_at = dt.time(opens), dt.time(opens + 2)
            description = "".join(rng.sample(SENTENCES, rng.randint(1, 3)))
            audience, fee = rng.choice(AUDIENCES), rng.choice(FEES)
            text = [name, kana, description, audience, fee, region.name]
            text += [k.name for k in chosen] + [p[0] for p in places] + [p[1] for p in places]
            search_text = normalize(" ".join(text))
            said_names = [k.name for k in chosen] + [p[0] for p in places]
            status = rng.choice(statuses)
            visibility = Visibility.STAFF if rng.random() < 0.05 else Visibility.PUBLIC
            values = {
                "id": pk,
                "municipality_id": muni.pk,
                "area_id": region.pk,
                "name": name,
                "kana": kana,
                "description": description,
                "status": str(status),
                "visibility": str(visibility),
                "fee": fee,
                "is_free": fee in ("", "無料"),
                "audience": audience,
                "welcomes_newcomers": rng.random() < 0.8,
                "step_free": rng.random() < 0.3,
                "accessible_toilet": rng.random() < 0.2,
                "pick_up": rng.random() < 0.05,
                "last_confirmed": dates[rng.randint(0, 700)],
                "weekday_bits": schedule_bits.weekday_bits(),
                "daypart_bits": schedule_bits.daypart_bits(),
                "kind_bits": sum(k.mask or 0 for k in chosen),
                "search_text": search_text,
                "search_tokens": tokens_for(
                    search_text,
                    title_of(name, kana),
                    " ".join(said(t) for t in [description, *said_names]),
                ),
            }
            act_t.add(values)
            for kind in chosen:
                link_t.add({"id": next_id["link"], link_activity: pk, link_kind: kind.pk})
                next_id["link"] += 1
            # What copy_to_places writes: the activity's PLACE_COPIES and whether it is public.
            copies = {
                (f"{c}_id" if c in ("municipality", "area") else c): values[
                    f"{c}_id" if c in ("municipality", "area") else c
                ]
                for c in PLACE_COPIES
            }
            copies["listed"] = status == Status.PUBLISHED and visibility == Visibility.PUBLIC
            for venue, address, lat, lng in places:
                place_t.add(
                    {
                        "id": next_id["place"],
                        "activity_id": pk,
                        "name": venue,
                        "address": address,
                        "latitude": lat,
                        "longitude": lng,
                        **copies,
                    }
                )
                next_id["place"] += 1
            sched_t.add(
                {
                    "id": next_id["schedule"],
                    "activity_id": pk,
                    "frequency": "weekly",
                    "weekdays": schedule_bits.weekdays,
                    "opens_at": hours[opens],
                    "closes_at": hours[opens + 2],
                }
            )
            next_id["schedule"] += 1
        yield tables


def reset_sequences() -> None:
    from django.core.management.color import no_style
    from django.db import connection

    from sasaeai.directory.models import Activity, Place, Schedule

    models = [Activity, Activity.kinds.through, Place, Schedule]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")  # also sets the visibility map, as autovacuum would
        else:
            cursor.execute("ANALYZE")
            fts = "SELECT count(*) FROM directory_activity_fts WHERE directory_activity_fts MATCH ?"
            cursor.execute(fts, ['"体操"'])
            assert cursor.fetchone()[0] > 0, "the FTS index is empty"


if __name__ == "__main__":
    sys.exit(main())
