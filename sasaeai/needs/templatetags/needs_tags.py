"""The 新着 marker other pages show: needs sent from the public form nobody has opened yet."""

from __future__ import annotations

from typing import Any

from django import template

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability

from ..models import Need

register = template.Library()


@register.simple_tag(takes_context=True)
def new_needs_count(context: dict[str, Any]) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if not access.has_any(user, Capability.EDIT):
        return 0
    return access.scope(user, Need.objects.unseen(), Capability.EDIT).count()
