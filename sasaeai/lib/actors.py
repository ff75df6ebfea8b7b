"""Who did a step, as the history of a record names them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def actor_name(user: Any, nobody: str = "") -> str:
    """The signed-in user's name, or `nobody` (default: the system) for a step no one signed in
    took: a nightly task, or a resident's form."""
    if user is None or not getattr(user, "is_authenticated", False):
        return nobody or _("システム")
    return str(user)
