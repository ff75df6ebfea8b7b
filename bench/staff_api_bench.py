"""How fast the staff API answers at 100,000 activities (goal: a list page p95 <= 30 ms server
time), for the ward's staff, who see every activity, and a region's SC, who see their own.

    .venv/bin/python bench/staff_api_bench.py --db sqlite
    .venv/bin/python bench/staff_api_bench.py --db postgres

The data is the search bench's (search_bench.generate: 100,000 activities of Itabashi), made
here or reused like bench/api_bench.py. Each request carries a personal access token and goes
through the real view, token check, rate limit and access.py included, with django.test.Client.
Prints p50 / p95 / max and the time inside the database per request, and exits 1 when a p95
is over its goal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import api_bench
from search_bench import MUNICIPALITY, analyze, generate, in_scratch_database

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
    args = parser.parse_args()
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


if __name__ == "__main__":
    sys.exit(main())
