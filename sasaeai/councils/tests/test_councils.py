"""Registering a council, editing its profile and SCs, and its members."""

from __future__ import annotations

import pytest
from django.test import Client

from sasaeai.councils.models import Council, CouncilMember
from sasaeai.test import area

from .builders import make_council

pytestmark = pytest.mark.django_db
BASE = "/staff/councils/"


def test_sc_registers_their_regions_council(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    data = {"area": str(area("takashimadaira").pk), "name": "支え合い会議高島平",
            "first_number": "61", "vision": "独りじゃないよ"}  # fmt: skip
    response = client.post(f"{BASE}new/", data)
    council = Council.objects.get()
    assert response["Location"] == f"{BASE}{council.pk}/"
    assert council.municipality.code == "131199" and council.first_number == 61


def test_sc_cannot_register_for_another_region_or_twice(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    other = {"area": str(area("narimasu").pk), "name": "x", "first_number": "1"}
    assert "正しく選択してください" in client.post(f"{BASE}new/", other).content.decode()
    make_council()
    again = {"area": str(area("takashimadaira").pk), "name": "x", "first_number": "1"}
    assert "正しく選択してください" in client.post(f"{BASE}new/", again).content.decode()
    assert Council.objects.count() == 1


def test_member_may_not_register(client: Client, users: dict) -> None:
    client.force_login(users["member"])
    assert client.get(f"{BASE}new/").status_code == 403
    assert client.put(f"{BASE}new/").status_code in (403, 405)


def test_profile_and_scs_are_edited(client: Client, users: dict) -> None:
    council = make_council()
    client.force_login(users["sc"])
    data = {"name": "支え合い会議高島平", "first_number": "1", "frequency": "毎月第3木曜",
            "scs-TOTAL_FORMS": "1", "scs-INITIAL_FORMS": "0", "scs-0-count": "2",
            "scs-0-body": "社会福祉協議会", "scs-0-since": "2016-10-01"}  # fmt: skip
    assert client.post(f"{BASE}{council.pk}/edit/", data).status_code == 302
    council.refresh_from_db()
    assert council.frequency == "毎月第3木曜" and council.scs.get().count == 2
    assert "社会福祉協議会 2人" in client.get(f"{BASE}{council.pk}/").content.decode()


def test_members_are_added_with_sector_role_and_consent(client: Client, users: dict) -> None:
    council = make_council()
    client.force_login(users["sc"])
    data = {"name": "高島 一郎", "sector": "commissioner", "role": "chair",
            "joined_on": "2020-04-01", "consent_to_publish_name": "on"}  # fmt: skip
    assert client.post(f"{BASE}{council.pk}/members/", data).status_code == 302
    member = CouncilMember.objects.get()
    assert member.get_sector_display() == "民生・児童委員" and member.get_role_display() == "会長"
    bad = {**data, "left_on": "2019-01-01"}
    text = client.post(f"{BASE}members/{member.pk}/", bad).content.decode()
    assert "退いた日は、加わった日より後にしてください" in text
