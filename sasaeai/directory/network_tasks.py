"""The mail that tells organisers in a region's network that the SC has sent them a message."""

from __future__ import annotations

import logging
from functools import partial

from django.conf import settings
from django.core import mail
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from sasaeai.lib import delivery

from . import network
from .models import NetworkRecipient

log = logging.getLogger(__name__)


@task()
def send_network_mail(recipient_ids: list[int]) -> int:
    """Mail each recipient whose organiser is still in the network and has an address; return
    how many went.

    The payload is stored in the task table, where whoever looks at the queue may read it: ids
    only. The address and the link (whose secret opens the message) are loaded here, when the
    task runs; the mail says there is a message and gives the link, never the message. A mail
    server that fails is logged with the recipient's id and the kind of error, and undoes
    nothing: the others still get theirs, and the SC's page shows who was not mailed.

    Each mail is a `lib.delivery`, marked mailed in the same transaction: run again after
    its worker was killed, the task mails only those not mailed yet.
    """
    waiting = (
        NetworkRecipient.objects.filter(pk__in=recipient_ids, mailed_at__isnull=True)
        .filter(member__left_at__isnull=True)
        .exclude(Q(member__activity__contact_email="") | Q(expires_at__lte=timezone.now()))
        .select_related("message__area__municipality", "member__activity")
        .order_by("pk")
    )
    sent = 0
    for recipient in waiting:
        subject, body = network.mail_text(recipient)
        address = recipient.member.activity.contact_email
        send = partial(mail.send_mail, subject, body, settings.DEFAULT_FROM_EMAIL, [address])
        mailed = NetworkRecipient.objects.filter(pk=recipient.pk).update
        key = f"network:{recipient.pk}"
        try:
            went = delivery.deliver("directory.network", recipient.pk, key, send,
                                    also=partial(mailed, mailed_at=timezone.now()))  # fmt: skip
        except OSError as error:  # smtplib's errors and refused connections alike
            log.error("The network mail %s failed: %s", recipient.pk, type(error).__name__)
            continue
        sent += went
    return sent
