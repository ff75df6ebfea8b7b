"""Who is acting and from where, for the length of one request (or command)."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    user: Any = None  # an authenticated User, or None
    ip: str | None = None
    municipality_code: str = ""
    via: str = ""  # how they act when not through the pages: "APIトークン …", named in each entry


_current: ContextVar[Actor | None] = ContextVar("sasaeai_audit_actor", default=None)


def current() -> Actor:
    return _current.get() or Actor()


def set_actor(actor: Actor) -> Any:
    return _current.set(actor)


def reset(token: Any) -> None:
    _current.reset(token)
