"""Put the recurring background tasks in the queue (idempotent: run it at every start)."""

from typing import Any

from django.core.management.base import BaseCommand

from sasaeai.referrals.tasks import schedule_daily


class Command(BaseCommand):
    help = (
        "Enqueue the daily anonymise_expired_referrals task for the next 03:00 Asia/Tokyo "
        "unless one is already waiting. `manage.py db_worker` runs it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        when = schedule_daily()
        if when is None:
            self.stdout.write("anonymise_expired_referrals: already scheduled")
        else:
            self.stdout.write(f"anonymise_expired_referrals: scheduled for {when.isoformat()}")
