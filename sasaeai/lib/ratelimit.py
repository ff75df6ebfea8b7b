"""How many times an address may send a public form in an hour (against floods of spam).

One counter per form and address in the cache (the database cache: shared by every worker).
The address is REMOTE_ADDR, which the proxy in front sets (docs/deploy.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

HOUR = 3600


@dataclass(frozen=True)
class HourlyLimit:
    name: str  # one per form: "proposals", "needs", …
    per_hour: int

    def _key(self, request: HttpRequest) -> str:
        return f"ratelimit:{self.name}:{request.META.get('REMOTE_ADDR', '')}"

    def reached(self, request: HttpRequest) -> bool:
        """Has this address already sent `per_hour` in the last hour?"""
        return int(cache.get(self._key(request), 0)) >= self.per_hour

    def count(self, request: HttpRequest) -> None:
        """Count one more sending from this address."""
        key = self._key(request)
        if not cache.add(key, 1, HOUR):
            try:
                cache.incr(key)
            except ValueError:  # expired in between
                cache.add(key, 1, HOUR)
