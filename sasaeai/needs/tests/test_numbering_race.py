"""Residents who send at the same moment each get their own number, and nobody an error."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from sasaeai.needs import helper_services, services
from sasaeai.needs.models import Helper, Need, NeedKind
from sasaeai.test import area, at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="threads need a shared database: PostgreSQL"
    ),
]
AT_ONCE = 10


def test_needs_sent_at_once_are_numbered_one_to_ten(itabashi: Any) -> None:
    region = area("takashimadaira")
    kind = NeedKind.objects.filter(municipality=itabashi).first()

    def send() -> None:
        services.create_need(Need(area=region, kind=kind, what="買い物に困っています。"))

    at_once(AT_ONCE, send)
    assert sorted(Need.objects.values_list("number_seq", flat=True)) == list(range(1, 11))


def test_helpers_registered_at_once_are_numbered_one_to_ten(itabashi: Any) -> None:
    region = area("takashimadaira")

    def register() -> None:
        helper_services.register_helper(Helper(area=region, name="板橋 花子", contact="03"), [])

    at_once(AT_ONCE, register)
    assert sorted(Helper.objects.values_list("number_seq", flat=True)) == list(range(1, 11))
