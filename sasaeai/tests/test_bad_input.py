"""Bad input on every route of the URL configuration (sweep.py), as someone who may open it.

- In the URL: an ID that does not exist, one past the database's integers (2**63), a negative
  one; for words (codes, tokens), an unknown one, a very long one and a NUL byte: 404, never 500.
- In the query string: every parameter a page's own GET forms and links send, set to garbage
  (not a number, a huge number, a negative one, an impossible date, markup, a NUL byte):
  answered below 500, and the markup is never echoed unescaped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import Client

from sasaeai.lib import memo

from . import sweep
from .sweep import Route, World, client_for, send, to_sign_in

pytestmark = pytest.mark.django_db

ROUTES = [r for r in sweep.routes() if not sweep.unfilled([r])]
INT = re.compile(r"<int:(\w+)>")
MISSING = str(2**31 - 7)
BAD_INTS = [MISSING, str(2**63), "-1"]
BAD_WORDS = ["no-such-thing", "x" * 300, "\x00"]
SCRIPT = "<script>alert(1)</script>"
GARBAGE = ["abc", "99999", "-1", str(2**63), "2026-13-45", SCRIPT, "\x00"]
# Tried one parameter at a time too (a form refusing another parameter must not hide it).
ONE_BY_ONE = [str(2**63)]


@pytest.fixture(scope="module")
def world(sweep_world: World) -> World:
    return sweep_world


# Per route: who reaches its view with the own region's objects, by which method, and the
# names its page puts in query strings.
HOLDERS: dict[str, tuple[Any, str, set[str]] | None] = {}


def _candidates(world: World, route: Route) -> list[Any]:
    if not route.staff:
        return [None]
    users = world.users
    return [users[w] for w in ("sc", "admin", "ward", "institution", "member", "block")]


def _past_gate(client: Client, path: str) -> tuple[str, set[str]]:
    """The method by which this client gets past the route's gate ("" if neither), and the
    names the page puts in query strings."""
    response = send(client, "get", path)
    if response.status_code == 200 or (response.status_code == 302 and not to_sign_in(response)):
        return "get", _query_names(response)
    if response.status_code != 405:
        return "", set()
    with transaction.atomic():
        response = send(client, "post", path)
        transaction.set_rollback(True)
    memo.forget()
    passed = response.status_code not in (403, 404, 405) and not to_sign_in(response)
    return ("post" if passed and response.status_code < 500 else ""), set()


def _holder(
    world: World, route: Route, clients: dict[Any, Client]
) -> tuple[Client, str, set[str]] | None:
    """A client that reaches the route's view with the own region's objects, the method, and
    the names its page puts in query strings."""
    if route.name not in HOLDERS:
        HOLDERS[route.name] = None
        path = route.path(world.values["own"])
        for user in _candidates(world, route):
            client = clients.get(user) or clients.setdefault(user, client_for(user))
            method, names = _past_gate(client, path)
            if method:
                HOLDERS[route.name] = (user, method, names)
                break
    found = HOLDERS[route.name]
    if found is None:
        return None
    user, method, names = found
    return clients.get(user) or clients.setdefault(user, client_for(user)), method, names


def _bad_paths(world: World, route: Route) -> Iterator[str]:
    """The route's path with one keyword at a time replaced by a bad value."""
    values = world.values["own"]
    kinds = route.kinds()
    ints = set(INT.findall(route.route))
    for kwarg in route.kwargs:
        for bad in BAD_INTS if kwarg in ints else BAD_WORDS:
            filled = {**values, kinds[kwarg] or "": bad.replace("\x00", "%00")}
            yield route.path(filled)


def test_bad_ids_in_the_url_answer_404(world: World) -> None:
    problems = []
    clients: dict[Any, Client] = {}
    with sweep.errors() as exceptions:
        for route in ROUTES:
            if not route.kwargs:
                continue
            found = _holder(world, route, clients)
            if found is None:
                problems.append(f"{route.name}: nobody reaches it (test_url_sweep says why)")
                continue
            client, method, _names = found
            for path in _bad_paths(world, route):
                response = send(client, method, path)
                if response.status_code != 404:
                    problems.append(f"{method.upper()} {path} ({route.name}): "
                                    f"{response.status_code} {exceptions[-1:]}")  # fmt: skip
    assert not problems, "\n".join(problems)


class _Queries(HTMLParser):
    """The names a page's GET forms and same-page links put in a query string."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self._get_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self._get_form = (a.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea", "button") and self._get_form and a.get("name"):
            self.names.add(str(a["name"]))
        elif tag == "a" and a.get("href") and "?" in str(a["href"]):
            href = urlsplit(str(a["href"]))
            self.names.update(name for name, _ in parse_qsl(href.query, keep_blank_values=True))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._get_form = False


def _query_names(response: HttpResponse) -> set[str]:
    if "html" not in response.get("Content-Type", ""):
        return set()
    parser = _Queries()
    parser.feed(sweep.body(response).decode(errors="replace"))
    return parser.names


def test_garbage_in_query_strings_is_refused_calmly(world: World) -> None:
    problems = []
    pages = 0
    clients: dict[Any, Client] = {}
    with sweep.errors() as exceptions:
        for route in ROUTES:
            found = _holder(world, route, clients)
            if found is None or not found[2]:
                continue
            client, _method, names = found
            path = route.path(world.values["own"])
            pages += 1
            queries = [dict.fromkeys(names | {"page"}, bad) for bad in GARBAGE]
            queries += [{name: bad} for name in sorted(names) for bad in ONE_BY_ONE]
            for query in queries:
                response = send(client, "get", path, query)
                said = f"GET {path}?{query} ({route.name}): {response.status_code}"
                if response.status_code >= 500:
                    problems.append(f"{said} {exceptions[-1:]}")
                elif sweep.shown(response, SCRIPT):
                    problems.append(f"{said}: echoes markup unescaped")
    assert pages > 20, "too few pages with query strings were found: is the parser blind?"
    assert not problems, "\n".join(problems)
