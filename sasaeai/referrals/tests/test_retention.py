"""Retention: finished referrals lose their personal data after the municipality's period;
so do sent ones left unanswered, counted from their last change; drafts untouched for
SASAEAI_REFERRAL_DRAFT_DAYS days are deleted. All of it in the nightly job, audited."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from sasaeai.audit.models import Action, AuditEntry
from sasaeai.referrals import services
from sasaeai.referrals.models import Referral, ReferralEvent, ReferralPolicy, Status
from sasaeai.referrals.tasks import anonymise_expired_referrals

from .builders import PERSON, make_institution, make_referral

pytestmark = pytest.mark.django_db


def age(referral: Referral, years: float) -> None:
    at = timezone.now() - dt.timedelta(days=365.25 * years)
    Referral.objects.filter(pk=referral.pk).update(finished_at=at)


def test_command_anonymises_only_expired_finished_referrals(users: dict, itabashi: Any) -> None:
    institution = make_institution()
    old_closed = make_referral(institution, by=users["sc"], status=Status.CLOSED)
    old_returned = make_referral(institution, by=users["sc"], status=Status.RETURNED)
    recent = make_referral(institution, by=users["sc"], status=Status.CLOSED)
    still_open = make_referral(institution, by=users["sc"], status=Status.IN_PROGRESS)
    age(old_closed, 5.1)
    age(old_returned, 6)
    age(recent, 4.9)
    call_command("anonymise_referrals", stdout=io.StringIO())
    after = {r.pk: r for r in Referral.objects.all()}
    for done in (old_closed, old_returned):
        assert after[done.pk].is_anonymised and PERSON not in after[done.pk].person_name
        assert not after[done.pk].person_contact
        assert all(not e.note for e in after[done.pk].events.all())
    for kept in (recent, still_open):
        assert not after[kept.pk].is_anonymised and after[kept.pk].person_name == PERSON
    # The municipality may set a shorter period.
    ReferralPolicy.objects.create(municipality=itabashi, retention_years=3)
    assert services.anonymise_expired() == 1


def test_task_runs_without_any_payload(users: dict) -> None:
    referral = make_referral(make_institution(), by=users["sc"], status=Status.CLOSED)
    age(referral, 10)
    assert anonymise_expired_referrals.call() == 1
    assert Referral.objects.get(pk=referral.pk).is_anonymised


def touch(referral: Referral, days_ago: float) -> None:
    """The referral's last change was `days_ago` days ago."""
    at = timezone.now() - dt.timedelta(days=days_ago)
    Referral.objects.filter(pk=referral.pk).update(updated_at=at)


def system_entries(action: str, referral: Referral) -> Any:
    return AuditEntry.objects.filter(
        action=action, model="referrals.Referral", object_id=str(referral.pk), user=None
    )


def test_drafts_untouched_for_n_days_are_deleted(users: dict, settings: Any) -> None:
    settings.SASAEAI_REFERRAL_DRAFT_DAYS = 30
    institution = make_institution()
    abandoned = make_referral(institution, by=users["sc"])
    young = make_referral(institution, by=users["sc"])
    edited = make_referral(institution, by=users["sc"])  # opened long ago, edited lately
    touch(abandoned, 31)
    touch(young, 29)
    Referral.objects.filter(pk=edited.pk).update(created_at=timezone.now() - dt.timedelta(400))
    touch(edited, 1)
    out = io.StringIO()
    call_command("anonymise_referrals", stdout=out)
    assert set(Referral.objects.values_list("pk", flat=True)) == {young.pk, edited.pk}
    assert not ReferralEvent.objects.filter(referral_id=abandoned.pk).exists()
    assert system_entries(Action.DELETE, abandoned).exists()
    assert "deleted 1" in out.getvalue()


def test_the_draft_period_is_a_setting(users: dict, settings: Any) -> None:
    settings.SASAEAI_REFERRAL_DRAFT_DAYS = 7
    draft = make_referral(make_institution(), by=users["sc"])
    touch(draft, 8)
    assert anonymise_expired_referrals.call() == 1
    assert not Referral.objects.exists()


def test_unanswered_referrals_follow_the_retention_period_from_their_last_change(
    users: dict, itabashi: Any
) -> None:
    ReferralPolicy.objects.create(municipality=itabashi, retention_years=2)
    period = (timezone.now() - timezone.now().replace(year=timezone.now().year - 2)).days
    institution = make_institution()
    never_answered = make_referral(institution, by=users["sc"], status=Status.SENT)
    stalled = make_referral(institution, by=users["sc"], status=Status.IN_PROGRESS)
    within = make_referral(institution, by=users["sc"], status=Status.SENT)
    answered_lately = make_referral(institution, by=users["sc"], status=Status.RECEIVED)
    touch(never_answered, period + 1)
    touch(stalled, period + 1)
    touch(within, period - 1)
    Referral.objects.filter(pk=answered_lately.pk).update(
        sent_at=timezone.now() - dt.timedelta(days=period + 100)
    )
    touch(answered_lately, 3)
    assert services.anonymise_expired() == 2
    after = {r.pk: r for r in Referral.objects.all()}
    for done in (never_answered, stalled):
        assert after[done.pk].is_anonymised and PERSON not in after[done.pk].person_name
        assert after[done.pk].status == done.status  # the anonymous facts stay
        updates = system_entries(Action.UPDATE, done)
        assert any("person_name" in e.changed_fields for e in updates)
        assert after[done.pk].allowed_answers() == []  # nobody answers an anonymised one
        with pytest.raises(ValidationError):
            services.answer(after[done.pk], Status.CLOSED, by=None, outcome="advice")
    for kept in (within, answered_lately):
        assert not after[kept.pk].is_anonymised and after[kept.pk].person_name == PERSON
    # Anonymising is a change too, but an anonymised referral is never anonymised again.
    assert services.anonymise_expired() == 0
