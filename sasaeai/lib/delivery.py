"""The one way the task worker sends a mail: once per kind, record and recipient, even when
the task runs again after its worker was killed halfway through.

A task left running by a killed worker is put back in the queue (lib/requeue.py) and runs
from the start. Every mail it sends goes through `deliver`, which first claims the mail in a
row of its own (`Delivery`, committed before anything leaves), then sends it, then marks it
sent in one transaction with the caller's own record of it (`also`). So the second run
skips every mail the first one sent, and sends the rest:

- the mail server refused or failed (an exception, the worker's own stop included): the
  claim is taken back, and the next run sends that mail;
- the process died between the claim and the mark (SIGKILL, power, out of memory while the
  mail was on its way): nobody can know whether the server took it. That one mail is not
  sent again but logged as uncertain: at most one a killed run, since mails go one by one.
  Nobody gets two mails; the in-app notice and the pages (a network member "not mailed")
  still tell.

Keys name no one: the recipient is "user:12" or a row's id, never an address.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import Delivery

log = logging.getLogger(__name__)

KEEP_DAYS = 90  # long past any run of a task, which is all a record is for


def user_key(user: Any) -> str:
    """The recipient key of a user account."""
    return f"user:{user.pk}"


def deliver(
    kind: str,
    record: object,
    recipient: str,
    send: Callable[[], object],
    *,
    also: Callable[[], object] | None = None,
) -> bool:
    """Send one mail (`send`) of `kind` (e.g. "events.announce") about `record` (its id, or
    a task run's id) to `recipient` (`user_key(user)`, or a row's key) unless it was sent or
    is being sent already; return whether it went now. `also` runs in the transaction that
    marks the mail sent (e.g. a `mailed_at` of the caller's own)."""
    claim, created = Delivery.objects.get_or_create(
        kind=kind, record=str(record), recipient=recipient,
        defaults={"claimed_at": timezone.now()},
    )  # fmt: skip
    if not created:
        if claim.sent_at is None:
            log.warning("Mail %s %s to %s may not have gone: not sent again.", kind, record,
                        recipient)  # fmt: skip
        return False
    try:
        send()
    except BaseException:
        # The server did not take it (or the worker is stopping): the next run sends it.
        Delivery.objects.filter(pk=claim.pk).delete()
        raise
    with transaction.atomic():
        Delivery.objects.filter(pk=claim.pk).update(sent_at=timezone.now())
        if also is not None:
            also()
    return True


def was_sent(kind: str, record: object, recipient: str) -> bool:
    """Whether that mail went (for tests and pages)."""
    found = Delivery.objects.filter(kind=kind, record=str(record), recipient=recipient)
    return found.filter(sent_at__isnull=False).exists()


def forget(kind: str, record: object) -> None:
    """Forget the mails of `kind` about `record`: it starts anew (an expense that waits for
    approval again), and its mails are new ones."""
    Delivery.objects.filter(kind=kind, record=str(record)).delete()


def forget_old(now: dt.datetime | None = None) -> int:
    """Delete the records of mails claimed more than KEEP_DAYS days ago; return how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=KEEP_DAYS)
    deleted, _kinds = Delivery.objects.filter(claimed_at__lt=cutoff).delete()
    return deleted
