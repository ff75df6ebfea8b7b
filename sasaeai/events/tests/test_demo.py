import time
from typing import Any

import pytest
from django.utils import timezone

from sasaeai.events.demo import build_events
from sasaeai.events.models import Event, PlanTarget, Registration, RegistrationStatus

pytestmark = pytest.mark.django_db
SEED = 20261126


def snapshot() -> list[tuple[Any, ...]]:
    return list(
        Registration.objects.order_by("event__uid", "user__email").values_list(
            "event__uid", "event__title", "user__email", "status", "attended"
        )
    )


def test_a_year_of_events_with_registrations_attendance_and_plan(itabashi: Any) -> None:
    started = time.monotonic()
    build_events(itabashi, SEED)
    assert time.monotonic() - started < 10
    events = Event.objects.of(itabashi)
    assert events.count() == 13 and events.filter(published_at__isnull=True).count() == 1
    forum = events.get(title__startswith="介護予防フォーラム")  # called off while ahead
    assert forum.is_cancelled == (forum.starts_at > timezone.now()) and forum.how_to_apply
    assert PlanTarget.objects.filter(municipality=itabashi).count() == 3
    assert Registration.objects.filter(attended=True).exists()
    assert Registration.objects.filter(status=RegistrationStatus.WAITING).exists()
    first = snapshot()
    build_events(itabashi, SEED)  # idempotent
    assert snapshot() == first and events.count() == 13
