"""How fast the staff search of know-how cases answers with 10,000 cases (goal: p95 <= 50 ms).

    .venv/bin/python bench/knowhow_search_bench.py --db sqlite
    .venv/bin/python bench/knowhow_search_bench.py --db postgres --pg-database sasaeai_h3b

Creates a fresh database (as bench/search_bench.py: a SQLite file in a temporary folder, or a
PostgreSQL database made and dropped here), migrates it, loads Itabashi's areas, and
bulk-generates published cases over the 18 regions from a small vocabulary (so that common
words hit thousands of cases), with their ★ questions, themes and initiatives and their search
tokens made by the real code (knowhow.search.case_tokens). Then it times the real path: the
case list `/staff/knowhow/cases/` through django.test.Client, signed in as ward staff, for
words of 1, 2 and more characters, kana and width variants, filters and their combinations,
pages 1 and 5. Prints p50 / p95 / max per search, and the p95 of the thread's CPU time (what
a busy machine stretches least: on SQLite it includes the database's work, on PostgreSQL
not); exits 1 when a p95 is over the goal.

    --cases N   how many cases (default 10,000)
    --repeat N  timed requests per search (default 30)
    --keep      keep the database afterwards
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent)]

from search_bench import (  # noqa: E402  (bench/ on the path first)
    PG_SERVER,
    in_scratch_database,
    percentile,
    server_version,
)

ROOT = Path(__file__).resolve().parent.parent
GOAL_MS = 50.0
MUNICIPALITY = "131199"
PG_DATABASE = "sasaeai_knowhow_bench"
assert PG_SERVER  # the same server as the other benches

TOPICS = ["男性が集まる朝の体操", "団地の見守り", "子ども食堂と高齢者", "買い物支援の送迎",
          "サロンの担い手づくり", "防災訓練と見守り", "認知症カフェ", "歩こう会",
          "ラジオ体操の仲間", "商店街の休憩所", "ゴミ出しの助け合い", "スマホ教室"]  # fmt: skip
PLACES = ["集会所で", "公園で", "地域センターで", "商店街で", "団地の広場で", "お寺で"]
SENTENCES = [
    "参加者が12人から25人に増えました。",
    "民生委員と町会長に相談して始めました。",
    "チラシを回覧板で配りました。",
    "男性の参加者が少ないことが課題でした。",
    "お茶の時間をつくると、話がはずみました。",
    "担い手が高齢になり、次の世代をさがしています。",
    "おとしより相談センターと一緒に企画しました。",
    "雨の日の場所が決まっていません。",
]
# (label, query). Words of 1 and 2 characters, kana and width variants, filters, pages.
SEARCHES: list[tuple[str, dict[str, str]]] = [
    ("browse (no query)", {}),
    ("browse page 5", {"page": "5"}),
    ("1 char 茶", {"q": "茶"}),
    ("1 char 会 page 5", {"q": "会", "page": "5"}),
    ("2 chars 体操", {"q": "体操"}),
    ("2 chars 見守", {"q": "見守"}),
    ("kana みまもり", {"q": "みまもり"}),
    ("katakana ミマモリ", {"q": "ミマモリ"}),
    ("half-width ﾐﾏﾓﾘ", {"q": "ﾐﾏﾓﾘ"}),
    ("full-width ｽﾏﾎ→スマホ", {"q": "ｽﾏﾎ"}),
    ("long 担い手づくり", {"q": "担い手づくり"}),
    ("two words 男性 体操", {"q": "男性 体操"}),
    ("no hit ぱんだ", {"q": "ぱんだ"}),
    ("★ question", {"question": "more_members"}),
    ("initiative", {"initiative": "nakama"}),
    ("stage + region", {"stage": "2", "region": "takashimadaira"}),
    ("2 chars + ★ + useful", {"q": "体操", "question": "keep_going", "sort": "useful"}),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--workdir", type=Path, help="folder for the SQLite file (default: temp)")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--pg-database", help=f"PostgreSQL database (default {PG_DATABASE})")
    args = parser.parse_args()
    return in_scratch_database(args, "sasaeai-knowhow-bench-", PG_DATABASE, run)


def run(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from sasaeai.knowhow.models import Case

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if not (args.reuse and Case.objects.exists()):
        generate(args.cases)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"database: {connection.vendor} {server_version()}; {Case.objects.count():,} cases; "
        f"setup {time.perf_counter() - started:.1f} s; load average {load()}"
    )
    return measure(args.repeat)


def generate(count: int, seed: int = 27) -> None:
    """Bulk-create `count` published cases of Itabashi with their tags and search tokens."""
    from django.db import transaction
    from django.utils import timezone

    from sasaeai.areas.loader import load_areas
    from sasaeai.areas.models import Area, AreaKind
    from sasaeai.knowhow.models import Case, CaseInitiative, CaseQuestion, Question
    from sasaeai.knowhow.search import case_tokens
    from sasaeai.knowhow.services import ensure_themes
    from sasaeai.progress.models import Initiative

    rng = random.Random(seed)
    load_areas(ROOT / "data" / "areas" / "itabashi.csv")
    town = Area.objects.municipalities().get(code=MUNICIPALITY)
    regions = list(Area.objects.of(town).filter(kind=AreaKind.REGION))
    themes = list(ensure_themes(town))

    @functools.cache
    def tokens(title: str, region: int, steps: str, results: str) -> str:
        probe = Case(title=title, area=regions[region], steps=steps, results=results)
        return case_tokens(probe)

    now = timezone.now()
    with transaction.atomic():
        made = []
        for n in range(count):
            title = f"{rng.choice(PLACES)}{rng.choice(TOPICS)}"
            region = rng.randrange(len(regions))
            steps, results = rng.choice(SENTENCES), rng.choice(SENTENCES)
            made.append(Case(
                municipality=town, area=regions[region], title=title,
                happened_on=dt.date(2020, 4, 1) + dt.timedelta(days=rng.randrange(2400)),
                stage=rng.randint(1, 3), steps=steps, results=results, status="published",
                audience="public" if n % 3 == 0 else "staff", published_at=now,
                useful_count=rng.randrange(20), search_tokens=tokens(title, region, steps, results),
            ))  # fmt: skip
        cases = Case.objects.bulk_create(made, batch_size=2000)
        stars = [CaseQuestion(case=c, question=q) for c in cases
                 for q in rng.sample(Question.values, rng.randint(1, 2))]  # fmt: skip
        CaseQuestion.objects.bulk_create(stars, batch_size=5000)
        taken = [CaseInitiative(case=c, initiative=rng.choice(Initiative.values)) for c in cases]
        CaseInitiative.objects.bulk_create(taken, batch_size=5000)
        through = Case.themes.through
        tagged = [through(case_id=c.pk, theme_id=rng.choice(themes).pk) for c in cases]
        through.objects.bulk_create(tagged, batch_size=5000)


def measure(repeat: int) -> int:
    from django.test import Client

    from sasaeai.accounts.models import Role
    from sasaeai.test import make_user

    client = Client()
    from sasaeai.accounts.models import User

    email = "bench-ward@example.jp"  # made by an earlier run when --reuse
    ward = User.objects.filter(email=email).first()
    client.force_login(ward or make_user(email, Role.WARD_STAFF, MUNICIPALITY))
    header = f"{'search':<28}{'hits':>8}  {'p50':>6} {'p95':>6} {'max':>6} {'cpu95':>6}"
    print(header + "\n" + "-" * len(header))
    worst = 0.0
    for label, params in SEARCHES:
        for _ in range(2):  # warm up
            response = client.get("/staff/knowhow/cases/", params)
            assert response.status_code == 200, (label, response.status_code)
        spent, cpu = [], []
        for _ in range(repeat):
            started, used = time.perf_counter(), time.thread_time()
            response = client.get("/staff/knowhow/cases/", params)
            spent.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - used) * 1000)
        found = re.search(r"([\d,]+) 件見つかりました", response.content.decode())
        hits = int(found.group(1).replace(",", "")) if found else -1
        p95 = percentile(spent, 95)
        worst = max(worst, p95)
        print(f"{label:<28}{hits:>8,}  {statistics.median(spent):>6.1f} {p95:>6.1f} "
              f"{max(spent):>6.1f} {percentile(cpu, 95):>6.1f}"
              + ("  <-- over goal" if p95 > GOAL_MS else ""))  # fmt: skip
    from django.db import connection

    verdict = "PASS" if worst <= GOAL_MS else "FAIL"
    print(f"verdict ({connection.vendor}): {verdict} — worst p95 {worst:.1f} ms "
          f"(goal {GOAL_MS:.0f} ms, {repeat} requests per search; "
          f"load average {load()})")  # fmt: skip
    return 0 if verdict == "PASS" else 1


def load() -> str:
    """The machine's load average (1, 5, 15 minutes): a wall time is only as good as it."""
    return " ".join(f"{n:.2f}" for n in os.getloadavg())


if __name__ == "__main__":
    raise SystemExit(main())
