"""How long importing 10,000 activity rows takes (the goal is under 60 s).

    .venv/bin/python bench/import_bench.py                  # a throwaway SQLite file
    .venv/bin/python bench/import_bench.py --good-rows-only # commit mode "good rows only"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sasaeai_bench \\
        .venv/bin/python bench/import_bench.py --configured-db   # writes into that database

Generates a CSV of new activities spread over Itabashi's regions into a temporary folder,
imports it the way the staff page and `manage.py import_activities` do (read, check every
row, commit all or nothing, or with --good-rows-only the good rows), then exports everything
and re-imports the export (every row an update), first unchanged and then with every row
changed. Prints the seconds of each step.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCHEDULES = [
    "毎週水曜 14:00〜16:00",
    "毎週月・木曜 10:00〜12:00",
    "毎月第2水曜 13:30〜15:00",
    "毎月15日 10:00〜",
    "不定期（公園の清掃に合わせて）",
    "毎週火曜 09:30〜11:00／毎月第4土曜 13:00〜15:00",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument(
        "--configured-db", action="store_true", help="use DATABASE_URL instead of a temp SQLite"
    )
    parser.add_argument(
        "--good-rows-only",
        action="store_true",
        help='commit mode "good rows only" instead of "all or nothing"',
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="sasaeai-bench-"))
    os.environ.setdefault("SASAEAI_TESTING", "1")  # a secret key without one in the environment
    os.environ["SASAEAI_VAR_DIR"] = str(folder)
    if not args.configured_db:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "sasaeai.settings"
    sys.path.insert(0, str(ROOT))
    try:
        return run(args.rows, folder, all_or_nothing=not args.good_rows_only)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(count: int, folder: Path, *, all_or_nothing: bool) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from sasaeai.areas.loader import load_areas
    from sasaeai.areas.models import Area, AreaKind
    from sasaeai.directory import transfer
    from sasaeai.directory.models import Activity, Kind

    call_command("migrate", verbosity=0)
    load_areas(ROOT / "data" / "areas" / "itabashi.csv")
    itabashi = Area.objects.municipalities().get(code="131199")
    regions = list(Area.objects.of(itabashi).filter(kind=AreaKind.REGION))
    kinds = list(Kind.objects.of(itabashi).values_list("name", flat=True))
    path = folder / "activities.csv"
    rows = [
        [values.get(c, "") for c in transfer.COLUMNS] for values in generate(count, regions, kinds)
    ]
    path.write_bytes(transfer.write(rows, "csv"))  # UTF-8 with its BOM
    before = Activity.objects.count()
    mode = "all or nothing" if all_or_nothing else "good rows only"
    print(f"database: {connection.vendor}; {count:,} rows, {path.stat().st_size:,} bytes of CSV")
    print(f"commit mode: {mode}")

    started = time.perf_counter()
    source = transfer.read_file(path.read_bytes(), path.name)
    read = time.perf_counter()
    report = transfer.import_rows(itabashi, source, commit=True, all_or_nothing=all_or_nothing)
    done = time.perf_counter()
    assert report.committed and report.created == count, [r.errors for r in report.bad][:3]
    print(f"import of {count:,} new rows: {done - started:.1f} s (reading {read - started:.1f} s)")

    activities = Activity.objects.filter(pk__in=[r.activity_id for r in report.rows])
    started = time.perf_counter()
    exported = transfer.write(transfer.export_rows(activities), "xlsx")
    exported_at = time.perf_counter()
    print(f"export of {count:,} rows to .xlsx: {exported_at - started:.1f} s")
    source = transfer.read_file(exported, "activities.xlsx")
    report = transfer.import_rows(itabashi, source, commit=True, all_or_nothing=all_or_nothing)
    done = time.perf_counter()
    assert report.committed and report.unchanged == count
    print(f"re-import of that export (nothing to change): {done - exported_at:.1f} s")

    for row in source:  # every row changed: a new name, another schedule, one place fewer
        row.values["活動名"] += "（改）"
        row.values["日程"] = "毎週金曜 10:00〜11:30"
        row.values |= {"場所名": "", "郵便番号": "", "住所": "", "緯度": "", "経度": ""}
    started = time.perf_counter()
    report = transfer.import_rows(itabashi, source, commit=True, all_or_nothing=all_or_nothing)
    done = time.perf_counter()
    assert report.committed and report.updated == count
    print(f"import of {count:,} changed rows (updates): {done - started:.1f} s")
    assert Activity.objects.count() == before + count
    return 0


def generate(count: int, regions: list[Any], kinds: list[str]) -> list[dict[str, str]]:
    """Plausible, varied rows (seeded, so every run imports the same file)."""
    rng = random.Random(20250401)
    rows = []
    for n in range(count):
        region = rng.choice(regions)
        rows.append(
            {
                "地域コード": region.code,
                "活動名": f"{region.name}の{rng.choice(['サロン', '体操', 'お茶会', '見守り'])}{n}",
                "よみがな": f"かつどう{n}",
                "活動の内容": "地域の方が集まって、おしゃべりや体操をしています。"
                * rng.randint(1, 4),
                "種類": "、".join(rng.sample(kinds, rng.randint(1, 3))),
                "運営団体": f"{region.name}町会{n % 40}",
                "状態": rng.choice(["公開中", "下書き", "休止中"]),
                "参加費": rng.choice(["", "100円", "300円（お茶代）"]),
                "無料": rng.choice(["はい", "いいえ"]),
                "定員": str(rng.randint(5, 40)),
                "連絡先名": "山田",
                "電話": "03-1234-5678",
                "連絡先公開": "いいえ",
                "場所名": f"{region.name}集会所",
                "住所": f"板橋区{region.name}1-{n % 30 + 1}",
                "緯度": f"{(region.latitude or 35.75) + rng.uniform(-0.01, 0.01):.6f}",
                "経度": f"{(region.longitude or 139.7) + rng.uniform(-0.01, 0.01):.6f}",
                "日程": rng.choice(SCHEDULES),
                "最終確認日": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            }
        )
    return rows


if __name__ == "__main__":
    sys.exit(main())
