"""A registry of what goes into a person's calendar feed besides the events they registered
for: each domain app registers a source (in its `AppConfig.ready()`) that gives a user's
entries as plain data, and the events app's feed (`events/calendar_views.personal_feed`)
writes them all. So the feed shows, say, council meetings without events importing councils.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Entry:
    """One appointment in a calendar feed. `uid` never changes for the same thing; `path` is
    the page on this site; a date without times (`starts_at` None) is a whole-day entry."""

    uid: str
    title: str
    day: dt.date
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    location: str = ""
    description: str = ""
    path: str = ""
    updated_at: dt.datetime | None = None


Source = Callable[[Any], Iterable[Entry]]  # a user -> their entries
_SOURCES: dict[str, Source] = {}


def register(key: str, source: Source) -> None:
    """Add a source under `key` (e.g. "councils.meetings"); registering again replaces it."""
    _SOURCES[key] = source


def entries_for(user: Any) -> list[Entry]:
    """Every registered source's entries for `user`, in order of the day."""
    found = [entry for source in _SOURCES.values() for entry in source(user)]
    return sorted(found, key=lambda e: (e.day, e.uid))
