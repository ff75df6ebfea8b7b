"""For the navigation and the staff home: how many requests for help have news for this
person (a status change or a reply they have not opened yet)."""

from __future__ import annotations

from typing import Any

from django import template

from ..models import RequestNotice

register = template.Library()


@register.simple_tag(takes_context=True)
def support_news_count(context: Any) -> int:
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return 0
    unread = RequestNotice.objects.for_user(user).unread()
    return unread.values("request").distinct().count()
