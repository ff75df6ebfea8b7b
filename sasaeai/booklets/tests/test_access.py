"""Who may see and make a region's booklet: its SC and those above edit; a council member
reads; another region's SC gets 404 for it, audited like every refusal."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.audit.models import AuditEntry
from sasaeai.booklets.models import Edition

from .builders import make_edition

pytestmark = pytest.mark.django_db


def as_(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def test_another_regions_booklet_is_not_there_for_its_sc(client: Client, users: dict) -> None:
    edition = make_edition()
    as_(client, users["other_sc"])
    for path in ("", "texts/", "activities/", "columns/", "preview/", "guidebook.pdf"):
        assert client.get(f"/staff/booklets/editions/{edition.pk}/{path}").status_code == 404
    assert client.post(f"/staff/booklets/editions/{edition.pk}/make/").status_code == 404
    assert client.get("/staff/booklets/takashimadaira/").status_code == 404
    assert (
        client.post("/staff/booklets/takashimadaira/", {"fiscal_year": "2026"}).status_code == 404
    )
    assert AuditEntry.objects.filter(action="denied").count() >= 9
    assert Edition.objects.count() == 1


def test_a_council_member_reads_but_does_not_edit(client: Client, users: dict) -> None:
    edition = make_edition()
    as_(client, users["member"])
    assert client.get(edition.get_absolute_url()).status_code == 200
    assert client.get(f"/staff/booklets/editions/{edition.pk}/preview/").status_code == 200
    response = client.post(f"/staff/booklets/editions/{edition.pk}/texts/", {"title": "x"})
    assert response.status_code == 403
    assert (
        client.post("/staff/booklets/takashimadaira/", {"fiscal_year": "2026"}).status_code == 403
    )
    assert AuditEntry.objects.filter(action="denied").exists()


@pytest.mark.parametrize("who", ["sc", "block", "ward", "admin"])
def test_those_with_edit_rights_write_the_texts(client: Client, users: dict, who: str) -> None:
    edition = make_edition()
    data = {"title": "たかしまだいらガイド", "issued_by": "高島平 支え合い会議",
            "welcome": "ようこそ", "contact": "電話 03-0000-0000", "back_cover": ""}  # fmt: skip
    response = as_(client, users[who]).post(f"/staff/booklets/editions/{edition.pk}/texts/", data)
    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.welcome == "ようこそ"


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, users: dict) -> None:
    edition = make_edition()
    response = client.get(edition.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
