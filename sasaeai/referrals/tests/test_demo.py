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


def signature() -> list[tuple[Any, ...]]:
    """Every referral and its steps, sorted in Python (the stored names are encrypted)."""
    return sorted(
        (r.area.code, r.created_at, r.person_name, r.status, r.institution.name,
         [(e.status, e.by_name, e.note, e.at) for e in r.events.all()])
        for r in Referral.objects.select_related("area", "institution").prefetch_related("events")
    )  # fmt: skip


def test_one_referral_was_returned_and_re_sent_to_another_institution(itabashi: Any) -> None:
    make_user("sc@demo.example.jp", Role.REGION_SC, "takashimadaira")
    staff = make_user("inst@demo.example.jp", Role.INSTITUTION_STAFF, "takashimadaira")
    build_referrals(itabashi, SEED, dt.date(2026, 11, 26), institution_staff=staff.email)
    resent = [
        r for r in Referral.objects.prefetch_related("events")
        if [e.status for e in r.events.all()].count(Status.SENT) == 2
    ]  # fmt: skip
    assert len(resent) == 1
    referral = resent[0]
    steps = list(referral.events.all())
    assert [e.status for e in steps] == [Status.DRAFT, Status.SENT, Status.RETURNED, Status.SENT]
    assert referral.status == Status.SENT and referral.finished_at is None
    assert referral.institution == InstitutionStaff.objects.get(user=staff).institution
    returned_by = steps[2].by_name
    assert returned_by != referral.institution.name and steps[2].note
    assert steps[3].note == (
        f"差し戻しを受けて内容を直し、{referral.institution.name} へ送り直しました"
        f"（前の送り先: {returned_by}）。"
    )
    assert [e.at for e in steps] == sorted(e.at for e in steps)
    assert not referral.consent_missing()


def test_the_same_seed_makes_the_same_referrals(itabashi: Any) -> None:
    make_user("sc@demo.example.jp", Role.REGION_SC, "takashimadaira")
    build_referrals(itabashi, SEED, dt.date(2026, 11, 26))
    first = signature()
    Referral.objects.all().delete()
    Institution.objects.all().delete()
    build_referrals(itabashi, SEED, dt.date(2026, 11, 26))
    assert signature() == first
