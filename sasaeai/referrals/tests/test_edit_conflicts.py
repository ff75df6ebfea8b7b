"""Two staff edit the same referral draft, or the same institution, at once: the second to
save is told, nothing of theirs is written, and a second press after looking saves
(lib/optimistic.py)."""

from __future__ import annotations

import pytest

from sasaeai.lib.tests.conflicts import second_saver_is_told
from sasaeai.referrals.models import Institution, Referral

from .builders import make_institution, make_referral

pytestmark = pytest.mark.django_db


def test_the_second_saver_of_a_referral_draft_is_told(users: dict) -> None:
    referral = make_referral(make_institution(), by=users["sc"])
    second_saver_is_told(
        f"/staff/referrals/{referral.pk}/edit/", (users["sc"], users["sc"]), "problem",
        ("物忘れが増え、火の始末が心配。", "一人暮らしで、食事がとれていない。"),
        lambda: Referral.objects.get(pk=referral.pk).problem,
    )  # fmt: skip


def test_the_second_saver_of_an_institution_is_told(users: dict) -> None:
    institution = make_institution(phone="03-1111-2222")
    second_saver_is_told(
        f"/staff/referrals/manage/{institution.pk}/", (users["ward"], users["admin"]), "phone",
        ("03-3333-4444", "03-5555-6666"),
        lambda: Institution.objects.get(pk=institution.pk).phone,
    )  # fmt: skip
