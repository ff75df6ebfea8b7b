"""What the SCs' trainings (Event) and the residents' local events (LocalEvent) share: the
queries of a published event in time, and calling one off (中止)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Self

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.areas.models import Area


class HappeningQuerySet[M: models.Model](models.QuerySet[M]):
    def of(self, municipality: Area) -> Self:
        return self.filter(municipality=municipality)

    def published(self) -> Self:
        return self.filter(published_at__isnull=False)

    def upcoming(self, now: dt.datetime | None = None) -> Self:
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now: dt.datetime | None = None) -> Self:
        return self.filter(ends_at__lt=now or timezone.now())


def call_off(locked: Any, event: Any, reason: str, now: dt.datetime) -> None:
    """Call off a published event that has not ended, with its reason: `locked` is the row
    held for update, `event` the caller's copy, which is brought up to date. The calendar
    feeds see it CANCELLED under a higher SEQUENCE. Bad cases raise ValidationError, changing
    nothing."""
    if not locked.is_published:
        raise ValidationError(_("公開していない催しは、中止ではなく削除してください。"))
    if locked.is_cancelled:
        raise ValidationError(_("この催しはもう中止になっています。"))
    if locked.ends_at <= now:
        raise ValidationError(_("終わった催しは中止にできません。"))
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("中止の理由を入れてください。"))
    locked.cancelled_at, locked.cancel_reason = now, reason
    locked.sequence += 1
    locked.save(update_fields=["cancelled_at", "cancel_reason", "sequence", "updated_at"])
    event.cancelled_at, event.cancel_reason, event.sequence = now, reason, locked.sequence
