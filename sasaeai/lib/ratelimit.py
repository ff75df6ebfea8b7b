"""How many times an address may send a public form in an hour (against floods of spam).

One counter per form and address, a row in the database (shared by every worker). A sending
takes its place by adding one to the counter first and deciding after, in one transaction:
requests sent at the same moment each see their own count, so no more than `per_hour` get
through (reading the count first and adding after let 7 of 12 simultaneous sendings in under
a limit of 5). The address is REMOTE_ADDR: the client's, behind the proxies the settings trust
(lib/client_address.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from .models import HourlyCount

HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class HourlyLimit:
    name: str  # one per form: "proposals", "needs", …
    per_hour: int

    def _key(self, request: HttpRequest) -> str:
        return f"{self.name}:{request.META.get('REMOTE_ADDR', '')}"[:200]

    def reached(self, request: HttpRequest) -> bool:
        """Has this address already sent `per_hour` within the hour?"""
        counter = HourlyCount.objects.filter(key=self._key(request), until__gt=timezone.now())
        return (counter.values_list("count", flat=True).first() or 0) >= self.per_hour

    def take(self, request: HttpRequest) -> bool:
        """Count one more sending from this address; False when that is one too many."""
        key, now = self._key(request), timezone.now()
        with transaction.atomic():
            HourlyCount.objects.filter(until__lte=now).delete()  # this one's hour, if it is over
            HourlyCount.objects.get_or_create(key=key, defaults={"until": now + HOUR})
            HourlyCount.objects.filter(key=key).update(count=F("count") + 1)
            count = HourlyCount.objects.values_list("count", flat=True).get(key=key)
        return count <= self.per_hour
