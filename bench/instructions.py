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

    .venv/bin/python bench/instructions.py --pages --database-url sqlite:////tmp/demo.sqlite3

`--pages` counts the public pages of `make run`'s demo instead (load it with `manage.py
load_demo` into a scratch database, and `collectstatic`): the app's floor (a 405 through every
middleware), an activity page, two searches, home and a region, each through the WSGI handler
as granian calls it, `--requests` (5) times after two warm-ups of every page. One process
under callgrind counts them all: it counts only inside `operator.call` (which nothing else in
a request calls), and dumps after each page.
"""

# ruff: noqa: S603  (a harness: it runs valgrind on itself)
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"])
    parser.add_argument("--name", help="a database made by bench/dataset.py")
    parser.add_argument("--passes", type=int, default=2, help="passes of the mix counted")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)  # the counted process
    parser.add_argument("--pages", action="store_true", help="the demo's public pages instead")
    parser.add_argument("--database-url", help="with --pages: the demo's database")
    parser.add_argument("--requests", type=int, default=5, help="with --pages: per page")
    parser.add_argument("--serve-pages", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_pages:
        serve_pages(args.requests)
        return 0
    if args.pages:
        return count_pages(args)
    if not args.db or not args.name:
        parser.error("--db and --name are needed (or --pages)")
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


# The demo's public pages (--pages): name → path.
PAGES = {
    "floor": "/prefs/text-size/",  # GET where only POST is allowed: 405, no template, no query
    "activity": "/activities/15/",
    "search サロン": "/activities/?q=%E3%82%B5%E3%83%AD%E3%83%B3",
    "search 体操 + 水曜": "/activities/?q=%E4%BD%93%E6%93%8D&weekday=3",
    "home": "/",
    "region": "/areas/takashimadaira/",
}


def count_pages(args: argparse.Namespace) -> int:
    """Instructions per request of each page, from one run under callgrind (a dump per page)."""
    import tempfile

    if not args.database_url:
        raise SystemExit("--pages needs --database-url (the demo's database)")
    env = {**os.environ, "PYTHONHASHSEED": "0", "DATABASE_URL": args.database_url}
    with tempfile.TemporaryDirectory(prefix="sasaeai-instructions-") as folder:
        out = Path(folder) / "callgrind.out"
        command = ["valgrind", "--tool=callgrind", "--collect-atstart=no",
                   "--toggle-collect=_operator_call", "--dump-after=_operator_call",
                   f"--callgrind-out-file={out}", sys.executable, __file__, "--serve-pages",
                   "--requests", str(args.requests)]  # fmt: skip
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"the counted process failed:\n{done.stderr[-2000:]}")
        dumps = sorted(Path(folder).glob("callgrind.out.*"), key=lambda p: int(p.suffix[1:]))
        for name, dump in zip(PAGES, dumps, strict=True):
            found = re.search(r"^(?:summary|totals): (\d+)", dump.read_text(), re.MULTILINE)
            assert found, dump
            per_request = int(found.group(1)) / args.requests
            print(f"{name}: {per_request / 1e6:.2f} million instructions per request")
    return 0


def wsgi_getter() -> Callable[[str], str]:
    """Django set up with production settings (DEBUG off); a function that GETs a path through
    the WSGI handler as granian calls it and returns the status line (also bench/page_profile)."""
    import io
    import types
    import urllib.parse

    os.environ.update(DEBUG="0", SECRET_KEY="bench-" + "x" * 50, ALLOWED_HOSTS="127.0.0.1",
                      SECURE_SSL_REDIRECT="0", SECURE_COOKIES="0", SECURE_HSTS_SECONDS="0",
                      SASAEAI_REQUIRE_MFA="0", SASAEAI_DEFAULT_MUNICIPALITY="131199",
                      DJANGO_SETTINGS_MODULE="sasaeai.settings")  # fmt: skip
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    from sasaeai.lib import memo

    # Memos stay fresh, as under load: under callgrind a request takes 50 times longer, and a
    # memo that expired in one run and not in the other counted its query against the code.
    memo.time = types.SimpleNamespace(monotonic=lambda: 0.0)  # type: ignore[assignment]
    app = WSGIHandler()

    def get(path: str) -> str:
        url = urllib.parse.urlsplit(path)
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": url.path, "QUERY_STRING": url.query,
                   "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1",
                   "REMOTE_ADDR": "127.0.0.1", "wsgi.input": io.BytesIO(), "wsgi.url_scheme":
                   "http", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.errors": sys.stderr}  # fmt: skip
        status: list[str] = []
        b"".join(app(environ, lambda s, h, e=None: status.append(s)))  # type: ignore[arg-type]
        assert status[0][:3] in ("200", "405"), (path, status[0])
        return status[0]

    return get


def serve_pages(requests: int) -> None:
    """The counted process of --pages: production settings (DEBUG off), the WSGI handler."""
    import operator

    get = wsgi_getter()
    for path in PAGES.values():  # warm-up: memos, template caches, the connection
        for _ in range(2):
            assert get(path)[:3] in ("200", "405"), (path, get(path))

    def run(path: str) -> None:
        for _ in range(requests):
            get(path)

    for path in PAGES.values():
        operator.call(run, path)  # counted: callgrind's --toggle-collect=_operator_call


if __name__ == "__main__":
    sys.exit(main())
