"""Returned sign-up sheets hold names and phone numbers as the sign-ups do: their images go
on the same day as the sign-ups' (local_services.purge_signups), by the nightly purge."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sasaeai.lib import photos

from .local_models import KEEP_DAYS
from .paper_models import EventSheet


def purge_sheets(now: dt.datetime | None = None) -> int:
    """Delete the images of returned sheets of events that ended KEEP_DAYS days ago or more
    (by the day in Tokyo, as the sign-ups); the rows stay, so no reference comes back. How
    many images went."""
    today = timezone.localdate(now or timezone.now())
    cutoff = timezone.make_aware(
        dt.datetime.combine(today - dt.timedelta(days=KEEP_DAYS - 1), dt.time.min)
    )
    done = 0
    for sheet in EventSheet.objects.exclude(scan="").filter(event__ends_at__lt=cutoff):
        with transaction.atomic():
            photos.delete_later(sheet.scan.storage, sheet.scan.name or "")
            sheet.scan = ""  # type: ignore[assignment]
            sheet.save(update_fields=["scan"])
        done += 1
    return done
