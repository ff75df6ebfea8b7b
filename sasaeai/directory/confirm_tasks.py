"""The organisers' confirmation in the task worker: a region's sheets, and the mails."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import mail
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from . import confirm, confirm_sheets
from .models import ConfirmationBatch, ConfirmationRequest

log = logging.getLogger(__name__)


@task()
def make_batch(batch_id: int, site: str = "") -> bool:
    """Make a region's sheets (confirm_sheets.build); False if the batch is gone."""
    batch = ConfirmationBatch.objects.select_related("season__municipality", "area").filter(
        pk=batch_id
    )
    found = batch.first()
    if found is None:
        return False
    base = site or confirm.site(found.season.municipality)
    confirm_sheets.build(found, base, mail=lambda ids: mail_requests(ids, base))
    return True


@task()
def send_confirmation_mail(request_ids: list[int], site: str = "") -> int:
    return mail_requests(request_ids, site)


def mail_requests(request_ids: list[int], site: str = "") -> int:
    """Mail each unanswered request's organiser a fresh code and its link; return how many
    went.

    The payload is ids only: the code is drawn here, where it is sent, and kept nowhere but in
    the mail (its hash on the request). A mail server that fails is logged with the request's
    id and the kind of error; the SC's page shows who was not mailed.
    """
    waiting = (
        ConfirmationRequest.objects.filter(pk__in=request_ids, answer="")
        .exclude(Q(activity__contact_email=""))
        .select_related("batch__season__municipality", "batch__area", "activity")
        .order_by("pk")
    )
    sent = 0
    for request in waiting:
        if request.batch.season.is_over:
            continue
        base = site or confirm.site(request.batch.season.municipality)
        code = confirm.reissue(request)
        subject, body = confirm.mail_text(request, code, base)
        try:
            mail.send_mail(
                subject, body, settings.DEFAULT_FROM_EMAIL, [request.activity.contact_email]
            )
        except OSError as error:  # smtplib's errors and refused connections alike
            log.error("The confirmation mail %s failed: %s", request.pk, type(error).__name__)
            continue
        ConfirmationRequest.objects.filter(pk=request.pk).update(mailed_at=timezone.now())
        sent += 1
    return sent
