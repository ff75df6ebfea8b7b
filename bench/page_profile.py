"""Where each public page's time goes: framework, middleware, database, template, Python.

    .venv/bin/python bench/page_profile.py --database-url sqlite:////tmp/demo.sqlite3

The pages of `bench/instructions.py --pages` (`make run`'s demo: load it with `manage.py
load_demo` into a scratch database, and `collectstatic`), each through the WSGI handler as
granian calls it, in production settings, after two warm-ups of every page; then `--requests`
(50) requests per page under a profiler that charges every moment to a part of the code:

- **middleware**: the middleware classes of settings.MIDDLEWARE and what they call (the
  session and the user they load, the CSP header, compression, …);
- **framework**: Django's request handling around them — the WSGI handler (with the request
  and response objects it makes), URL resolving, the view's dispatch;
- **ORM: writing SQL**: the query compiler (`django/db/models/sql/`), the expressions and
  lookups it walks;
- **database**: the database driver and Django's backend (the statement run, rows fetched);
- **ORM: rows into objects**: querysets and models (`django/db/models/`, but for the SQL);
- **template**: Django's template engine and template tags, and the forms' widgets it draws;
- **view: Python**: our own code (`sasaeai/`: views, building rows, context processors) and the
  rest (allauth, the standard library) when nothing above called it.

A function in no part of its own (`django/utils/`, `django/http/`, signals, the standard
library, builtins) is charged to the part that called it: an escape in a template is template
time, a header a middleware sets is the middleware's. The profiler (`sys.setprofile`) adds
its own cost to every call, so the shares lean towards code that makes many small calls; they
are shares, not times. Compare `bench/instructions.py --pages` for the counts.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

PARTS = ("framework", "middleware", "ORM: writing SQL", "database", "ORM: rows into objects",
         "template", "view: Python")  # fmt: skip
INHERIT = None  # a function charged to its caller's part

# (a piece of the file's path, its part): the first that matches decides.
RULES: list[tuple[str, str | None]] = [
    ("/django/middleware/", "middleware"),
    ("/django/contrib/sessions/", "middleware"),
    ("/django/contrib/auth/middleware", "middleware"),
    ("/django/contrib/messages/", "middleware"),
    ("/whitenoise/", "middleware"),
    ("/axes/", "middleware"),
    ("/django_htmx/", "middleware"),
    ("/allauth/account/middleware", "middleware"),
    ("/allauth/core/context", "middleware"),
    ("/sasaeai/lib/client_address", "middleware"),
    ("/sasaeai/lib/public_cache", "middleware"),
    ("/sasaeai/lib/storage", "middleware"),
    ("/sasaeai/lib/site_middleware", "middleware"),
    ("/sasaeai/areas/middleware", "middleware"),
    ("/sasaeai/audit/middleware", "middleware"),
    ("/sasaeai/accounts/middleware", "middleware"),
    ("/django/db/models/sql/", "ORM: writing SQL"),
    ("/django/db/models/expressions", "ORM: writing SQL"),
    ("/django/db/models/lookups", "ORM: writing SQL"),
    ("/django/db/models/functions/", "ORM: writing SQL"),
    ("/django/db/models/fields/", "ORM: rows into objects"),
    ("/django/db/backends/", "database"),
    ("/psycopg/", "database"),
    ("/django/db/models/", "ORM: rows into objects"),
    ("/django/db/", "database"),
    ("/django/template/", "template"),
    ("/django/templatetags/", "template"),
    ("/templatetags/", "template"),
    ("/django/forms/", "template"),
    ("/django/core/handlers/", "framework"),
    ("/django/urls/", "framework"),
    ("/django/views/", "framework"),
    ("/sasaeai/", "view: Python"),
    ("/allauth/", "view: Python"),
    ("/django/utils/", INHERIT),
    ("/django/", INHERIT),
]


def part_of(filename: str, cache: dict[str, str | None] = {}) -> str | None:  # noqa: B006
    found = cache.get(filename, "?")
    if found != "?":
        return found
    part: str | None = INHERIT
    for piece, rule in RULES:
        if piece in filename:
            part = rule
            break
    cache[filename] = part
    return part


def profile(function: Any) -> Counter[str]:
    """Run `function()`, charging each moment to the part of the innermost function that has
    one (its own, else its caller's)."""
    shares: Counter[str] = Counter()
    stack: list[str] = ["framework"]
    clock = time.perf_counter_ns
    last = clock()

    def tracer(frame: Any, event: str, arg: Any) -> None:
        nonlocal last
        now = clock()
        shares[stack[-1]] += now - last
        if event == "call":
            stack.append(part_of(frame.f_code.co_filename) or stack[-1])
        elif event == "c_call":
            own = stack[-1]
            if type(getattr(arg, "__self__", None)).__module__ == "sqlite3":
                own = "database"
            stack.append(own)
        elif event in ("return", "c_return", "c_exception") and len(stack) > 1:
            stack.pop()
        last = clock()

    sys.setprofile(tracer)
    try:
        function()
    finally:
        sys.setprofile(None)
    return shares


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="the demo's database")
    parser.add_argument("--requests", type=int, default=50, help="profiled requests per page")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    import instructions

    get = instructions.wsgi_getter()
    for path in instructions.PAGES.values():  # warm-up: memos, template caches, connection
        for _ in range(2):
            get(path)
    print("| page | " + " | ".join(PARTS) + " |")
    print("|---|" + "---|" * len(PARTS))
    for name, path in instructions.PAGES.items():

        def run(path: str = path) -> None:
            for _ in range(args.requests):
                get(path)

        shares = profile(run)
        total = sum(shares.values()) or 1
        cells = [f"{shares[p] * 100 / total:.0f} %" for p in PARTS]
        print(f"| {name} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
