"""Instructions per search page: the search mix through the view, counted by valgrind's callgrind.

    .venv/bin/python bench/instructions.py --db sqlite --name sasaeai_benchsuite_1000000x50_100000

A count of instructions does not change with the machine's share of its CPU, which on these
shared machines moves timings by ±30 % within minutes and by 2–3 times from one machine to the
next. So it is how to compare two versions of the code on a noisy machine: run this in each
checkout (a `git worktree` of the old commit, with its `bench/.cache` linked to this one's), on
the same data. On SQLite the database runs inside the process, so the count covers its work
too; on PostgreSQL it counts the app's side only.

Python's own start, Django's setup and one warm-up pass of the mix (memos, caches, the
connection) are left out: the process runs twice, with 0 and with `--passes` timed passes, and
the difference is divided by the pages served. Under callgrind Python runs about 50 times
slower: with the default 2 passes this takes 5–10 minutes. Not part of `make bench`.
"""

# ruff: noqa: S603  (a harness: it runs valgrind on itself)
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--name", required=True, help="a database made by bench/dataset.py")
    parser.add_argument("--passes", type=int, default=2, help="passes of the mix counted")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)  # the counted process
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.db, args.name, args.serve)
        return 0
    from search_bench import SEARCHES

    base, counted = (count(args, passes) for passes in (0, args.passes))
    pages = args.passes * len(SEARCHES)
    print(f"{args.db}: {(counted - base) / pages / 1e6:.2f} million instructions per search page "
          f"({pages} pages: {args.passes} passes of {len(SEARCHES)} searches)")  # fmt: skip
    return 0


def count(args: argparse.Namespace, passes: int) -> int:
    """Instructions of one run of this script with `passes` passes of the mix, under callgrind."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
               __file__, "--db", args.db, "--name", args.name, "--serve", str(passes)]  # fmt: skip
    env = {**os.environ, "PYTHONHASHSEED": "0"}  # the same dicts and sets in every run
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"callgrind printed no count:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def serve(db: str, name: str, passes: int) -> None:
    import dataset

    dataset.configure(db, name)
    import django

    django.setup()
    from django.test import Client
    from search_bench import SEARCHES

    client = Client()
    for _ in range(passes + 1):  # the first pass warms up, and is in both counts
        for label, params in SEARCHES:
            response = client.get("/activities/", params)
            assert response.status_code == 200, (label, response.status_code)


if __name__ == "__main__":
    sys.exit(main())
