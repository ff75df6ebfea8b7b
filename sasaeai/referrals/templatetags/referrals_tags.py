"""For the navigation and the staff home: may this person handle referrals, and how many
referrals have news for them; for the public pages, the おとしより相談センター of an area."""

from __future__ import annotations

from typing import Any

from django import template

from sasaeai.areas.models import Area

from .. import lookups
from ..models import Institution, Notice

CENTRE_KIND = "houkatsu"  # the code of おとしより相談センター in the default taxonomy

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
    unread = Notice.objects.for_user(user).unread()
    return unread.values("referral").distinct().count()


@register.simple_tag
def consultation_centre(area: Area | None) -> Institution | None:
    """The public おとしより相談センター (the default kind `houkatsu`) covering this area or
    an area above it, for the public pages that name where to call; None when none is known."""
    if area is None:
        return None
    centres = Institution.objects.of(area.municipality or area).public()
    centres = centres.filter(kind__code=CENTRE_KIND).order_by("name", "pk")
    # The area's own centre before one that covers the block or the whole municipality.
    return centres.filter(areas=area).first() or centres.covering(area).first()
