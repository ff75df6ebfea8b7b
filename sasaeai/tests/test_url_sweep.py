"""The cross-area sweep: every route of the URL configuration (sweep.py), opened as anonymous
and as every role, with objects of the own region, another region of the same block, a region
of another block and a region of another municipality.

- Whoever holds nothing over an object's place gets 403, 404 or 405 for it (anonymous: sent to
  sign in), by GET and by an empty POST, never 200, a redirect or 500, and the answer does not
  show it; the foreign objects and the row counts stay as they were. No list page shows a
  foreign place's objects.
- Anonymous visitors are sent to sign in from every staff route. The public site answers 404
  for another municipality's objects (tried on each municipality's host).
- Every route reaches its view in every place, for someone who holds the place (its page, or
  past the gate by POST where GET is refused), so the refusals are not vacuous; a route whose
  URL keywords the tables cannot fill fails by name.
The run ends with the figure: routes x roles x places covered, requests, leaks found.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import Client

from sasaeai.lib import memo
from sasaeai.test import OTHER_HOST, ROLE_USERS

from . import sweep
from .sweep import MARKERS, PLACES, Route, World, client_for, send, shown, to_sign_in

ROUTES = sweep.routes()
FILLED = [r for r in ROUTES if not sweep.unfilled([r])]
WHO = ["anonymous", *ROLE_USERS]
REFUSED = {302, 403, 404, 405}

# Public routes whose objects are not looked up by the site's host, with the reason.
NOT_BY_HOST = {
    "events:feed": "a person's calendar feed: its secret token is the key, on any host, "
    "because calendar apps fetch it from wherever it was pasted",
}
# Routes that show no page (200) to anyone, in any place, with the reason. (Routes reached by
# POST where GET is refused are found by the sweep and need no entry.)
NO_PAGE = {
    "needs:thanks": "shown once after a need was sent (from the session), else back to the form",
    "needs:helper_thanks": "shown once after a helper signed up, else back to the form",
    "needs:helper_removed": "shown once after a helper left, else back to the form",
    "surveys:survey_thanks": "shown once after a survey was answered, else back home",
    "events:local_thanks": "shown once after a resident signed up, else back to the list",
    "progress_staff:index": "sends someone who follows one area (everyone here) to its page",
    # The sweep's places are regions; the population import is the municipality's, and a
    # region's address leads the ward there (tested in progress/tests/test_population_import).
    "progress_staff:population_import": "the municipality's page, where a region's leads",
    "progress_staff:population_template": "the municipality's file, where a region's leads",
}

TALLY: Counter[str] = Counter()  # what the module checked, for the figure at its end
PAGED: set[str] = set()  # routes that showed someone a page, in any test of the module


@pytest.fixture(scope="module")
def world(sweep_world: World) -> Iterator[World]:
    sweep.SENT.clear()
    yield sweep_world
    if TALLY:
        sweep.REPORT.append(figure())  # shown at the end of the run (conftest.py)


def figure() -> str:
    kinds = {k for r in FILLED for k in r.object_kinds()}
    return (
        f"URL sweep: {len(FILLED)} routes ({sum(bool(r.kwargs) for r in FILLED)} with objects "
        f"of {len(kinds)} kinds) x {len(WHO)} roles (anonymous and {len(ROLE_USERS)}) x "
        f"{len(PLACES)} places: {TALLY['refusal']} refusals of a foreign object (route x role "
        f"x place x GET/POST), {TALLY['list']} list pages checked for foreign objects, "
        f"{TALLY['reached']} route x place reached by a holder ({TALLY['post only']} routes "
        f"by POST only), {sweep.SENT['request']} requests; leaks found: {TALLY['leak']}"
    )


def test_every_route_is_filled() -> None:
    """A route whose URL keywords the tables in sweep.py cannot fill fails here, by name."""
    assert sweep.unfilled(ROUTES) == []
    assert len(FILLED) > 150  # the resolver was walked, and nothing was skipped wholesale
    skipped = sweep.routes(skipped=True)
    assert [p for p in sweep.SKIPPED if not any(r.route.startswith(p) for r in skipped)] == []


@pytest.mark.django_db
@pytest.mark.parametrize("who", WHO)
def test_no_role_gets_a_foreign_object(world: World, who: str) -> None:
    user = world.users.get(who)
    client = client_for(user)
    problems: list[str] = []
    everything = world.all_objects(world.foreign(user, Route("list", "staff/", ())))
    start = sweep.fingerprint(everything, counts=False)
    with sweep.errors() as exceptions:
        for route in FILLED:
            if not route.kwargs:
                problems += _list_page(client, route, who, _foreign(world, user, route), exceptions)
        # List pages may write the user's own rows (a calendar token); from here on no row may
        # come or go. Counted once for all routes, and route by route only to name the culprit.
        counts = sweep.fingerprint([])
        problems += _refusals(world, client, who, exceptions)
        moved = sweep.changes(counts, sweep.fingerprint([]))
        if moved:
            problems += _refusals(world, client, who, exceptions, counts=True) or moved
    problems += [f"{who} changed {c}" for c in
                 sweep.changes(start, sweep.fingerprint(everything, counts=False))]  # fmt: skip
    TALLY["leak"] += len(problems)
    assert not problems, "\n".join(problems)


def _foreign(world: World, user: Any, route: Route) -> set[str]:
    foreign = world.foreign(user, route)
    if route.name in NOT_BY_HOST:
        foreign.discard("other_town")
    return foreign


def _refusals(
    world: World, client: Client, who: str, exceptions: list[str], counts: bool = False
) -> list[str]:
    """Each route with each foreign place's objects, by every method it takes; what changed in
    those objects (and, with `counts`, in the row counts) is named by route. With `counts`,
    only the changes are returned (the answers were judged already)."""
    problems: list[str] = []
    changed: list[str] = []
    user = world.users.get(who)
    for route in FILLED:
        foreign = _foreign(world, user, route)
        if not route.kwargs or not foreign:
            continue
        watched = world.all_objects(foreign, route.object_kinds())
        before = sweep.fingerprint(watched, counts)
        for place in sorted(foreign):
            path = route.path(world.values[place])
            for method in _methods(route, path):
                response = send(client, method, path)
                TALLY["refusal"] += not counts
                problems += _judge(who, route, method, place, path, response, exceptions)
        after = sweep.fingerprint(watched, counts)
        changed += [f"{route.name} as {who} changed {c}" for c in sweep.changes(before, after)]
    return changed if counts else problems + changed


# The methods each route takes: a 405 to an anonymous visitor comes from the method check
# that wraps the view outside sign-in and access, so it is the same for everyone.
METHODS: dict[str, list[str]] = {}


def _methods(route: Route, path: str) -> list[str]:
    if route.name not in METHODS:
        client = client_for(None)
        METHODS[route.name] = [
            method for method in ("get", "post") if send(client, method, path).status_code != 405
        ]
    return METHODS[route.name]


def _judge(
    who: str, route: Route, method: str, place: str, path: str, response: HttpResponse,
    exceptions: list[str],
) -> list[str]:  # fmt: skip
    status = response.status_code
    said = f"{method.upper()} {path} ({route.name}, {place}) as {who}: {status}"
    if status >= 500:
        return [f"{said} {exceptions[-1] if exceptions else ''}"]
    if status not in REFUSED:
        return [f"{said}: a foreign object was served"]
    if who == "anonymous" and route.staff and not (to_sign_in(response) or status == 405):
        return [f"{said}: not sent to sign in"]
    # Signed in, a redirect could follow a lookup that found what it should not have (a
    # step that does not fit the object's state sends back to the object): refused means
    # 403, 404 or 405.
    if who != "anonymous" and status == 302:
        return [f"{said} to {response['Location']}: a redirect, not a refusal"]
    if not route.staff and method == "get" and status != 404:
        return [f"{said}: another municipality's object on Itabashi's site is not a 404"]
    if shown(response, MARKERS[place]):
        return [f"{said}: the answer shows the foreign object"]
    return []


def _list_page(
    client: Client, route: Route, who: str, foreign: set[str], exceptions: list[str]
) -> list[str]:
    problems = []
    path = route.path({})
    for method in ("get", "post"):
        response = send(client, method, path)
        TALLY["list"] += 1
        status = response.status_code
        said = f"{method.upper()} {path} ({route.name}) as {who}: {status}"
        if status >= 500:
            problems.append(f"{said} {exceptions[-1] if exceptions else ''}")
        elif who == "anonymous" and route.staff and not (to_sign_in(response) or status == 405):
            problems.append(f"{said}: not sent to sign in")
        problems += [f"{said}: shows {p}'s objects" for p in foreign if shown(response, MARKERS[p])]
        if status == 200 and method == "get":
            PAGED.add(route.name)
        if status != 405:
            break  # without IDs, an empty POST matters where GET is refused
    return problems


# Who opens each place's objects to show that a route reaches its view there: on the staff
# side the roles that hold the place, most capable first; on the public site a visitor of the
# place's own municipality.
def _holders(world: World, route: Route, place: str) -> list[tuple[Any, str]]:
    if not route.staff:
        return [(None, OTHER_HOST if place == "other_town" else "testserver")]
    users = world.users
    holders = {
        "own": [users[w] for w in ("sc", "admin", "ward", "block", "member", "institution")],
        "same_block": [*world.locals["same_block"], users["block"], users["admin"]],
        "other_block": [*world.locals["other_block"], users["ward"], users["admin"]],
        "other_town": [*world.locals["other_town"], users["other_admin"]],
    }
    return [(user, "testserver") for user in holders[place]]


@pytest.mark.django_db
def test_every_route_reaches_its_view_in_every_place(world: World) -> None:
    """So that the refusals are not vacuous: each route, with each place's object, answers
    someone who holds the place. A page answers 200; a route that refuses GET is reached when
    an empty POST gets past the gate (and is undone); a route that only ever sends its holders
    elsewhere must be in NO_PAGE, with the reason."""
    problems: list[str] = []
    ways: dict[str, set[str]] = {}
    clients: dict[tuple[Any, str], Client] = {}
    with sweep.errors() as exceptions:
        for route in FILLED:
            for place in PLACES if route.kwargs else ["own"]:
                if not route.kwargs and route.name in PAGED:
                    ways.setdefault(route.name, set()).add("page")  # opened by a role above
                    TALLY["reached"] += 1
                    continue
                path = route.path(world.values[place])
                how = ""
                for user, host in _holders(world, route, place):
                    if (user, host) not in clients:
                        clients[user, host] = client_for(user, host)
                    how = _reach(clients[user, host], path)
                    if how == "error":
                        problems.append(f"{path} ({route.name}) as {user or 'anonymous'}: "
                                        f"{exceptions[-1] if exceptions else 'a 500'}")  # fmt: skip
                    if how:
                        break
                ways.setdefault(route.name, set()).add(how)
                TALLY["reached"] += how in ("page", "post", "moved")
                if how not in ("page", "post", "moved"):
                    problems.append(f"{route.name} in {place} ({path}): reached by no holder")
    for route in FILLED:
        found = ways.get(route.name, set())
        if "page" not in found and "post" not in found and route.name not in NO_PAGE:
            problems.append(f"{route.name}: no page (200) for anyone; add it to NO_PAGE, why")
        if "page" in found and route.name in NO_PAGE:
            problems.append(f"{route.name} is in NO_PAGE but shows a page")
    TALLY["post only"] = sum("post" in w and "page" not in w for w in ways.values())
    assert not problems, "\n".join(problems)


def _reach(client: Client, path: str) -> str:
    """How a holder of the place got to the view: its page ("page"); a POST past the gate
    where GET is refused ("post", undone); sent elsewhere, not to sign in ("moved"); an
    error ("error"); or not at all ("")."""
    response = send(client, "get", path)
    status = response.status_code
    if status >= 500:
        return "error"
    if status == 200:
        return "page"
    if status == 302 and not to_sign_in(response):
        return "moved"
    if status != 405:
        return ""
    with transaction.atomic():
        response = send(client, "post", path)
        transaction.set_rollback(True)
    memo.forget()  # nothing remembered from the undone POST
    status = response.status_code
    if status >= 500:
        return "error"
    return "" if status in (403, 404, 405) or to_sign_in(response) else "post"


@pytest.mark.django_db
def test_the_public_site_keeps_to_its_municipality(world: World) -> None:
    """On one municipality's host, the public site answers 404 for the other's objects."""
    problems = []
    sites = {"testserver": ["other_town"], OTHER_HOST: ["own", "same_block", "other_block"]}
    for host, places in sites.items():
        client = client_for(None, host)
        for route in FILLED:
            if route.staff or not route.kwargs or route.name in NOT_BY_HOST:
                continue
            for place in places:
                path = route.path(world.values[place])
                response = send(client, "get", path)
                TALLY["refusal"] += 1
                if response.status_code != 404 or shown(response, MARKERS[place]):
                    problems.append(f"GET {path} ({route.name}) on {host}: "
                                    f"{response.status_code}")  # fmt: skip
    TALLY["leak"] += len(problems)
    assert not problems, "\n".join(problems)
