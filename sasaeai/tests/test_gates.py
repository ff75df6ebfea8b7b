"""Every view carries a gate of accounts/access.py (require, require_that, signed_in, or public
for the public site), as casa verifies that a policy ran: a route added without one fails here
by name. What each gate lets through is the URL sweep's business (test_url_sweep.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from sasaeai.accounts.access import GATE

from .sweep import SKIPPED


def views(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, Callable[..., Any]]]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(tuple(SKIPPED)):
            continue
        if isinstance(entry, URLResolver):
            yield from views(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.callback


def test_every_route_has_a_gate() -> None:
    missing = sorted(
        f"/{route} ({view.__module__}.{view.__name__})"
        for route, view in views(get_resolver())
        if not getattr(view, GATE, None)
    )
    assert not missing, "Views without a gate of accounts/access.py:\n  " + "\n  ".join(missing)
