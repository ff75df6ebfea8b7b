"""Referral workflows: open, send (only with consent), answer, notify, anonymise, and the
retention rules the nightly job applies.

Views, commands, tasks and demo data all go through these functions, so every step leaves
its ReferralEvent. Notifications say only that there is news: the e-mail carries a link and
the referral's number, never a name, an address or what the problem is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.areas.models import Area
from sasaeai.lib import links, notices

from .models import (
    ANSWERS,
    FINISHED,
    Notice,
    Outcome,
    Referral,
    ReferralEvent,
    ReferralPolicy,
    ReferralQuerySet,
    Status,
)

PERSONAL_FIELDS = (
    "person_name", "person_contact", "person_address", "problem", "tried",
    "consent_witness", "consent_purpose",
)  # fmt: skip


def _event(referral: Referral, status: str, by: Any, note: str = "") -> ReferralEvent:
    return ReferralEvent.record(
        referral=referral, status=status, at=timezone.now(), by=by, note=note
    )


@transaction.atomic
def open_referral(referral: Referral, *, by: Any) -> Referral:
    """Save a new referral as a draft, with its first event."""
    referral.status = Status.DRAFT
    referral.created_by = by
    referral.save()
    _event(referral, Status.DRAFT, by)
    return referral


@transaction.atomic
def send(referral: Referral, *, by: Any, note: str = "") -> ReferralEvent:
    """Send a draft to its institution; refused while the consent is not fully recorded."""
    if referral.status != Status.DRAFT:
        raise ValidationError(_("下書きのつなぎだけを送れます。"))
    missing = referral.consent_missing()
    if missing:
        raise ValidationError(
            _("ご本人の同意が記録されていないため送れません（未記入: %(m)s）。")
            % {"m": "、".join(missing)}
        )
    referral.status = Status.SENT
    referral.sent_at = timezone.now()
    referral.save(update_fields=["status", "sent_at", "updated_at"])
    event = _event(referral, Status.SENT, by, note)
    staff = [link.user for link in referral.institution.staff.select_related("user")]
    notify(referral, [u for u in staff if u.is_active])
    return event


@transaction.atomic
def resend(
    referral: Referral, *, by: Any, previous_institution: Any, note: str = ""
) -> ReferralEvent:
    """Send a returned referral again, corrected by the sender and perhaps to another
    institution (`referral` carries the edits, unsaved; `previous_institution` is the one
    that returned it). The history keeps the return and this re-sending.

    When the institution changes, the one that returned it stops seeing it (lookups.visible
    follows `institution`): it has said it cannot help, so it keeps no reason to read the
    person's data; its unread notices go too. Its own returned step stays in the history.
    """
    if referral.status != Status.RETURNED or referral.is_anonymised:
        raise ValidationError(_("差し戻されたつなぎだけを送り直せます。"))
    missing = referral.consent_missing()
    if missing:
        raise ValidationError(
            _("ご本人の同意が記録されていないため送れません（未記入: %(m)s）。")
            % {"m": "、".join(missing)}
        )
    referral.status = Status.SENT
    referral.finished_at = None
    referral.outcome = ""
    referral.save()
    moved = previous_institution.pk != referral.institution_id
    if moved:
        Notice.objects.filter(
            referral=referral, user__institution_links__institution=previous_institution
        ).exclude(user__institution_links__institution=referral.institution).delete()
        text = _("差し戻しを受けて内容を直し、%(new)s へ送り直しました（前の送り先: %(old)s）。")
    else:
        text = _("差し戻しを受けて内容を直し、%(new)s へ送り直しました。")
    line = text % {"new": referral.institution.name, "old": previous_institution.name}
    event = _event(referral, Status.SENT, by, f"{line}\n{note.strip()}".strip())
    staff = [s.user for s in referral.institution.staff.select_related("user")]
    notify(referral, [u for u in staff if u.is_active and u != by])
    return event


@transaction.atomic
def answer(
    referral: Referral, to: str, *, by: Any, note: str = "", outcome: str = ""
) -> ReferralEvent:
    """The institution's step: received, in progress, closed (with an outcome) or returned
    (with the reason in the note). The sender is told there is news."""
    if to not in ANSWERS or referral.status not in ANSWERS[to] or referral.is_anonymised:
        raise ValidationError(_("今の状態からは、その操作はできません。"))
    if to == Status.CLOSED and outcome not in Outcome.values:
        raise ValidationError(_("結果を選んでください。"))
    if to == Status.RETURNED and not note.strip():
        raise ValidationError(_("差し戻す理由をメモに書いてください。"))
    referral.status = to
    fields = ["status", "updated_at"]
    if to in FINISHED:
        referral.finished_at = timezone.now()
        referral.outcome = outcome if to == Status.CLOSED else ""
        fields += ["finished_at", "outcome"]
    referral.save(update_fields=fields)
    event = _event(referral, to, by, note)
    sender = referral.created_by
    if sender is not None and sender.is_active and sender != by:
        notify(referral, [sender])
    return event


def notify(referral: Referral, users: list[Any]) -> None:
    """An unread marker for each user and, once the transaction is kept, an e-mail that says
    only that there is news, with the referral's number and a link. Never any personal data."""
    number = {"n": referral.number}
    message = notices.Message(
        subject=_("【支え合い】つなぎ %(n)s に新しい動きがあります") % number,
        lead=_("担当のつなぎ（%(n)s）に新しい動きがあります。") % number,
        link=links.absolute(referral.get_absolute_url(), referral.municipality),
    )
    notices.notify(users, Notice, message, referral=referral)


def mark_read(referral: Referral, user: Any) -> None:
    Notice.objects.for_user(user).filter(referral=referral).mark_read()


@transaction.atomic
def anonymise(referral: Referral) -> Referral:
    """Erase the personal data, keeping the anonymous facts statistics need (area, institution,
    kind of problem, status, outcome, dates). Event notes go too; the audit log is kept."""
    for name in PERSONAL_FIELDS:
        setattr(referral, name, "")
    referral.person_name = _("（匿名化済み）")
    referral.problem = _("（匿名化済み）")
    referral.need = None
    referral.anonymised_at = timezone.now()
    referral.save(update_fields=[*PERSONAL_FIELDS, "need", "anonymised_at", "updated_at"])
    for event in referral.events.all():  # the note is encrypted: no SQL filter on it
        if event.note:
            event.note = ""
            event.save(update_fields=["note"])
    return referral


@transaction.atomic
def erase_now(referral: Referral, *, by: Any) -> Referral:
    """The person withdrew consent: end the referral and anonymise it at once."""
    was_open = not referral.is_finished
    referral.consent_withdrawn = True
    referral.status = Status.CLOSED
    referral.outcome = Outcome.WITHDRAWN
    referral.finished_at = referral.finished_at or timezone.now()
    referral.save(update_fields=["consent_withdrawn", "status", "outcome", "finished_at",
                                 "updated_at"])  # fmt: skip
    anonymise(referral)
    _event(referral, Status.CLOSED, by, _("ご本人の同意の撤回により、個人情報を削除しました。"))
    if was_open and referral.sent_at is not None:
        staff = [s.user for s in referral.institution.staff.select_related("user")]
        notify(referral, [u for u in staff if u.is_active and u != by])
    return referral


def retention_years(municipality: Area) -> int:
    policy = ReferralPolicy.objects.filter(municipality=municipality).first()
    if policy is not None:
        return policy.retention_years
    return int(settings.SASAEAI_REFERRAL_RETENTION_YEARS)


def draft_days() -> int:
    """After how many days without a change a draft is deleted (at least one)."""
    return max(int(settings.SASAEAI_REFERRAL_DRAFT_DAYS), 1)


def _years_before(now: dt.datetime, years: int) -> dt.datetime:
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def expired(municipality: Area, now: dt.datetime | None = None) -> ReferralQuerySet:
    """Referrals of the municipality still holding personal data past its retention period:
    finished ones counted from when they finished, and sent ones never finished (unanswered,
    or left in progress) counted from their last change, so that none keeps it for ever."""
    cutoff = _years_before(now or timezone.now(), retention_years(municipality))
    finished = Q(status__in=FINISHED, finished_at__lt=cutoff)
    left_open = ~Q(status__in=[*FINISHED, Status.DRAFT]) & Q(updated_at__lt=cutoff)
    return Referral.objects.of(municipality).identifiable().filter(finished | left_open)


def abandoned_drafts(now: dt.datetime | None = None) -> ReferralQuerySet:
    """Drafts nobody has changed for `draft_days()` days. Never sent, they were never seen
    by the institution and count in no statistics: nothing of them needs to stay."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=draft_days())
    return Referral.objects.filter(status=Status.DRAFT, updated_at__lt=cutoff)


def anonymise_expired(now: dt.datetime | None = None) -> int:
    """Anonymise every municipality's expired referrals; return how many."""
    done = 0
    for municipality in Area.objects.municipalities():
        for referral in expired(municipality, now).select_related("area"):
            anonymise(referral)
            done += 1
    return done


def delete_abandoned_drafts(now: dt.datetime | None = None) -> int:
    """Delete abandoned drafts with their events; return how many. One by one, so that each
    deletion is in the audit log like any other."""
    done = 0
    for referral in abandoned_drafts(now).select_related("area"):
        with transaction.atomic():
            referral.delete()
        done += 1
    return done
