"""Public pages read from a PostgreSQL streaming replica; everything else uses the primary.

With `DATABASE_REPLICA_URL` set, settings.py adds the database alias "replica", installs
`ReplicaRouter` and `ReplicaMiddleware`. Unset, none of this is installed: one database, as on
one machine.

A request reads from the replica only when all of these hold:
- its view is a `@public_page` (lib/public_cache.py): the same for every anonymous visitor,
  and it writes nothing;
- it is a GET or HEAD;
- it carries no session cookie (staff and anyone signed in read the primary);
- it carries no `sasaeai_wrote` cookie: every POST, PUT, PATCH or DELETE answered through the
  middleware sets it for `SASAEAI_REPLICA_STICKY_SECONDS` (10), so the page a visitor sees
  right after their own write (the thank-you page, the list with their proposal) is read from
  the primary, not from a replica that may be a few hundred milliseconds behind.

Even then a read goes to the primary when it runs inside a transaction on the primary, or
inside `primary()` (the memo computes its values there: a value read from a lagging replica
would be kept for everyone). Every write goes to the primary; migrations run only there.

The choice is kept in a context variable, so each of granian's threads has its own. The
middleware sets it after the URL is resolved (`process_view`) and clears it when the response
leaves, so nothing carries over to the thread's next request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

from .public_cache import PUBLIC_VIEW

REPLICA = "replica"
STICKY_COOKIE = "sasaeai_wrote"
SAFE_METHODS = frozenset({"GET", "HEAD"})
# Rows that must be read where they are written: the database cache (rate limits, used
# sign-in codes) and the task queue.
PRIMARY_ONLY = frozenset({"django_cache", "django_tasks_db"})

_replica_reads: ContextVar[bool] = ContextVar("sasaeai_replica_reads", default=False)


def reading_replica() -> bool:
    """Whether reads of this request (or thread) go to the replica now."""
    return _replica_reads.get()


@contextmanager
def replica_reads() -> Iterator[None]:
    """Read from the replica inside the block (what the middleware does for a public page)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


@contextmanager
def primary() -> Iterator[None]:
    """Read from the primary inside the block, whatever the request."""
    token = _replica_reads.set(False)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    """Reads of a public page's request to "replica"; all else to "default"."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        if (
            _replica_reads.get()
            and model._meta.app_label not in PRIMARY_ONLY
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        # Named, not None: an object read from the replica would otherwise take its related
        # rows (and its saves) back there.
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same rows on both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None


def replica_allowed(request: HttpRequest) -> bool:
    """Whether this request may read a public page from the replica (its view aside)."""
    cookies = request.COOKIES
    return (
        request.method in SAFE_METHODS
        and settings.SESSION_COOKIE_NAME not in cookies
        and STICKY_COOKIE not in cookies
    )


class ReplicaMiddleware:
    """Send a public page's reads to the replica; mark a visitor who just wrote."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        finally:
            _replica_reads.set(False)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                STICKY_COOKIE,
                "1",
                max_age=settings.SASAEAI_REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        if getattr(view, PUBLIC_VIEW, False) and replica_allowed(request):
            _replica_reads.set(True)
