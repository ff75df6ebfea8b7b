"""Scheduled work. Payloads carry no personal data: this task takes no arguments at all."""

from __future__ import annotations

from django.tasks import task

from . import services


@task()
def anonymise_expired_referrals() -> int:
    """Anonymise finished referrals older than each municipality's retention period."""
    return services.anonymise_expired()
