"""Sharing beyond the municipality where other know-how pages need it: the panel on a case's
and a question's page (state, and the buttons for the writer and the ward), and the links on
the know-how home (the other municipalities' page; the ward's requests, with their count)."""

from __future__ import annotations

from typing import Any

from django import template

from .. import sharing_lookups as lookups
from ..models import AskedQuestion, Case, ShareState
from ..sharing_services import shareable

register = template.Library()


@register.inclusion_tag("knowhow/sharing/_panel.html", takes_context=True)
def sharing_panel(context: dict[str, Any], item: Case | AskedQuestion) -> dict[str, Any]:
    """The sharing of `item` as its writer (asker) and the ward see it, with their buttons;
    nothing for anyone else."""
    user = context["request"].user
    is_case = isinstance(item, Case)
    rules = lookups.CASE_RULES if is_case else lookups.QUESTION_RULES
    may = {action: rule(user, item) for action, rule in rules.items()}  # type: ignore[operator]
    shown = shareable(item)
    state = item.share_state
    return {
        "item": item, "is_case": is_case, "shown": shown, "state": state,
        "show": any(may.values()) and (shown or state != ShareState.NONE),
        "may_ask": may[lookups.ASK] and shown and not item.share_active,
        "may_decide": may[lookups.DECIDE] and state == ShareState.ASKED,
        "may_withdraw": may[lookups.WITHDRAW] and item.share_active,
        "csrf_token": context.get("csrf_token"),
    }  # fmt: skip


@register.inclusion_tag("knowhow/sharing/_links.html", takes_context=True)
def sharing_links(context: dict[str, Any]) -> dict[str, Any]:
    """For staff, the link to the other municipalities' page; for the ward, its requests
    (counted on their page: the home keeps to its budget of queries, test_home.py)."""
    user = context["request"].user
    ward = bool(lookups.ward_municipalities(user))
    return {"readers": lookups.may_read_others(user), "ward": ward}
