"""A task for test_several_servers.py: it counts its runs in the shared cache (Redis), which
the test reads back."""

from __future__ import annotations

from django.core.cache import cache
from django.tasks import task


@task
def count_run(key: str) -> None:
    cache.add(key, 0, timeout=None)
    cache.incr(key)
