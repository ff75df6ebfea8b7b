"""Every list page costs the same few queries, whoever looks and however much it lists.

Over the whole demo (1,037 activities, 23 councils, hundreds of needs, events and referrals),
each list page is opened by people of different reach: the ward's staff, who see all 18
regions, a block's SC (a few regions) and a region's SC (one). A query per row or per area
(N+1) would show twice: as a count far over the cap, which is smaller than the rows the
ward's pages list, and as a ward's page costing more than a region's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sasaeai.accounts.models import User
from sasaeai.core.demo import load_demo
from sasaeai.lib.fiscal import fiscal_year_of

pytestmark = pytest.mark.django_db

MAX_QUERIES = 16  # sessions, the person's memberships and areas, the lists themselves
# The staff home gathers what waits in seven apps, one query per kind whatever the reach
# (core/todo.py; core/tests/test_todo.py holds it to the same count for the ward and a region).
OWN_CAP = {"core:staff_home": MAX_QUERIES + 2}
SAME_WITHIN = 2  # what a role's own look-ups may add (a staff menu, an own region first)
WHO = ["admin", "ward", "block", "sc", "institution"]  # widest reach first
COMPARED = {"admin", "ward", "block", "sc"}  # one page each; an institution sees its own
YEAR = fiscal_year_of(dt.date.today())  # this 年度, for the lists narrowed to one
# Pages with a row per council, region or person: for the ward, more rows than MAX_QUERIES.
TABLES = ["councils_staff:list", "needs_staff:report", "events_staff:attendance_report",
          "budgets_staff:list", "audit:entries"]  # fmt: skip

LIST_PAGES = [
    "core:home", "directory:search", "needs:peers", "referrals:list", "events:public_list",
    "events:public_feed", "core:staff_home", "directory_staff:list",
    "directory_staff:needs_confirming", "directory_staff:proposals", "accounts:members",
    "audit:entries", "councils_staff:list", "needs_staff:list", "needs_staff:report",
    "needs_staff:gap", "needs_staff:helpers", "needs_staff:peers", "surveys_staff:surveys",
    "referrals_staff:list", "referrals_staff:institutions", "referrals_staff:stats",
    "referrals_staff:manage", "events_staff:list", "events_staff:plan",
    "events_staff:attendance_report", "events_staff:history", "events_staff:kinds",
    "events_staff:calendar", "support_staff:list", "support_staff:venues",
    "support_staff:calendar", "budgets_staff:list", "budgets_staff:categories",
    "councils_staff:year_meetings", "councils_staff:year_decisions", "councils_staff:year_actions",
    "events_staff:held", "events_staff:local_list", "network_staff:index",
    # Lists narrowed as the figures' links narrow them (lib/indicators.py).
    f"directory_staff:list?kayoi=1&year={YEAR}&in_year=known",
    f"directory_staff:list?year={YEAR}&in_year=new", "needs_staff:list?dated=met",
    f"support_staff:list?status=&year={YEAR}&in_year=open",
    f"councils_staff:year_actions?year={YEAR}&which=open",
    f"councils_staff:year_meetings?year={YEAR}&sector=resident", "needs_staff:introductions",
    f"needs_staff:introductions?year={YEAR}&outcome=connected",
    f"surveys_staff:surveys?year={YEAR}&in_year=held",
    f"surveys_staff:surveys?year={YEAR}&in_year=answered",
    f"referrals_staff:list?year={YEAR}&in_year=closed",
    f"referrals_staff:list?year={YEAR}&in_year=open",
]  # fmt: skip


def address(page: str) -> str:
    """A list's URL: its route's name, and a query string after "?" if it has one."""
    name, _sep, query = page.partition("?")
    return reverse(name) + (f"?{query}" if query else "")


def test_every_list_page_costs_the_same_few_queries_for_a_ward_as_for_a_region(
    client: Client, settings: Any
) -> None:
    settings.SASAEAI_REQUIRE_MFA = False  # the demo's people sign in without a second factor
    load_demo()
    with connection.cursor() as cursor:
        # PostgreSQL's statistics of these tables were gathered by autovacuum, which cannot see
        # this test's uncommitted rows: the planner would take the demo's tables as empty.
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    costs: dict[str, dict[str, int]] = {name: {} for name in LIST_PAGES}
    rows: dict[str, int] = {}  # table rows the admin sees
    for who in WHO:
        client.force_login(User.objects.get(email=f"{who}@demo.sasaeai.jp"))
        for name in LIST_PAGES:
            with CaptureQueriesContext(connection) as sent:
                response = client.get(address(name))
            if response.status_code == 200:  # others are refused before any list is read
                costs[name][who] = len(sent.captured_queries)
                rows.setdefault(name, response.content.decode().count("<tr"))
    assert all(costs.values()), [name for name, seen in costs.items() if not seen]
    listed = "\n".join(f"{name}: {seen}" for name, seen in costs.items())
    too_many = [
        name for name, seen in costs.items() if max(seen.values()) > OWN_CAP.get(name, MAX_QUERIES)
    ]
    assert not too_many, f"over {MAX_QUERIES} queries: {too_many}\n{listed}"
    uneven = [
        name
        for name, seen in costs.items()
        if (compared := [n for who, n in seen.items() if who in COMPARED])
        and max(compared) > min(compared) + SAME_WITHIN
    ]
    assert not uneven, f"a wider reach costs more queries: {uneven}\n{listed}"
    assert all(rows[name] > MAX_QUERIES for name in TABLES), {name: rows[name] for name in TABLES}
