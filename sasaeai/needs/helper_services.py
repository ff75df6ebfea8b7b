"""Helper workflows: registering (numbered, consent recorded), removal on request, and
recording an introduction (which a need's timeline shows).

Views, the demo and tests all come through here so consent, erasure and the timeline are
never skipped.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.areas.models import Area
from sasaeai.audit import log
from sasaeai.audit.models import Action
from sasaeai.directory.models import Activity

from .models import (
    EventAction,
    Helper,
    Introduction,
    Need,
    NeedEvent,
    NeedKind,
    Outcome,
    PeerCall,
)
from .services import actor_name

NUMBERING_ATTEMPTS = 5
# Erased when a helper is removed; what stays (area, kinds, when, dates) names nobody.
PERSONAL_FIELDS = ("name", "contact", "what", "latitude", "longitude")


def register_helper(helper: Helper, kinds: list[NeedKind], *, by: Any = None) -> Helper:
    """Save a new helper with the next number of the year (H-2026-0042) and a receipt.

    `by` is the SC who entered it with the person's consent; None for the public form.
    """
    helper.municipality = helper.area.municipality or helper.area
    helper.number_year = timezone.localdate().year
    helper.consent_at = timezone.now()
    if by is not None and getattr(by, "is_authenticated", False):
        helper.consent_by = by
        helper.seen_at = timezone.now()
    helper.consent_by_name = actor_name(by)
    for attempt in range(NUMBERING_ATTEMPTS):
        try:
            with transaction.atomic():
                # One number at a time per municipality, as for needs (needs/services.py).
                Area.objects.select_for_update().filter(pk=helper.municipality.pk).first()
                found = Helper.objects.filter(
                    municipality=helper.municipality, number_year=helper.number_year
                )
                top = found.aggregate(n=models.Max("number_seq"))["n"] or 0
                helper.number_seq = top + 1
                helper.receipt = f"{helper.number}-{secrets.randbelow(1000):03d}"
                helper.save()
                helper.kinds.set(kinds)
                return helper
        except IntegrityError:
            helper.pk = None
            helper._state.adding = True
            if attempt == NUMBERING_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def remove_helper(helper: Helper, *, by: Any = None) -> Helper:
    """Erase the helper's personal data and keep an anonymous record; audited.

    `by` is the SC who recorded the request; None when the person asked on the public form.
    """
    if helper.is_removed:
        return helper
    now = timezone.now()
    helper.name = helper.contact = helper.what = ""
    helper.latitude = helper.longitude = None
    helper.removal_requested_at = helper.removal_requested_at or now
    helper.removed_at = now
    helper.save()
    how = "staff" if by is not None else "public form"
    log.record(Action.DELETE, obj=helper, area=helper.area, user=by,
               detail=f"helper personal data erased on request ({how})")  # fmt: skip
    return helper


def find_for_removal(municipality: Any, receipt: str, contact: str) -> Helper | None:
    """The active helper with this receipt and contact (compared without spaces or hyphens)."""
    found = Helper.objects.of(municipality).active().filter(receipt=receipt.strip()).first()
    if found is None or squash(found.contact) != squash(contact) or not squash(contact):
        return None
    return found


def squash(value: str) -> str:
    return "".join(ch for ch in value.lower() if ch not in " -‐－ー　()（）")


@transaction.atomic
def introduce(
    *,
    by: Any,
    need: Need | None = None,
    helper: Helper | None = None,
    activity: Activity | None = None,
    peer_call: PeerCall | None = None,
    on: dt.date | None = None,
    outcome: str = Outcome.PENDING,
    reasons: str = "",
    note: str = "",
) -> Introduction:
    """Record who was put in touch with whom or what; a need's timeline gets the step."""
    if peer_call is not None:
        activity = peer_call.activity
    parties = [p for p in (need, helper, activity) if p is not None]
    if len(parties) < 2:
        raise ValidationError(_("だれを、どの活動やだれに紹介したかを選んでください。"))
    if helper is not None and helper.is_removed:
        raise ValidationError(_("この担い手は登録を削除しています。"))
    on = on or timezone.localdate()
    area = need.area if need is not None else helper.area if helper is not None else None
    assert area is not None
    event = None
    if need is not None:
        event = NeedEvent.objects.create(
            need=need, action=EventAction.INTRODUCED, status=need.status, on=on, by=by,
            by_name=actor_name(by), note=note.strip(),
        )  # fmt: skip
    return Introduction.objects.create(
        area=area, need=need, helper=helper, activity=activity, peer_call=peer_call,
        event=event, on=on, outcome=outcome, reasons=reasons[:200], note=note.strip(),
        by=by, by_name=actor_name(by),
    )  # fmt: skip
