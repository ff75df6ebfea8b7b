"""Two staff edit the same area's desk at once: the second to save is told, nothing of theirs
is written, and a second press after looking saves (lib/optimistic.py) — also when both
opened an area that had no desk yet."""

from __future__ import annotations

import pytest

from sasaeai.areas.models import AreaContact
from sasaeai.lib.tests.conflicts import second_saver_is_told
from sasaeai.test import area

pytestmark = pytest.mark.django_db
URL = "/staff/contacts/takashimadaira/"


def phone() -> str:
    return AreaContact.objects.get(area__code="takashimadaira").phone


def test_the_second_saver_of_a_desk_is_told(users: dict) -> None:
    AreaContact.objects.create(
        area=area("takashimadaira"), post="高島平地域の窓口", phone="03-0000-0117", hours="平日"
    )
    second_saver_is_told(
        URL, (users["ward"], users["admin"]), "phone", ("03-0000-0118", "03-0000-0119"), phone
    )


def test_two_who_opened_an_area_without_a_desk_do_not_overwrite_each_other(users: dict) -> None:
    second_saver_is_told(
        URL, (users["ward"], users["admin"]), "phone", ("03-0000-0118", "03-0000-0119"), phone,
        fill={"post": "高島平地域の窓口", "hours": "月〜金 9:00〜17:00"},
    )  # fmt: skip
