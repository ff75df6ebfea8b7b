"""For the navigation and the staff home: may this person handle referrals, and how many
referrals have news for them."""

from __future__ import annotations

from typing import Any

from django import template

from .. import lookups
from ..models import Notice

register = template.Library()


def _user(context: Any) -> Any:
    return getattr(context.get("request"), "user", None)


@register.simple_tag(takes_context=True)
def may_handle_referrals(context: Any) -> bool:
    user = _user(context)
    return bool(user is not None and user.is_authenticated and lookups.may_handle(user))


@register.simple_tag(takes_context=True)
def referral_news_count(context: Any) -> int:
    user = _user(context)
    if user is None or not user.is_authenticated or not lookups.may_handle(user):
        return 0
    unread = Notice.objects.filter(user=user, read_at__isnull=True)
    return unread.values("referral").distinct().count()
