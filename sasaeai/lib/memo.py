"""Small lookups that almost never change, remembered in this process.

Every public request needs the municipality of its host name and the names of its regions and
kinds; asking the database each time cost a third of a simple page. Values are shared by the
process's threads, so treat them as read-only. A save or delete of the model they come from
clears them in this process (the apps connect `forget` to their signals). Keys may carry what
visitors typed (a search's words), so the memo holds at most `LIMIT` values: past it, it
starts again empty.

Other processes and servers: with a shared cache (`CACHE_URL`, Redis: settings'
`SASAEAI_SHARED_MEMO`), `forget` also writes a new generation mark in the cache once the change
commits, and each process reads that mark once per request (at the request's first `remember`,
one Redis GET) and empties its memo when the mark is not the one its values were read under.
So a change made on one server shows on every server at their next request. Without a shared
cache, other processes see it within `SECONDS`, which stays as a safety net in both cases
(a mark lost with an unreachable Redis).

Values are computed from the primary database, never from a replica (lib/db_router.py): a
value read from a replica a moment behind would be kept for everyone.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_started
from django.db import transaction

from .db_router import primary

log = logging.getLogger(__name__)

SECONDS = 30.0
LIMIT = 10_000
# The cache key of the generation mark (the cache adds its KEY_PREFIX).
GENERATION_KEY = "sasaeai:memo-generation"
# Outside requests (the task worker), how often the mark is read again.
CHECK_SECONDS = 1.0

_remembered: dict[Hashable, tuple[float, Any]] = {}
# The generation mark this process's values were read under (None: no mark in the cache).
_generation: str | None = None
# When this thread last read the mark; reset by every request's start.
_checked = threading.local()


def remember[T](key: Hashable, compute: Callable[[], T], seconds: float = SECONDS) -> T:
    """The value remembered under `key` if it is younger than `seconds`, else `compute()`."""
    now = time.monotonic()
    if settings.SASAEAI_SHARED_MEMO and now - getattr(_checked, "at", -SECONDS) >= CHECK_SECONDS:
        _follow_generation(now)
    hit = _remembered.get(key)
    if hit is not None and now - hit[0] < seconds:
        return hit[1]  # type: ignore[no-any-return]
    with primary():
        value = compute()
    if len(_remembered) >= LIMIT:
        _remembered.clear()
    _remembered[key] = (now, value)
    return value


def forget(*args: Any, **kwargs: Any) -> None:
    """Forget everything, here and (with a shared cache) on every server once the change
    commits (a signal receiver: any arguments)."""
    _remembered.clear()
    if settings.SASAEAI_SHARED_MEMO:
        if transaction.get_connection().in_atomic_block:
            transaction.on_commit(_new_generation)
        else:
            _new_generation()


def _follow_generation(now: float) -> None:
    """Empty the memo if another process (or this one) forgot since its values were read."""
    global _generation
    _checked.at = now
    try:
        mark = cache.get(GENERATION_KEY)
    except Exception:  # Redis unreachable: the page still works, values age out in SECONDS
        log.warning("The memo's generation mark could not be read.", exc_info=True)
        return
    if mark != _generation:
        _remembered.clear()
        _generation = mark


def _new_generation() -> None:
    _remembered.clear()
    try:
        cache.set(GENERATION_KEY, secrets.token_hex(8), timeout=None)
    except Exception:
        log.warning("The memo's generation mark could not be written.", exc_info=True)


def _request_started(**kwargs: Any) -> None:
    _checked.at = -SECONDS


request_started.connect(_request_started, dispatch_uid="sasaeai-memo-request")
