"""Workflows of requests for help and bookings; views, demo data and tests all use these.

A request moves new → accepted → done, or from new or accepted to declined with a reason;
each step is a RequestEvent with its date and who took it. The requester (and, for the
council's messages, whoever accepted) gets an in-app notice and, after commit, a mail;
neither carries any content of the request (sasaeai.lib.notices).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.lib import links, notices
from sasaeai.lib.actors import actor_name

from .models import (
    Booking,
    RequestEvent,
    RequestMessage,
    RequestNotice,
    Side,
    Status,
    SupportRequest,
    Venue,
)

# The steps the ward side takes, and from where.
STEPS: dict[str, frozenset[str]] = {
    Status.ACCEPTED: frozenset({Status.NEW}),
    Status.DONE: frozenset({Status.ACCEPTED}),
    Status.DECLINED: frozenset({Status.NEW, Status.ACCEPTED}),
}


def _event(req: SupportRequest, status: str, by: Any, note: str = "") -> RequestEvent:
    return RequestEvent.record(request=req, status=status, at=timezone.now(), by=by, note=note)


def notify(req: SupportRequest, users: list[Any], by: Any) -> None:
    """An unread marker for each (active) user other than the one who acted and, once the
    transaction is kept, a mail that says only that there is news, with the request's
    number and a link: never its title, what was asked or what anyone wrote."""
    number = {"n": req.number}
    message = notices.Message(
        subject=_("【支え合い】応援の依頼 %(n)s に新しい動きがあります") % number,
        lead=_("応援の依頼（%(n)s）に新しい動きがあります。") % number,
        link=links.absolute(req.get_absolute_url(), req.municipality),
    )
    notices.notify(users, RequestNotice, message, but=by, request=req)


def mark_read(req: SupportRequest, user: Any) -> None:
    RequestNotice.objects.for_user(user).filter(request=req).mark_read()


@transaction.atomic
def open_request(req: SupportRequest, *, by: Any) -> SupportRequest:
    """Save a new request from the council side, with its first step."""
    req.status = Status.NEW
    req.opened_by = by
    req.opened_at = timezone.now()
    req.save()
    _event(req, Status.NEW, by)
    return req


@transaction.atomic
def step(req: SupportRequest, to: str, *, by: Any, note: str = "") -> RequestEvent:
    """The ward side's answer: accept, finish (only what was accepted) or decline (with a
    reason, which the council reads). Refused steps change nothing."""
    # Lock the row and read its status afresh: two answers at once cannot both apply.
    locked = SupportRequest.objects.select_for_update().filter(pk=req.pk)
    req.status = locked.values_list("status", flat=True).get()
    if to not in STEPS or req.status not in STEPS[to]:
        if to == Status.DONE and req.status == Status.NEW:
            raise ValidationError(_("受付待ちの依頼は、まず引き受けてから完了にしてください。"))
        raise ValidationError(_("今の状態からは、その操作はできません。"))
    note = note.strip()
    if to == Status.DECLINED and not note:
        raise ValidationError(_("お断りするときは、理由を書いてください。"))
    now = timezone.now()
    req.status = to
    fields = ["status", "updated_at"]
    if to == Status.ACCEPTED:
        req.accepted_by, req.accepted_at = by, now
        fields += ["accepted_by", "accepted_at"]
    else:
        req.closed_at = now
        fields.append("closed_at")
    if to == Status.DECLINED:
        req.decline_reason = note
        fields.append("decline_reason")
    req.save(update_fields=fields)
    event = _event(req, to, by, note)
    notify(req, [req.opened_by], by)
    return event


@transaction.atomic
def post_message(req: SupportRequest, body: str, *, by: Any, side: str) -> RequestMessage:
    """A message on the request's thread; the other side's known person is told."""
    message = RequestMessage.objects.create(
        request=req, side=side, author=by, author_name=actor_name(by), body=body.strip(),
        at=timezone.now(),
    )  # fmt: skip
    told = [req.opened_by] if side == Side.WARD else [req.accepted_by, req.opened_by]
    notify(req, told, by)
    return message


def clashes(venue: Venue, starts_at: dt.datetime, ends_at: dt.datetime) -> list[Booking]:
    return list(venue.bookings.overlapping(starts_at, ends_at).order_by("starts_at"))


@transaction.atomic
def book(
    venue: Venue,
    *,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    purpose: str,
    by: Any,
    request: SupportRequest | None = None,
) -> Booking:
    """Take the entry for a time. The venue row is locked (SELECT … FOR UPDATE) before the
    overlap check, so of two bookings made at the same moment the second waits, sees the
    first and is refused: never two bookings of one entry at one time."""
    if ends_at <= starts_at:
        raise ValidationError(_("終了は開始より後の時刻にしてください。"))
    Venue.objects.select_for_update().get(pk=venue.pk)
    clash = clashes(venue, starts_at, ends_at)
    if clash:
        other = clash[0]
        raise ValidationError(
            _(
                "「%(venue)s」はその時間に予約があります: %(when)s「%(purpose)s」。"
                "別の時間にしてください。"
            )
            % {"venue": venue.name, "when": other.when, "purpose": other.purpose}
        )
    return Booking.objects.create(
        venue=venue, starts_at=starts_at, ends_at=ends_at, purpose=purpose.strip(),
        request=request, booked_by=by,
    )  # fmt: skip
