"""Retention: finished referrals lose their personal data after the municipality's period."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from sasaeai.referrals import services
from sasaeai.referrals.models import Referral, ReferralPolicy, Status
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
