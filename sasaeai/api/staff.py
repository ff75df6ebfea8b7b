"""The staff API's common parts: a personal access token (tokens.py) in the Authorization
header acts as its maker, within its scopes; a rate limit per token; bodies of at most 1 MB;
paging; request bodies that refuse unknown fields.

Each resource module (staff_*.py) makes its router with `router()` and asks, first thing in
each operation, `need(request, Scope....)`. Every record then comes through
accounts/access.py with `request.user`, exactly as in the pages: the API shows and changes
what its caller may see and change there, and no more. Writes are audited as page writes
are, each entry naming the token (audit context `via`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle
from pydantic import ConfigDict, Field

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


class TokenThrottle(SimpleRateThrottle):
    """So many requests a minute per token (settings.SASAEAI_API_RATE, "120/m")."""

    scope = "token"

    def get_rate(self) -> str:
        return str(settings.SASAEAI_API_RATE)

    def get_cache_key(self, request: HttpRequest) -> str:
        token: Token = request.auth  # type: ignore[attr-defined]
        return f"throttle_token_{token.pk}"


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


class Body(Schema):
    """A request body: a field it does not know is an error (422), not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Paging(Schema):
    page: int = Field(1, ge=1, description="ページ番号（1から）")
    per_page: int = Field(PER_PAGE, ge=1, le=MOST, description="1ページの件数（200まで）")


def page[M: Model](queryset: QuerySet[M], paging: Paging) -> dict[str, Any]:
    """One page of `queryset` (ordered by its caller): `count`, `page`, `per_page`, `items`."""
    start = (paging.page - 1) * paging.per_page
    count = queryset.count()
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
