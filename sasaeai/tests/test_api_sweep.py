"""The URL sweep's world (sweep.py, sweep_build.py) through the staff API: every role of
ROLE_USERS with a token holding every scope, against every operation of the OpenAPI schema
under /api/staff/ (so operations added later are swept without a word here).

- A list (an operation without path parameters) never shows an object of a place the role
  holds nothing over (its marker word, MARKERS).
- An operation given a foreign place's object (every path parameter filled from that place)
  answers 404 or 403, and nothing is written: the place's objects and every table's row count
  stay as they were.
- A path parameter the table below cannot fill fails the test by name, as the URL sweep does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import timezone

from sasaeai.accounts.models import User
from sasaeai.api import tokens
from sasaeai.api.models import Scope, Token
from sasaeai.api.tests.test_staff_guard import OPERATIONS, Operation, send
from sasaeai.test import OTHER_HOST, ROLE_USERS

from . import sweep
from .sweep import MARKERS, PLACES, Route, World

pytestmark = pytest.mark.django_db

# Which object a path parameter names, by the segment of the path before it: a getter from a
# place's objects (sweep_build.py).
Getter = Callable[[dict[str, Any]], Any]
BY_SEGMENT: dict[str, Getter] = {
    "activities": lambda o: o["activity"],
    "places": lambda o: o["activity"].places.order_by("pk").first(),
    "schedules": lambda o: o["activity"].schedules.order_by("pk").first(),
    "councils": lambda o: o["council"],
    "meetings": lambda o: o["meeting"],
    "minutes": lambda o: o["minutes"],
    "actions": lambda o: o["action_item"],
    "needs": lambda o: o["need"],
    "events": lambda o: o["event"],
    "local-events": lambda o: o["local_event"],
    "local-signups": lambda o: o["local_signup"],
    "support-requests": lambda o: o["support_request"],
}
PARAM = re.compile(r"([\w-]+)/\{(\w+)\}")
TALLY: Counter[str] = Counter()


def params(operation: Operation) -> dict[str, str]:
    """Each path parameter and the segment before it ("activities" for {activity_id})."""
    return {name: segment for segment, name in PARAM.findall(operation.path)}


def unfilled() -> list[str]:
    return [
        f"{operation} ({name} after {segment}/)"
        for operation in OPERATIONS
        for name, segment in params(operation).items()
        if segment not in BY_SEGMENT
    ]


def filled(operation: Operation, objects: dict[str, Any]) -> dict[str, str] | None:
    """The path parameters from one place's objects (None: the place has no such object)."""
    values = {}
    for name, segment in params(operation).items():
        found = BY_SEGMENT[segment](objects)
        if found is None:
            return None
        values[name] = str(found.pk)
    return values


@pytest.fixture(scope="module")
def world(sweep_world: World) -> Iterator[World]:
    sweep.SENT.clear()
    yield sweep_world
    if TALLY:
        sweep.REPORT.append(
            f"API sweep: {len(OPERATIONS)} staff operations x {len(ROLE_USERS)} roles (a token "
            f"of every scope) x {len(PLACES)} places: {TALLY['list']} lists checked for foreign "
            f"objects, {TALLY['refusal']} refusals of a foreign object, {sweep.SENT['request']} "
            f"requests; leaks found: {TALLY['leak']}"
        )


@pytest.fixture(autouse=True)
def unlimited(settings: Any) -> Iterator[None]:
    previous, settings.SASAEAI_API_RATE = settings.SASAEAI_API_RATE, "100000/m"
    yield
    settings.SASAEAI_API_RATE = previous


def token_of(user: User) -> str:
    """A token of every scope, made directly (the council member has no second step)."""
    secret = tokens.PREFIX + f"sweep-{user.pk}-0123456789abcdef"
    area = user.memberships.select_related("area").get().area
    municipality = user.municipality or area.municipality or area
    Token.objects.create(user=user, municipality=municipality, name="sweep", prefix=secret[:14],
                         digest=tokens.digest(secret), scopes=list(Scope.values),
                         expires_at=timezone.now() + dt.timedelta(days=1))  # fmt: skip
    return secret


def test_every_path_parameter_is_filled() -> None:
    """An operation whose path parameter BY_SEGMENT cannot fill fails here, by name."""
    assert unfilled() == []


@pytest.mark.parametrize("who", list(ROLE_USERS))
def test_no_role_gets_a_foreign_object_through_the_api(world: World, who: str) -> None:
    user = world.users[who]
    secret = token_of(user)
    host = OTHER_HOST if who == "other_admin" else "testserver"
    problems: list[str] = []
    for operation in OPERATIONS:
        if not params(operation):
            if operation.method == "get":
                problems += _list(operation, secret, host, world.foreign(user, _route(operation)))
            continue
        problems += _refusals(world, user, operation, secret, host)
    TALLY["leak"] += len(problems)
    assert not problems, "\n".join(problems)


def _route(operation: Operation) -> Route:
    return Route(str(operation), "staff/" + operation.path, ())


def _list(operation: Operation, secret: str, host: str, foreign: set[str]) -> list[str]:
    response = send(operation, secret, host=host)
    TALLY["list"] += 1
    said = f"{operation}: {response.status_code}"
    if response.status_code >= 500:
        return [f"{said} (a server error)"]
    return [f"{said} shows {place}'s objects" for place in sorted(foreign)
            if MARKERS[place].encode() in response.content]  # fmt: skip


def _refusals(world: World, user: User, operation: Operation, secret: str, host: str) -> list[str]:
    problems = []
    for place in sorted(world.foreign(user, _route(operation))):
        values = filled(operation, world.objects[place])
        if values is None:
            problems.append(f"{operation}: {place} has no object for {params(operation)}")
            continue
        watched = world.all_objects({place})
        before = sweep.fingerprint(watched)
        response = send(operation, secret, host=host, path=operation.url(values))
        TALLY["refusal"] += 1
        said = (
            f"{operation} with {place}'s object ({operation.url(values)}): {response.status_code}"
        )
        if response.status_code not in (403, 404):
            problems.append(f"{said}, not 403 or 404: {response.content[:200]!r}")
        elif MARKERS[place].encode() in response.content:
            problems.append(f"{said} shows the object")
        problems += [
            f"{said} changed {c}" for c in sweep.changes(before, sweep.fingerprint(watched))
        ]
    return problems
