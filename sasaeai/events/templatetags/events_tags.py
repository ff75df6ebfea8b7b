"""For the navigation and the staff home: may this person use the events pages, and how
many events have news for them."""

from __future__ import annotations

from typing import Any

from django import template

from .. import lookups
from ..models import Notice

register = template.Library()


def _user(context: Any) -> Any:
    user = getattr(context.get("request"), "user", None)
    return user if user is not None and user.is_authenticated else None


@register.simple_tag(takes_context=True)
def may_use_events(context: Any) -> bool:
    user = _user(context)
    return bool(user and (lookups.is_participant(user) or lookups.may_manage(user)))


@register.simple_tag(takes_context=True)
def events_news_count(context: Any) -> int:
    user = _user(context)
    if user is None:
        return 0
    return Notice.objects.filter(user=user, read_at__isnull=True).values("event").distinct().count()
