"""Two staff edit the same kind of institution at once: the second to save is told, nothing
of theirs is written, and a second press after looking saves (lib/optimistic.py)."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.lib.tests.conflicts import second_saver_is_told
from sasaeai.referrals.models import InstitutionKind

pytestmark = pytest.mark.django_db


def test_the_second_saver_of_an_institution_kind_is_told(users: dict, itabashi: Any) -> None:
    kind = InstitutionKind.objects.get(municipality=itabashi, code="houkatsu")
    second_saver_is_told(
        f"/staff/referrals/manage/kinds/{kind.pk}/", (users["ward"], users["admin"]),
        "description",
        ("高齢者の暮らしの相談を受けるところです。", "介護や健康のことを相談できます。"),
        lambda: InstitutionKind.objects.get(pk=kind.pk).description,
    )  # fmt: skip
