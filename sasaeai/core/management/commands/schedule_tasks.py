"""Put the recurring background tasks in the queue (idempotent: run it at every start)."""

from typing import Any

from django.core.management.base import BaseCommand

from sasaeai.core import tasks as upkeep
from sasaeai.events import tasks as events
from sasaeai.referrals import tasks as referrals


class Command(BaseCommand):
    help = (
        "Enqueue the daily tasks (anonymise_expired_referrals at 03:00 Asia/Tokyo, "
        "purge_local_signups at 03:15, refresh_statistics at 03:30) "
        "unless each is already waiting. "
        "`manage.py db_worker` runs them."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        daily = {
            "anonymise_expired_referrals": referrals.schedule_daily,
            "purge_local_signups": events.schedule_daily,
            "refresh_statistics": upkeep.schedule_daily,
        }
        for name, schedule in daily.items():
            when = schedule()
            if when is None:
                self.stdout.write(f"{name}: already scheduled")
            else:
                self.stdout.write(f"{name}: scheduled for {when.isoformat()}")
