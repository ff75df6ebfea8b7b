"""Background notifications. Payloads are ids only: never a name, an address or a mail."""

from __future__ import annotations

from django.tasks import task

from . import services


@task()
def announce_event(event_id: int) -> int:
    """Tell the SCs a newly published event is for."""
    return services.announce(event_id)


@task()
def notify_promoted(registration_id: int) -> bool:
    """Tell a waiter that they got a seat."""
    return services.tell_promoted(registration_id)


@task()
def notify_cancelled(event_id: int) -> int:
    """Tell those registered or waiting that the event was called off."""
    return services.tell_cancelled(event_id)
