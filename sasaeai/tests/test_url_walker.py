"""Walk every URL pattern as anonymous and as each role: never a 500, nothing leaks."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from sasaeai.accounts.models import Membership
from sasaeai.test import ROLE_USERS

pytestmark = pytest.mark.django_db

# Our pages that anyone may open without signing in.
PUBLIC = {"core:home", "areas:detail", "core:text_size"}
OWN_NAMESPACES = ("core:", "areas:", "accounts:", "audit:")


def patterns(
    resolver: URLResolver | None = None, prefix: str = "", ns: str = ""
) -> Iterator[tuple[str, str]]:
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{ns}{entry.namespace}:" if entry.namespace else ns
            yield from patterns(entry, prefix + str(entry.pattern), namespace)
        elif isinstance(entry, URLPattern):
            yield f"{ns}{entry.name or ''}", prefix + str(entry.pattern)


def fill(route: str, values: dict[str, str]) -> str | None:
    """A concrete path for a route, or None for routes written as regular expressions."""
    if route.startswith("^"):
        route = route.lstrip("^").rstrip("$")
        if re.search(r"[()\[\]\\*+?|]", route):
            return None
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values.get(m.group(1), "1"), route)


def walk(client: Client, values: dict[str, str]) -> list[tuple[str, str, str, int]]:
    seen = []
    for name, route in patterns():
        path = fill(route, values)
        if path is None:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            assert response.status_code < 500, f"{method.upper()} {path} ({name})"
            seen.append((name, route, method, response.status_code))
    return seen


def test_anonymous_never_sees_500_and_is_sent_to_sign_in(client: Client, users: dict) -> None:
    pk = str(Membership.objects.get(user=users["sc"]).pk)
    for name, _route, method, status in walk(client, {"code": "takashimadaira", "pk": pk}):
        if name.startswith(OWN_NAMESPACES) and name not in PUBLIC:
            # Wrong methods may be refused before sign-in is asked for.
            assert status in (302, 405), f"{method} {name} answered {status}"


@pytest.mark.parametrize("who", sorted(ROLE_USERS))
def test_each_role_never_sees_500_nor_foreign_data(client: Client, users: dict, who: str) -> None:
    client.force_login(users[who])
    foreign = Membership.objects.get(user=users["other_admin" if who != "other_admin" else "sc"])
    for name, route, method, status in walk(
        client, {"code": foreign.area.code, "pk": str(foreign.pk)}
    ):
        if name.startswith(OWN_NAMESPACES) and name not in PUBLIC and "<" in route:
            assert status in (302, 403, 404, 405), f"{method} {name} answered {status}"
    assert Membership.objects.filter(pk=foreign.pk).exists()
