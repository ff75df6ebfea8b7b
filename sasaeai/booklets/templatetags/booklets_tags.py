"""Page numbers of a laid-out booklet, and the staff home's count of made booklets."""

from __future__ import annotations

from typing import Any

from django import template

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability

from ..models import Notice

register = template.Library()


@register.filter
def page_of(pages: dict[str, int], anchor: Any) -> str:
    """The page an anchor landed on ("a12" for activity 12), or a stand-in of the same width
    while the pages are not known yet (the front is laid out once before)."""
    return str(pages.get(str(anchor), "00"))


@register.simple_tag(takes_context=True)
def booklet_news_count(context: dict[str, Any]) -> int:
    user = context["request"].user
    return Notice.objects.for_user(user).unread().count() if user.is_authenticated else 0


@register.filter
def card_page(pages: dict[str, int], activity_id: Any) -> str:
    return page_of(pages, f"a{activity_id}")


@register.simple_tag(takes_context=True)
def may_make_booklets(context: dict[str, Any]) -> bool:
    return access.has_any(context["request"].user, Capability.EDIT)


@register.filter
def pairs(entries: list[Any]) -> list[tuple[Any, Any]]:
    """A list in two columns read downwards: (1st, n/2+1st), (2nd, n/2+2nd)…"""
    half = (len(entries) + 1) // 2
    left, right = entries[:half], entries[half:]
    return [(a, right[i] if i < len(right) else None) for i, a in enumerate(left)]
