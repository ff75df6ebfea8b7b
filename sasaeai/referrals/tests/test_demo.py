from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.db import connection

from sasaeai.accounts.models import Role
from sasaeai.referrals.demo import build_referrals
from sasaeai.referrals.models import Institution, InstitutionStaff, Referral, Status
from sasaeai.test import make_user

pytestmark = pytest.mark.django_db
SEED = 20261126


def test_institutions_and_a_few_hundred_referrals(itabashi: Any) -> None:
    sc = make_user("sc@demo.example.jp", Role.REGION_SC, "takashimadaira")
    staff = make_user("inst@demo.example.jp", Role.INSTITUTION_STAFF, "takashimadaira")
    started = time.monotonic()
    made = build_referrals(itabashi, SEED, dt.date(2026, 11, 26), institution_staff=staff.email)
    assert time.monotonic() - started < 20
    assert 200 <= made <= 400 and build_referrals(itabashi, SEED) == 0
    referrals = Referral.objects.of(itabashi)
    assert set(referrals.values_list("status", flat=True)) == set(Status)
    assert referrals.values("area").distinct().count() == 18
    kinds = set(Institution.objects.of(itabashi).values_list("kind__code", flat=True))
    assert kinds == {"houkatsu", "care-management", "rehabilitation", "day-service", "other"}
    link = InstitutionStaff.objects.get(user=staff)
    assert link.institution.name == "おとしより相談センター高島平"
    assert referrals.filter(area__code="takashimadaira", created_by=sc).exists()
    assert referrals.filter(institution=link.institution).exclude(status=Status.DRAFT).exists()
    for referral in referrals.exclude(status=Status.DRAFT)[:50]:
        assert not referral.consent_missing()
        assert referral.events.last().status == referral.status  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.execute("SELECT person_name FROM referrals_referral")
        assert all(row[0].startswith("enc1:") for row in cursor.fetchall())
