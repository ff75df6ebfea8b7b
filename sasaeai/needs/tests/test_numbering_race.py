"""Residents who send at the same moment each get their own number, and nobody an error."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from sasaeai.needs import helper_services, services
from sasaeai.needs.models import Helper, Need, NeedKind
from sasaeai.test import area

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="threads need a shared database: PostgreSQL"
    ),
]
AT_ONCE = 10


def at_once(work: Any) -> None:
    barrier = threading.Barrier(AT_ONCE)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            work()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


def test_needs_sent_at_once_are_numbered_one_to_ten(itabashi: Any) -> None:
    region = area("takashimadaira")
    kind = NeedKind.objects.filter(municipality=itabashi).first()

    def send() -> None:
        services.create_need(Need(area=region, kind=kind, what="買い物に困っています。"))

    at_once(send)
    assert sorted(Need.objects.values_list("number_seq", flat=True)) == list(range(1, 11))


def test_helpers_registered_at_once_are_numbered_one_to_ten(itabashi: Any) -> None:
    region = area("takashimadaira")

    def register() -> None:
        helper_services.register_helper(Helper(area=region, name="板橋 花子", contact="03"), [])

    at_once(register)
    assert sorted(Helper.objects.values_list("number_seq", flat=True)) == list(range(1, 11))
