"""Two staff edit the same venue at once: the second to save is told, nothing of theirs is
written, and a second press after looking saves (lib/optimistic.py)."""

from __future__ import annotations

import pytest

from sasaeai.lib.tests.conflicts import second_saver_is_told
from sasaeai.support.models import Venue

from .builders import make_venue

pytestmark = pytest.mark.django_db


def test_the_second_saver_of_a_venue_is_told(users: dict) -> None:
    venue = make_venue(capacity=30)
    second_saver_is_told(
        f"/staff/support/venues/{venue.pk}/edit/", (users["ward"], users["admin"]),
        "capacity", ("40", "24"), lambda: str(Venue.objects.get(pk=venue.pk).capacity),
    )  # fmt: skip
