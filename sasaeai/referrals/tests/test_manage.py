"""Keeping the institution directory: institutions, kinds and staff, by ward staff."""

from __future__ import annotations

import pytest
from django.test import Client

from sasaeai.accounts.models import Role
from sasaeai.audit.models import Action, AuditEntry
from sasaeai.referrals.models import Institution, InstitutionKind, InstitutionStaff
from sasaeai.test import area, make_user

from .builders import make_institution

pytestmark = pytest.mark.django_db
BASE = "/staff/referrals/manage/"


def form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": InstitutionKind.objects.get(municipality__code="131199", code="houkatsu").pk,
        "name": "おとしより相談センター新河岸", "kana": "おとしよりそうだんせんたーしんがし",
        "address": "板橋区新河岸2-10-1", "latitude": "35.7960", "longitude": "139.6560",
        "phone": "03-5000-9999", "hours": "月〜金 8:30〜17:15",
        "helps_with": "介護や健康の相談", "areas": [area("takashimadaira").pk],
        "is_public": "on",
    }  # fmt: skip
    data.update(changes)
    return data


def test_ward_registers_an_institution_with_its_areas(client: Client, users: dict) -> None:
    client.force_login(users["ward"])
    response = client.post(BASE + "new/", form(areas=[area("takashimadaira").pk,
                                                      area("narimasu").pk]))  # fmt: skip
    assert response.status_code == 302
    made = Institution.objects.get(name="おとしより相談センター新河岸")
    assert {a.code for a in made.areas.all()} == {"takashimadaira", "narimasu"}
    assert made.municipality.code == "131199" and made.latitude == 35.796
    assert AuditEntry.objects.filter(
        action=Action.CREATE, model="referrals.Institution", actor=users["ward"].email
    ).exists()
    listing = client.get(BASE).content.decode()
    assert "おとしより相談センター新河岸" in listing and "成増" in listing


def test_edit_changes_the_fields_and_the_areas(client: Client, users: dict) -> None:
    institution = make_institution()
    client.force_login(users["admin"])
    response = client.post(f"{BASE}{institution.pk}/",
                           form(name="高島平の相談窓口", areas=[area("blk-akatsuka").pk],
                                is_public=""))  # fmt: skip
    assert response.status_code == 302
    institution.refresh_from_db()
    assert institution.name == "高島平の相談窓口" and not institution.is_public
    assert [a.code for a in institution.areas.all()] == ["blk-akatsuka"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "このフィールドは必須です。"),
        ({"longitude": ""}, "緯度と経度は両方入れるか、両方空にしてください。"),
        ({"latitude": "135"}, "-90 から 90 までの数を入れてください。"),
        ({"areas": [999999]}, "正しく選択してください。"),
        ({"helps_with": "<script>x</script>"}, "タグ（HTMLなど）は使えません"),
    ],
)
def test_bad_input_changes_nothing(
    client: Client, users: dict, changes: dict, message: str
) -> None:
    institution = make_institution()
    client.force_login(users["ward"])
    response = client.post(f"{BASE}{institution.pk}/", form(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    institution.refresh_from_db()
    assert institution.name == "おとしより相談センター高島平" and institution.address == ""


def test_areas_of_another_municipality_cannot_be_chosen(client: Client, users: dict) -> None:
    client.force_login(users["ward"])
    response = client.post(BASE + "new/", form(areas=[area("minami-jhs").pk]))
    assert response.status_code == 400
    assert not Institution.objects.filter(name="おとしより相談センター新河岸").exists()


def test_kinds_are_editable(client: Client, users: dict) -> None:
    client.force_login(users["ward"])
    data = {"name": "訪問看護ステーション", "kana": "ほうもんかんご", "code": "nursing",
            "sort_order": 9}  # fmt: skip
    assert client.post(BASE + "kinds/new/", data).status_code == 302
    kind = InstitutionKind.objects.get(municipality__code="131199", code="nursing")
    response = client.post(f"{BASE}kinds/{kind.pk}/", {**data, "code": "houkatsu"})
    assert response.status_code == 400
    assert "このコードはもう使われています" in response.content.decode()
    assert client.post(f"{BASE}kinds/{kind.pk}/", {**data, "name": "訪問看護"}).status_code == 302
    kind.refresh_from_db()
    assert kind.name == "訪問看護" and kind.code == "nursing"
    # The other municipality may use the same code for its own kind.
    client.force_login(users["other_admin"])
    assert client.post(BASE + "kinds/new/", data).status_code == 302


def test_staff_are_added_and_removed(client: Client, users: dict) -> None:
    institution = make_institution()
    client.force_login(users["ward"])
    url = f"{BASE}{institution.pk}/staff/"
    response = client.post(url, {"email": "Institution@example.jp"})
    assert response.status_code == 302
    link = InstitutionStaff.objects.get(institution=institution)
    assert link.user == users["institution"]
    response = client.post(url, {"email": "institution@example.jp"})
    assert "この利用者はもう登録されています" in response.content.decode()
    for email in ("sc@example.jp", "nobody@example.jp"):  # a region SC, or no such user
        response = client.post(url, {"email": email})
        assert response.status_code == 400
        assert "「専門機関の職員」の役割を持つ利用者が見つかりません" in response.content.decode()
    foreign = make_user("f@example.jp", Role.INSTITUTION_STAFF, "minami-jhs")
    assert client.post(url, {"email": foreign.email}).status_code == 400
    assert InstitutionStaff.objects.filter(institution=institution).count() == 1
    assert client.post(f"{BASE}staff/{link.pk}/remove/").status_code == 302
    assert not InstitutionStaff.objects.filter(institution=institution).exists()
    assert AuditEntry.objects.filter(
        action=Action.DELETE, model="referrals.InstitutionStaff"
    ).exists()


def test_staff_of_other_municipality_objects_are_404(client: Client, users: dict) -> None:
    institution = make_institution()
    client.force_login(users["other_admin"])
    assert client.post(f"{BASE}{institution.pk}/", form(name="x")).status_code == 404
    assert client.post(f"{BASE}{institution.pk}/staff/", {"email": "x@x.jp"}).status_code == 404
    institution.refresh_from_db()
    assert institution.name == "おとしより相談センター高島平"
