"""What the URL sweep walks (test_url_sweep.py, test_bad_input.py): every route of the URL
configuration, one object of every kind a route names in four places (built by
sweep_build.py), and who holds each place.

The routes come from the resolver; `BY_ROUTE` and `BY_NAMESPACE` say which object each URL
keyword names. A route with a keyword they cannot answer is listed by `unfilled()`, and the
sweep fails naming it, so a new route cannot slip past.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.signals import got_request_exception
from django.db import connection, models
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from sasaeai.accounts.models import Membership, User

# Routes the sweep leaves alone, each with the reason (matched on the start of the route).
# Static files have no route: WhiteNoise serves them before URL resolution.
SKIPPED = {
    "admin/": "Django's admin site: superusers only, and its permissions are Django's own",
    "accounts/": "allauth's sign-in, sign-up and two-step pages: they address no area's objects",
}
# Routes whose key is a token, not a session: swept with tokens by their own tests, with the
# same places and roles (tests/test_api_sweep.py); test_gates still checks their gate.
BY_TOKEN = ("api/staff/",)

# The four places every object is built in: the own region of the "sc", "member" and
# "institution" users (高島平, 赤塚 block), another region of the same block, a region of another
# block (板橋, where "other_sc" works) and a region of another municipality.
PLACES = {
    "own": "takashimadaira",
    "same_block": "tokumaru",
    "other_block": "itabashi",
    "other_town": "minami-jhs",
}
# A word written into each object's text: a page that shows it to someone who holds nothing
# over its place has leaked it (the other town's kinds and categories carry none: they are
# seeded with the same names everywhere).
MARKERS = {place: f"zq{place.replace('_', '')}qz" for place in PLACES}


# Which kind of object each URL keyword names: by route name first, then by namespace.
def _each(namespace: str, names: str, kinds: dict[str, str]) -> dict[str, dict[str, str]]:
    return {f"{namespace}:{name}": kinds for name in names.split()}


BY_ROUTE: dict[str, dict[str, str]] = {
    "api:service": {"id": "hsds_service"},
    "api:organization": {"id": "hsds_organization"},
    "api:taxonomy": {"id": "hsds_taxonomy"},
    "api:taxonomy_term": {"id": "hsds_taxonomy_term"},
    "api:service_at_location": {"id": "hsds_service_at_location"},
    "directory:photo": {"pk": "activity", "name": "photo_name"},
    "directory_staff:proposal_decide": {"pk": "proposal"},
    "councils_staff:member_edit": {"pk": "council_member"},
    **_each(
        "councils_staff",
        "meeting meeting_edit agenda_new attendance action_new minutes_edit print pdf photo_add",
        {"pk": "meeting"},
    ),
    "councils_staff:summary": {"pk": "approved_meeting"},
    "councils_staff:agenda_edit": {"pk": "agenda_item"},
    "councils_staff:photo_remove": {"pk": "meeting_photo"},
    "councils_staff:photo": {"pk": "meeting_photo", "name": "meeting_photo_name"},
    **_each("councils_staff", "action_edit action_status", {"pk": "action_item"}),
    **_each("councils_staff", "minutes approve correct", {"pk": "minutes"}),
    "needs_staff:introduction_outcome": {"pk": "introduction"},
    **_each("needs_staff", "helper helper_edit helper_remove helper_introduce", {"pk": "helper"}),
    **_each("needs_staff", "peer_edit peer_delete", {"pk": "peer_call"}),
    **_each("needs_staff", "paper_sheet paper_pdf", {"pk": "need_sheet"}),
    "needs_staff:paper_scan": {"pk": "need_sheet", "name": "need_sheet_name"},
    **_each(
        "surveys_staff",
        "survey survey_edit survey_publish survey_close survey_results survey_export survey_paper",
        {"pk": "survey"},
    ),
    **_each(
        "surveys_staff",
        "question_edit question_delete question_up question_down",
        {"pk": "question"},
    ),
    "surveys_staff:question_new": {"survey_pk": "draft_survey"},
    "surveys_staff:answer_to_need": {"pk": "answer"},
    **_each("referrals_staff", "edit send", {"pk": "draft_referral"}),
    "referrals_staff:resend": {"pk": "returned_referral"},
    **_each("referrals_staff", "institution_edit institution_staff", {"pk": "institution"}),
    "referrals_staff:staff_remove": {"pk": "institution_staff"},
    "referrals_staff:kind_edit": {"pk": "institution_kind"},
    "referrals_staff:paper_sheet": {"pk": "referral_sheet"},
    "referrals_staff:paper_scan": {"pk": "referral_sheet", "name": "referral_sheet_name"},
    **_each("events_staff", "delete publish", {"pk": "draft_event"}),
    "events_staff:material": {"pk": "material"},
    "events_staff:person": {"pk": "person"},
    "events_staff:kind_edit": {"pk": "event_kind"},
    **_each(
        "events_staff",
        "local_detail local_edit local_call_off local_signup_add local_signups_pdf local_flyer",
        {"pk": "local_event"},
    ),
    **_each("events_staff", "local_delete local_publish", {"pk": "local_draft"}),
    "events_staff:local_signup_cancel": {"pk": "local_signup"},
    "events_staff:paper_print": {"pk": "local_event"},
    "events_staff:paper_sheet": {"pk": "event_sheet"},
    "events_staff:paper_scan": {"pk": "event_sheet", "name": "event_sheet_name"},
    **_each("support_staff", "venue venue_edit book", {"pk": "venue"}),
    "support_staff:cancel": {"pk": "booking"},
    "budgets_staff:category_edit": {"pk": "expense_category"},
    **_each(
        "progress_staff", "milestone_edit milestone_reach milestone_unreach", {"pk": "milestone"}
    ),
    "network_staff:remove": {"pk": "network_member"},
    "confirm_staff:season": {"pk": "confirm_season"},
    "confirm_staff:reissue": {"pk": "confirm_request"},
    "knowhow_staff:useful": {"pk": "published_case"},
    "knowhow:case": {"pk": "published_case"},
    **_each(
        "knowhow_staff",
        "question question_edit question_delete question_hide answer_new helpful",
        {"pk": "knowhow_question"},
    ),
    **_each("knowhow_staff", "answer_edit answer_delete answer_hide", {"pk": "knowhow_answer"}),
    "knowhow_staff:block": {"code": "area"},
    **_each("knowhow_staff", "chart chart_tally chart_screen chart_close", {"pk": "forum_chart"}),
    **_each(
        "knowhow_staff", "photo photo_remove", {"photo": "case_photo", "name": "case_photo_name"}
    ),
    **_each("knowhow_staff", "file file_remove", {"file": "case_file"}),
    # Sharing beyond the municipality: the sweep's cases and questions are not shared, so
    # another town's are refused like any other (knowhow/tests/test_sharing.py shares them).
    **_each(
        "knowhow_staff",
        "shared_case share_ask share_approve share_refuse share_withdraw",
        {"pk": "published_case"},
    ),
    "knowhow_staff:shared_photo": {
        "pk": "published_case",
        "photo": "public_case_photo",
        "name": "public_case_photo_name",
    },
    **_each(
        "knowhow_staff",
        "shared_question question_share_ask question_share_approve question_share_refuse "
        "question_share_withdraw",
        {"pk": "knowhow_question"},
    ),
    "knowhow:photo": {
        "pk": "published_case",
        "photo": "public_case_photo",
        "name": "public_case_photo_name",
    },
}
BY_NAMESPACE: dict[tuple[str, str], str] = {
    ("areas", "code"): "area",
    ("directory", "pk"): "activity",
    ("directory_staff", "pk"): "activity",
    ("accounts", "pk"): "membership",
    ("councils_staff", "pk"): "council",
    ("surveys", "token"): "survey_token",
    ("needs_staff", "pk"): "need",
    ("needs_staff", "activity_pk"): "activity",
    ("referrals", "pk"): "institution",
    ("referrals_staff", "pk"): "referral",
    ("events", "token"): "calendar_token",
    ("events", "pk"): "local_event",
    ("events_staff", "pk"): "event",
    ("support_staff", "pk"): "support_request",
    ("budgets_staff", "council_pk"): "council",
    ("budgets_staff", "year"): "fiscal_year",
    ("budgets_staff", "pk"): "expense",
    ("progress_staff", "pk"): "goal",
    ("progress_staff", "code"): "area",
    ("booklets", "pk"): "booklet",
    ("booklets", "code"): "area",
    ("reports_staff", "code"): "area",
    ("reports_staff", "year"): "fiscal_year",
    ("contacts_staff", "code"): "area",
    ("network_staff", "code"): "area",
    ("network_staff", "pk"): "network_message",
    ("network", "token"): "network_token",
    ("confirm_staff", "pk"): "confirm_batch",
    ("confirm", "code"): "confirm_code",
    ("knowhow_staff", "pk"): "knowhow_case",
}
# Kinds kept by the municipality, not by a region: every place of it shares them.
MUNICIPAL = {"institution", "institution_kind", "institution_staff", "event_kind",
             "expense_category", "hsds_taxonomy", "hsds_taxonomy_term",
             "published_case", "knowhow_question", "knowhow_answer",
             "public_case_photo", "public_case_photo_name",
             "confirm_season"}  # fmt: skip
# Keywords that name no object (the same value in every place).
PLAIN = {"fiscal_year"}

KWARG = re.compile(r"<(?:\w+:)?(\w+)>")


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    kwargs: tuple[str, ...]

    @property
    def staff(self) -> bool:
        """Staff pages live under /staff/; everything else is the public site."""
        return self.route.startswith("staff/")

    def kinds(self) -> dict[str, str | None]:
        """The kind of object each keyword names (None: the tables do not say)."""
        by_route = BY_ROUTE.get(self.name, {})
        namespace = self.name.split(":")[0]
        return {k: by_route.get(k) or BY_NAMESPACE.get((namespace, k)) for k in self.kwargs}

    def object_kinds(self) -> set[str]:
        return {k for k in self.kinds().values() if k and k not in PLAIN}

    def path(self, values: dict[str, str]) -> str:
        """The path with each keyword filled from `values` (kind -> value)."""
        kinds = self.kinds()
        return "/" + KWARG.sub(lambda m: values[kinds[m.group(1)] or ""], self.route)


def _patterns(resolver: URLResolver, prefix: str = "", ns: str = "") -> Iterator[tuple[str, str]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{ns}{entry.namespace}:" if entry.namespace else ns
            yield from _patterns(entry, prefix + str(entry.pattern), namespace)
        elif isinstance(entry, URLPattern):
            yield f"{ns}{entry.name or ''}", prefix + str(entry.pattern)


def routes(skipped: bool = False) -> list[Route]:
    """Every route of the URL configuration but the SKIPPED ones (or only those)."""
    return [
        Route(name, route, tuple(KWARG.findall(route)))
        for name, route in _patterns(get_resolver())
        if route.startswith(tuple(SKIPPED)) == skipped and not route.startswith(BY_TOKEN)
    ]


def unfilled(all_routes: list[Route]) -> list[str]:
    """Routes written as regular expressions, or with a keyword the tables cannot fill."""
    return [
        f"{r.name} ({r.route})"
        for r in all_routes
        if r.route.startswith("^") or None in r.kinds().values()
    ]


def related(a: str, b: str) -> bool:
    """Whether one of two area paths is the other or lies below it."""
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")


@dataclass
class World:
    users: dict[str, User]
    # place -> kind -> the object, and the value that names it in a URL
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    # place -> users who hold a role there and nowhere else (its SC, its institution's staff)
    locals: dict[str, list[User]] = field(default_factory=dict)
    # place -> (path of its region, path of its municipality)
    homes: dict[str, tuple[str, str]] = field(default_factory=dict)

    def foreign(self, user: User | None, route: Route) -> set[str]:
        """The places whose objects `user` must not reach through `route`.

        A role on an area covers it and everything below; some things kept above a region
        (its municipality's kinds, the events for every SC) are seen from below, so a place is
        foreign only when neither lies under the other. The public site shows everything public
        of the municipality whose host it is (Itabashi here), so there only the other town is
        foreign, and only to those who hold nothing there.
        """
        memberships = Membership.objects.filter(user=user) if user else Membership.objects.none()
        held = [m.area.path for m in memberships.select_related("area")]
        kinds = route.object_kinds()
        municipal = bool(kinds) and kinds <= MUNICIPAL
        found = {
            place
            for place, (region, root) in self.homes.items()
            if not any(related(root if municipal else region, path) for path in held)
        }
        if not route.staff:
            found &= {p for p, (_, root) in self.homes.items() if root != self.homes["own"][1]}
        return found

    def all_objects(self, places: set[str], kinds: set[str] | None = None) -> list[models.Model]:
        return [
            obj
            for place in places
            for kind, obj in self.objects[place].items()
            if isinstance(obj, models.Model) and (kinds is None or kind in kinds)
        ]


# Rows written by any request, by signing in or by rate limits: bookkeeping, not domain data.
UNCOUNTED = {"audit.AuditEntry", "sessions.Session", "lib.HourlyCount"}


def fingerprint(objects: list[models.Model], counts: bool = True) -> dict[str, Any]:
    """Every field of `objects` and (with `counts`) the row counts of every table but the
    UNCOUNTED: what a refused request must leave as it was."""
    found: dict[str, Any] = dict(_counts()) if counts else {}
    pks: dict[type[models.Model], list[Any]] = {}
    for obj in objects:
        pks.setdefault(type(obj), []).append(obj.pk)
    for model, keys in pks.items():
        for row in model._default_manager.filter(pk__in=keys).values():
            found[f"{model._meta.label} {row['id']}"] = row
    return found


def _counts() -> list[tuple[str, int]]:
    tables = [
        m._meta.db_table
        for m in apps.get_models()
        if m._meta.label not in UNCOUNTED and m._meta.managed and not m._meta.proxy
    ]
    quote = connection.ops.quote_name
    # Table names from the models' own metadata, quoted: nothing from outside.
    sql = " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM {quote(t)}" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return list(cursor.fetchall())


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What differs between two fingerprints, named (a table's count, or an object's fields)."""
    found = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            fields = sorted(f for f in old if old[f] != new.get(f))
            found.append(f"{key}: {', '.join(fields)} changed")
        else:
            found.append(f"{key}: {old} -> {new}")
    return found


# Requesting -----------------------------------------------------------------------------------

SENT: Counter[str] = Counter()  # requests made, by module, for the figures the tests report
REPORT: list[str] = []  # those figures, shown at the end of the run (conftest.py)


def client_for(user: User | None, host: str = "testserver") -> Client:
    """A client that answers 500s instead of raising them (the sweep names them all)."""
    client = Client(raise_request_exception=False, HTTP_HOST=host)
    if user is not None:
        client.force_login(user)
    return client


def send(client: Client, method: str, path: str, data: Any = None) -> HttpResponse:
    SENT["request"] += 1
    response: HttpResponse = getattr(client, method)(path, data)
    if response.streaming:
        # Read to the end, which closes the file (the test client's way: closing it directly
        # would also close the database connection, and with it the test's transaction).
        response.body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response


def body(response: HttpResponse) -> bytes:
    return getattr(response, "body", b"") if response.streaming else response.content


def shown(response: HttpResponse, text: str) -> bool:
    return text.encode() in body(response)


def to_sign_in(response: HttpResponse) -> bool:
    sign_in = resolve_url(settings.LOGIN_URL)
    return response.status_code == 302 and response["Location"].startswith(sign_in + "?")


@contextmanager
def errors() -> Iterator[list[str]]:
    """The exceptions behind 500 answers, to name them in a failure."""
    seen: list[str] = []

    def store(**kwargs: Any) -> None:
        seen.append(repr(sys.exc_info()[1]))

    got_request_exception.connect(store, dispatch_uid="url-sweep")
    try:
        yield seen
    finally:
        got_request_exception.disconnect(dispatch_uid="url-sweep")
