"""Making, finding and revoking personal access tokens (models.Token). The secret is shown
once, when made; only its SHA-256 digest is kept (a random 256-bit secret needs no slow hash),
so a token is found by the digest of what its caller sends."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from allauth.mfa.utils import is_mfa_enabled
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.accounts import access
from sasaeai.accounts.models import User
from sasaeai.areas.models import Area

from .models import LONGEST, Scope, Token

PREFIX = "sasaeai_"
TOUCH_EVERY = dt.timedelta(minutes=1)  # last_used_at is written at most this often


class Refused(Exception):
    """Why a token (or a wish for one) was turned down: a code and a Japanese message."""

    def __init__(self, code: str, detail: str, status: int = 401) -> None:
        super().__init__(detail)
        self.code, self.detail, self.status = code, detail, status


@dataclass(frozen=True)
class Made:
    token: Token
    secret: str  # shown to its maker once, never stored


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def may_make(user: User) -> bool:
    """Staff (anyone with a role) who sign in with two steps may make tokens."""
    return bool(access.memberships(user)) and is_mfa_enabled(user)


def make(user: User, name: str, expires_on: dt.date, scopes: list[str]) -> Made:
    """A new token of `user`; raises Refused (400) for a wish that cannot be granted."""
    if not may_make(user):
        raise Refused("mfa_required", _("APIトークンを作るには二段階認証を設定してください。"), 403)
    name = name.strip()
    if not name:
        raise Refused("invalid", _("名前を入れてください。"), 400)
    today = timezone.localdate()
    if not today < expires_on <= today + LONGEST:
        raise Refused("invalid", _("有効期限は明日から1年後までの日にしてください。"), 400)
    unknown = set(scopes) - set(Scope.values)
    if not scopes or unknown:
        raise Refused("invalid", _("できることを1つ以上選んでください。"), 400)
    secret = PREFIX + secrets.token_urlsafe(32)
    end = dt.datetime.combine(expires_on, dt.time.max)
    token = Token.objects.create(
        user=user,
        municipality=_municipality(user),
        name=name,
        prefix=secret[: len(PREFIX) + 6],
        digest=digest(secret),
        scopes=sorted(set(scopes)),
        expires_at=timezone.make_aware(end),
    )
    return Made(token, secret)


def _municipality(user: User) -> Area:
    """The municipality the user works for (of their first role, when none is recorded)."""
    if user.municipality is not None:
        return user.municipality
    area = access.memberships(user)[0].area
    return area.municipality or area


def find(secret: str) -> Token:
    """The usable token whose secret this is, with its user; else Refused (401). One row
    (the digest is unique): no order, and no join beyond the user, whom the request acts as
    (the caller compares `municipality_id` alone)."""
    found = Token.objects.select_related("user").filter(digest=digest(secret)).order_by()
    token = next(iter(found), None)
    if token is None or not token.user.is_active:
        raise Refused("invalid_token", _("APIトークンが正しくありません。"))
    if token.revoked_at is not None:
        raise Refused("token_revoked", _("このAPIトークンは取り消されています。"))
    if token.expires_at <= timezone.now():
        raise Refused("token_expired", _("このAPIトークンの有効期限が切れています。"))
    return token


def touch(token: Token) -> None:
    """Stamp the token as used now (at most once a minute: a busy script writes rarely)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        Token.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def revoke(token: Token) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
