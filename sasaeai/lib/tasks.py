"""Work for the task worker that belongs to no app: the mail of an in-app notice, and the
queue's own upkeep (tasks left running by a killed worker go back in the queue)."""

from __future__ import annotations

import logging
from functools import partial

from django.contrib.auth import get_user_model
from django.tasks import TaskContext, task

from . import delivery, requeue
from .notices import Message

log = logging.getLogger(__name__)


@task(takes_context=True)
def send_notice_mail(
    context: TaskContext,
    user_ids: list[int],
    subject: str,
    lead: str,
    link: str,
    details: list[str],
) -> int:
    """Mail a notice (lib.notices.notify queues this after commit) to each of the users who
    is still active and has an address; return how many mails went.

    The payload is stored in the task table and may be read by whoever looks at the queue,
    so it holds ids and the Message's texts only, never an address: those are loaded here,
    when the task runs. The texts carry nothing personal either. Each caller writes a
    subject and a lead with the record's number only (referrals' "R-000012", support's
    "S-00034", from the primary key: never the person referred, what was asked, a reason or
    a message), a link to the record's page, and no details.

    A mail server that fails is logged here, with the user's id and the kind of error (not
    its text, which may hold the address), and undoes nothing: the notice is kept and shown
    in the app. The others still get theirs.

    Each mail is one `delivery` of this run of the task: run again (its worker was killed),
    it mails only those not mailed yet.
    """
    message = Message(subject, lead, link, tuple(details))
    active = get_user_model()._default_manager.filter(pk__in=user_ids, is_active=True)
    users = active.exclude(email="").in_bulk()
    run = context.task_result.id
    sent = 0
    for pk in dict.fromkeys(user_ids):  # in the order told, each once
        user = users.get(pk)
        if user is None:
            continue
        send = partial(message.send, [user])
        try:
            sent += delivery.deliver("lib.notice", run, delivery.user_key(user), send)
        except OSError as error:  # smtplib's errors and refused connections alike
            log.error("The mail of a notice to user %s failed: %s", pk, type(error).__name__)
    return sent


@task()
def requeue_stale() -> int:
    """Every few minutes: put back in the queue the tasks whose worker is gone (lib/requeue.py),
    forget old mail records, and queue the next run. How many tasks went back."""
    requeue.schedule_next()
    delivery.forget_old()
    return requeue.requeue_stale()
