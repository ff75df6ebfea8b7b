"""The history of a record as dated steps (a referral's, a request's, a need's): who took
each step, kept by name as well, so the history still reads right after the user is gone."""

from __future__ import annotations

from typing import Any, ClassVar, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .actors import actor_name


class Step(models.Model):
    """What every step shares. Each history adds its own record, status (its own choices),
    date (`at`, or a need's `on`) and note (a referral's is encrypted)."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    by_name = models.CharField(_("記録した人"), max_length=100, blank=True)

    # Who a step without a signed-in user was taken by, where the history knows better than
    # "the system" (a need's come from the residents' form).
    nobody_name: ClassVar[Any] = ""

    class Meta:
        abstract = True

    @classmethod
    def record(cls, *, by: Any, note: str = "", **fields: Any) -> Self:
        """Write one step taken by `by` (None or anonymous: `nobody_name`, else the system)."""
        return cls._default_manager.create(
            by=by if getattr(by, "is_authenticated", False) else None,
            by_name=actor_name(by, str(cls.nobody_name)),
            note=note.strip(),
            **fields,
        )
