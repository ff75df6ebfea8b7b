"""Each kind of institution says in plain words what it does: seeded from the defaults, edited
by the ward, shown to residents on /institutions/ and on each institution's page."""

from __future__ import annotations

import pytest
from django.test import Client

from sasaeai.referrals.models import InstitutionKind

from .builders import make_institution

pytestmark = pytest.mark.django_db
BASE = "/staff/referrals/manage/"


def kind(code: str, municipality: str = "131199") -> InstitutionKind:
    return InstitutionKind.objects.get(municipality__code=municipality, code=code)


def test_every_municipality_starts_with_the_guidebook_words(users: dict) -> None:
    for municipality in ("131199", "999991"):
        assert "どこに相談すればよいかわからない" in kind("houkatsu", municipality).description
        assert "ケアプラン" in kind("care-management", municipality).description
        assert "理学療法士" in kind("rehabilitation", municipality).description
        assert "デイサービス" in kind("day-service", municipality).description
        assert kind("other", municipality).description == ""


def test_residents_read_what_each_kind_does(client: Client, users: dict) -> None:
    centre = make_institution(phone="03-5000-0018")
    make_institution("デイサービス高島平のぞみ", kind="day-service")
    text = client.get("/institutions/").content.decode()
    assert "どこに相談すればよいかわからないときも" in text
    assert "家から通って" in text
    assert "ケアプラン" not in text  # a kind with no institution listed is not shown
    page = client.get(f"/institutions/{centre.pk}/").content.decode()
    assert "おとしより相談センター（地域包括支援センター）とは" in page
    assert "どこに相談すればよいかわからないときも" in page
    assert 'href="/institutions/#kind-' in page


def test_a_kind_without_words_shows_none(client: Client, users: dict) -> None:
    centre = make_institution()
    InstitutionKind.objects.filter(code="houkatsu").update(description="")
    page = client.get(f"/institutions/{centre.pk}/").content.decode()
    assert "とは</h2>" not in page and "おとしより相談センター高島平" in page


def test_the_ward_writes_the_words(client: Client, users: dict) -> None:
    houkatsu = kind("houkatsu")
    client.force_login(users["ward"])
    form = client.get(f"{BASE}kinds/{houkatsu.pk}/").content.decode()
    assert "どんなところか（住民向けの説明）" in form
    data = {"name": houkatsu.name, "kana": houkatsu.kana, "code": "houkatsu", "sort_order": 0,
            "description": "  高齢の方の相談の窓口です。  "}  # fmt: skip
    assert client.post(f"{BASE}kinds/{houkatsu.pk}/", data).status_code == 302
    houkatsu.refresh_from_db()
    assert houkatsu.description == "高齢の方の相談の窓口です。"
    make_institution()
    assert "高齢の方の相談の窓口です。" in client.get("/institutions/").content.decode()


def test_markup_in_the_words_is_refused_and_changes_nothing(client: Client, users: dict) -> None:
    houkatsu = kind("houkatsu")
    before = houkatsu.description
    client.force_login(users["ward"])
    data = {"name": houkatsu.name, "kana": houkatsu.kana, "code": "houkatsu", "sort_order": 0,
            "description": '<a href="https://example.com">こちら</a>'}  # fmt: skip
    response = client.post(f"{BASE}kinds/{houkatsu.pk}/", data)
    assert response.status_code == 400
    houkatsu.refresh_from_db()
    assert houkatsu.description == before


def test_another_municipality_may_not_edit_the_words(client: Client, users: dict) -> None:
    houkatsu = kind("houkatsu")
    client.force_login(users["other_admin"])
    data = {"name": "x", "kana": "", "code": "houkatsu", "sort_order": 0, "description": "x"}
    assert client.post(f"{BASE}kinds/{houkatsu.pk}/", data).status_code == 404
    houkatsu.refresh_from_db()
    assert houkatsu.description != "x"
