"""The staff API's common parts: a personal access token (tokens.py) in the Authorization
header acts as its maker, within its scopes; a rate limit per token; bodies of at most 1 MB;
paging; request bodies that refuse unknown fields.

Each resource module (staff_*.py) makes its router with `router()` and asks, first thing in
each operation, `need(request, Scope....)`. Every record then comes through
accounts/access.py with `request.user`, exactly as in the pages: the API shows and changes
what its caller may see and change there, and no more. Writes are audited as page writes
are, each entry naming the token (audit context `via`)."""

from __future__ import annotations

import base64
import datetime as dt
import pickle
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from django import forms
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.exceptions import ValidationError as RuleBroken
from django.db import connections, transaction
from django.db import router as databases
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import ValidationError
from ninja.params import P, PathEx
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, Strict

from sasaeai.accounts import access
from sasaeai.audit import context, log

from .models import Scope, Token
from .tokens import Refused, find, touch

MAX_BODY = 1024 * 1024
PER_PAGE, MOST = 50, 200


class TokenAuth(HttpBearer):
    """`Authorization: Bearer sasaeai_…`: the token's user becomes `request.user`."""

    def __call__(self, request: HttpRequest) -> Any:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > MAX_BODY:
            raise Refused("too_large", _("送られた内容が大きすぎます（1 MB まで）。"), 413)
        found = super().__call__(request)  # None: no "Authorization: Bearer …" header
        if found is None:
            detail = _("APIトークンを「Authorization: Bearer トークン」の形で送ってください。")
            raise Refused("unauthorized", detail)
        return found

    def authenticate(self, request: HttpRequest, token: str) -> Token:
        found = find(token.strip())
        municipality = getattr(request, "municipality", None)
        if municipality is not None and found.municipality_id != municipality.pk:
            detail = _("このAPIトークンはこの自治体のものではありません。")
            raise Refused("other_municipality", detail)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        actor = context.current()
        context.set_actor(
            context.Actor(
                user=found.user,
                ip=actor.ip,
                municipality_code=actor.municipality_code,
                via=_("APIトークン「%(name)s」(#%(pk)s)") % {"name": found.name, "pk": found.pk},
            )
        )
        touch(found)
        return found


class TokenThrottle(BaseThrottle):
    """So many requests a sliding window per token (settings.SASAEAI_API_RATE, "120/m"): the
    times of the token's requests in the window, kept in the shared cache so that every worker
    process counts them together (two requests at the same instant may both pass: a limit for
    scripts, not a lock). The rate is read on each request, so a changed setting holds at
    once; nothing of a request is kept on the throttle, which every server thread shares,
    but the wait, per thread.

    On the database cache (settings' default) the count is read with the cache's get (one
    statement) and written back with one upsert (`_keep`): the cache's own set takes five
    (a count of its rows for culling, then a transaction of a select and an update), which
    was half the statements of a request."""

    PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

    def __init__(self) -> None:
        self._wait = threading.local()

    def rate(self) -> tuple[int, int]:
        count, _slash, unit = str(settings.SASAEAI_API_RATE).partition("/")
        return int(count), self.PERIODS[unit.strip()[:1] or "m"]

    def allow_request(self, request: HttpRequest) -> bool:
        most, seconds = self.rate()
        token: Token = request.auth  # type: ignore[attr-defined]
        key, now = f"throttle_token_{token.pk}", time.time()
        history = [at for at in caches["default"].get(key, []) if at > now - seconds]
        if len(history) >= most:
            self._wait.seconds = history[-most] + seconds - now
            return False
        _keep(key, [*history, now], seconds)
        return True

    def wait(self) -> float | None:
        return getattr(self._wait, "seconds", None)


def _keep(key: str, value: Any, seconds: int) -> None:
    """`cache.set(key, value, seconds)`; on the database cache one INSERT … ON CONFLICT DO
    UPDATE (PostgreSQL and SQLite) writing the row as the cache's set writes it (the key made
    by the cache, the value pickled and base64-encoded, the expiry to the second), so that the
    cache's get, clear and culling treat it as their own. It skips the set's culling (a count
    of every row), which the cache's other sets still do: this adds one row per token.

    On PostgreSQL, outside a transaction, its commit does not wait for the disk
    (synchronous_commit off for this transaction alone): a count lost in a crash costs
    nothing, and the wait was 3.4 ms of every request (0.4 ms without it, median of 60)."""
    backend = caches["default"]
    if not isinstance(backend, DatabaseCache):
        backend.set(key, value, seconds)
        return
    connection = connections[databases.db_for_write(backend.cache_model_class)]
    quoted = connection.ops.quote_name
    table = quoted(backend._table)  # type: ignore[attr-defined]
    names = [quoted(name) for name in ("cache_key", "value", "expires")]
    expires = dt.datetime.fromtimestamp(
        time.time() + seconds, tz=dt.UTC if settings.USE_TZ else None
    )
    pickled = pickle.dumps(value, backend.pickle_protocol)
    row = [
        backend.make_and_validate_key(key),
        base64.b64encode(pickled).decode("latin1"),
        connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0)),
    ]
    sql = (
        f"INSERT INTO {table} ({', '.join(names)}) VALUES (%s, %s, %s) "  # noqa: S608 - our names
        f"ON CONFLICT ({names[0]}) DO UPDATE SET {names[1]} = EXCLUDED.{names[1]}, "
        f"{names[2]} = EXCLUDED.{names[2]}"
    )
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(sql, row)
        return
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(sql, row)


AUTH = TokenAuth()


def router(tag: str) -> Router:
    """A router of the staff API: every operation needs a token and counts against its rate."""
    return Router(tags=[tag], auth=AUTH, throttle=TokenThrottle())


def need(request: HttpRequest, scope: Scope) -> Token:
    """The request's token, if it was given `scope`; else 403, audited."""
    token: Token = request.auth  # type: ignore[attr-defined]
    if not token.allows(scope):
        log.denied(f"token lacks {scope}: {request.path}")
        detail = _("このAPIトークンには「%(scope)s」の権限がありません。") % {"scope": scope.label}
        raise Refused("scope", detail, 403)
    return token


def door(request: HttpRequest, capability: str) -> None:
    """The pages' door (access.require): 403, audited, for one who holds `capability` on no
    area, before any record is looked up."""
    if not access.has_any(request.user, capability):
        access.refuse(request, f"lacks {capability}")


def gate(request: HttpRequest, scope: Scope, capability: str) -> Token:
    """The token's `scope`, then the pages' door for `capability` (see `door`)."""
    token = need(request, scope)
    door(request, capability)
    return token


def known_only(request: HttpRequest, query: Schema) -> None:
    """A query parameter the operation does not know is an error (422), as a body's unknown
    field is (Body): a misspelt filter would otherwise quietly list everything."""
    unknown = sorted(set(request.GET) - set(type(query).model_fields))
    if unknown:
        message = _("この項目は使えません。")
        raise ValidationError([{"loc": ("query", name), "msg": message} for name in unknown])


def form_invalid(form: forms.BaseForm, *where: str) -> ValidationError:
    """A page form's errors, each field's Japanese message, as the 422 problem (problems.py),
    placed as django-ninja places its own: `where` the form's data came from (the body)."""
    return invalid({name: [str(m) for m in messages] for name, messages in form.errors.items()},
                   *where)  # fmt: skip


def invalid(errors: dict[str, list[str]], *where: str) -> ValidationError:
    """Messages by field ("__all__": the whole) as the 422 problem."""
    base = where or ("body", "payload")
    return ValidationError(
        [
            {"loc": base + (() if name == "__all__" else (name,)), "msg": message}
            for name, messages in errors.items()
            for message in messages
        ]
    )


def broken(message: str) -> Refused:
    """A rule of a service that the request breaks (the event is called off, the deadline has
    passed): 422 with the service's own Japanese message."""
    return Refused("invalid", message, 422)


@contextmanager
def ruled() -> Iterator[None]:
    """Run a service whose rules answer with RuleBroken (a ValidationError): the first
    message becomes the 422 of `broken`."""
    try:
        yield
    except RuleBroken as error:
        raise broken(error.messages[0]) from None


def conflict(code: str, detail: str) -> Refused:
    """A write the record's state does not allow now (409): approved minutes, a closed need."""
    return Refused(code, detail, 409)


# --- What a request may hold, as strictly as the schema says ------------------------------

# A key: at most what every database stores (SQLite overflows beyond).
MAX_ID = 2**31 - 1
Id = PathEx[int, P(ge=1, le=MAX_ID, description="番号（id）")]
Key = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]
CODE = r"^[A-Za-z0-9_-]{1,40}$"  # an area's or a kind's code
# A body's numbers and flags as JSON writes them: "5" or "true" is not taken for 5 or true.
Int = Annotated[int, Strict()]
Number = Annotated[float, Strict()]
Flag = Annotated[bool, Strict()]
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})")


def _written_as_a_moment(value: Any) -> Any:
    """A date and time as RFC 3339 writes it, with its offset: pydantic would read a number
    as seconds since 1970, or a day alone as its midnight."""
    if not isinstance(value, str) or not RFC3339.fullmatch(value):
        raise ValueError(_("日時は 2026-12-03T14:00:00+09:00 の形で書いてください。"))
    return value


def _in_utc(value: dt.datetime) -> dt.datetime:
    """In UTC: PostgreSQL refuses offsets past ±15:59, which Python's datetime allows."""
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError(_("その日時は扱えません。")) from None


def _written_as_a_day(value: Any) -> Any:
    """2026-05-21 only: pydantic alone would read 0 as 1 January 1970."""
    if isinstance(value, dt.date) or (
        isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
    ):
        return value
    raise ValueError(_("日付は 2026-05-21 の形で書いてください。"))


def _written_as_a_time(value: Any) -> Any:
    """14:00 (or 14:00:00) only: no seconds since midnight, no offset (the database keeps
    none)."""
    if isinstance(value, dt.time) or (
        isinstance(value, str) and re.fullmatch(r"\d{2}:\d{2}(:\d{2})?", value)
    ):
        return value
    raise ValueError(_("時刻は 14:00 の形で、時差をつけずに書いてください。"))


When = Annotated[dt.datetime, BeforeValidator(_written_as_a_moment), AfterValidator(_in_utc)]
Day = Annotated[dt.date, BeforeValidator(_written_as_a_day)]
Clock = Annotated[dt.time, BeforeValidator(_written_as_a_time)]


class CodedName(Schema):
    code: str
    name: str


class Body(Schema):
    """A request body: a field it does not know is an error (422), not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Paging(Schema):
    page: int = Field(1, ge=1, description="ページ番号（1から）")
    per_page: int = Field(PER_PAGE, ge=1, le=MOST, description="1ページの件数（200まで）")


def page[M: Model](
    queryset: QuerySet[M], paging: Paging, count: int | None = None
) -> dict[str, Any]:
    """One page of `queryset` (ordered by its caller): `count` (counted here unless the
    caller knows it), `page`, `per_page`, `items`."""
    start = (paging.page - 1) * paging.per_page
    count = queryset.count() if count is None else count
    return {
        "count": count,
        "page": paging.page,
        "per_page": paging.per_page,
        # Past the last row, no query: an offset such as page=10**20 overflows the database.
        "items": list(queryset[start : start + paging.per_page]) if start < count else [],
    }


whoami = router("トークン")


class Me(Schema):
    email: str
    display_name: str
    token: str = Field(description="このトークンの名前")
    scopes: list[str]
    expires_at: str


@whoami.get("/me/", response=Me, summary="このトークンと持ち主", url_name="staff_me")
def me(request: HttpRequest) -> dict[str, Any]:
    """Who the token acts as, what it may do and until when: a script's first call."""
    token: Token = request.auth  # type: ignore[attr-defined]
    return {
        "email": token.user.email,
        "display_name": token.user.display_name,
        "token": token.name,
        "scopes": token.scopes,
        "expires_at": token.expires_at.isoformat(),
    }
