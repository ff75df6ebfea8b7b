"""Small lookups that almost never change, remembered in this process.

Every public request needs the municipality of its host name and the names of its regions and
kinds; asking the database each time cost a third of a simple page. Values are shared by the
process's threads, so treat them as read-only. A save or delete of the model they come from
clears them in this process (the apps connect `forget` to their signals); other processes see
such a change within `SECONDS`. Keys may carry what visitors typed (a search's words), so
the memo holds at most `LIMIT` values: past it, it starts again empty.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any

SECONDS = 30.0
LIMIT = 10_000

_remembered: dict[Hashable, tuple[float, Any]] = {}


def remember[T](key: Hashable, compute: Callable[[], T], seconds: float = SECONDS) -> T:
    """The value remembered under `key` if it is younger than `seconds`, else `compute()`."""
    now = time.monotonic()
    hit = _remembered.get(key)
    if hit is not None and now - hit[0] < seconds:
        return hit[1]  # type: ignore[no-any-return]
    value = compute()
    if len(_remembered) >= LIMIT:
        _remembered.clear()
    _remembered[key] = (now, value)
    return value


def forget(*args: Any, **kwargs: Any) -> None:
    """Forget everything (a signal receiver: any arguments)."""
    _remembered.clear()
