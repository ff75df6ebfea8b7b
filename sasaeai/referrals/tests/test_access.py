"""The access matrix: every referral page × every role × same region / other region / other
municipality / receiving vs other institution. Only the allowed combinations succeed; a
referral the person may not see is a 404, an action on the wrong side of a visible one a
403, and every refusal is in the audit log."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.accounts.models import Role
from sasaeai.audit.models import Action, AuditEntry
from sasaeai.referrals.models import Institution as InstitutionModel
from sasaeai.referrals.models import InstitutionStaff, Status
from sasaeai.test import make_user

from .builders import PERSON, link_staff, make_institution, make_referral

pytestmark = pytest.mark.django_db
BASE = "/staff/referrals/"
OK = (200, 302)


@pytest.fixture
def world(users: dict) -> dict[str, Any]:
    receiving = make_institution()
    other = make_institution("おとしより相談センター成増", covers=("narimasu",))
    link_staff(users["institution"], receiving)
    users["other_institution"] = make_user("inst2@example.jp", Role.INSTITUTION_STAFF, "narimasu")
    link_staff(users["other_institution"], other)
    users["foreign_sc"] = make_user("foreign@example.jp", Role.REGION_SC, "minami-jhs")
    # Institution staff of another municipality linked (wrongly) to this institution: their
    # role is in another tenant, so the link alone gives nothing.
    users["foreign_institution"] = make_user(
        "inst3@example.jp", Role.INSTITUTION_STAFF, "minami-jhs"
    )
    link_staff(users["foreign_institution"], receiving)
    return {
        "sent": make_referral(receiving, by=users["sc"], status=Status.SENT).pk,
        "draft": make_referral(receiving, by=users["sc"]).pk,
    }


# (page, method, object) → who succeeds; everyone else: 404, or 403 where listed.
PAGES: list[tuple[str, str, str, set[str], set[str]]] = [
    ("{}/", "get", "sent", {"sc", "institution"}, set()),
    ("{}/", "get", "draft", {"sc"}, set()),
    ("{}/print/", "get", "sent", {"sc", "institution"}, set()),
    ("{}/disclosure/", "get", "sent", {"sc"}, {"institution"}),
    ("{}/edit/", "get", "draft", {"sc"}, set()),
    ("{}/edit/", "post", "draft", {"sc"}, set()),
    ("{}/send/", "post", "draft", {"sc"}, set()),
    ("{}/answer/", "post", "sent", {"institution"}, {"sc"}),
    ("{}/erase/", "post", "sent", {"sc"}, {"institution"}),
]
EVERYONE = [
    "admin", "ward", "block", "sc", "member", "institution", "other_sc", "other_admin",
    "other_institution", "foreign_sc", "foreign_institution",
]  # fmt: skip


@pytest.mark.parametrize(("page", "method", "obj", "allowed", "forbidden"), PAGES)
@pytest.mark.parametrize("who", EVERYONE)
def test_matrix(
    client: Client, users: dict, world: dict, who: str,
    page: str, method: str, obj: str, allowed: set[str], forbidden: set[str],
) -> None:  # fmt: skip
    client.force_login(users[who])
    denied_before = AuditEntry.objects.filter(action=Action.DENIED).count()
    response = getattr(client, method)(BASE + page.format(world[obj]))
    if who in allowed:
        assert response.status_code in (*OK, 400), response.status_code
        return
    expected = 403 if who in forbidden else 404
    assert response.status_code == expected
    assert PERSON not in response.content.decode()
    denied = AuditEntry.objects.filter(action=Action.DENIED).order_by("-id").first()
    assert AuditEntry.objects.filter(action=Action.DENIED).count() == denied_before + 1
    assert denied is not None and denied.actor == users[who].email


@pytest.mark.parametrize("page", ["", "new/", "institutions/"])
@pytest.mark.parametrize("who", EVERYONE)
def test_pages_without_an_object(
    client: Client, users: dict, world: dict, page: str, who: str
) -> None:
    client.force_login(users[who])
    response = client.get(BASE + page)
    # foreign_institution's link is to another tenant's institution: it counts for nothing.
    handlers = {"sc", "institution", "other_sc", "other_institution", "foreign_sc"}
    if page == "new/":
        handlers -= {"institution", "other_institution"}
    if who in handlers:
        assert response.status_code == 200
    else:
        assert response.status_code in (403, 404)
        assert AuditEntry.objects.filter(action=Action.DENIED, actor=users[who].email).exists()


def test_anonymous_is_sent_to_sign_in(client: Client, world: dict) -> None:
    for page in ["", "new/", f"{world['sent']}/", f"{world['sent']}/print/"]:
        response = client.get(BASE + page)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_wrong_method_is_refused(client: Client, users: dict, world: dict) -> None:
    client.force_login(users["sc"])
    for page, method, obj, *_rest in PAGES:
        other = "post" if method == "get" else "get"
        if page == "{}/edit/":
            continue
        assert getattr(client, other)(BASE + page.format(world[obj])).status_code == 405


def test_list_shows_only_what_the_person_may_see(client: Client, users: dict, world: dict) -> None:
    narimasu = make_institution("成増の機関", covers=("narimasu",))
    other_sc = make_user("nari@example.jp", Role.REGION_SC, "narimasu")
    hidden = make_referral(narimasu, "narimasu", by=other_sc, status=Status.SENT)
    expected = {
        "sc": {world["sent"], world["draft"]},
        "institution": {world["sent"]},
        "other_sc": set(),
        "other_institution": set(),
        "foreign_institution": set(),
    }
    for who, visible in expected.items():
        client.force_login(users[who])
        text = client.get(BASE).content.decode()
        shown = {pk for pk in (world["sent"], world["draft"], hidden.pk) if f"{BASE}{pk}/" in text}
        assert shown == visible, who
        assert PERSON not in text  # lists never show personal fields


def test_every_read_is_audited(client: Client, users: dict, world: dict) -> None:
    for who in ("sc", "institution"):
        client.force_login(users[who])
        for page in ("{}/", "{}/print/"):
            client.get(BASE + page.format(world["sent"]))
    reads = AuditEntry.objects.filter(
        action=Action.READ, model="referrals.Referral", object_id=str(world["sent"])
    )
    assert sorted(reads.values_list("actor", flat=True)) == sorted(
        [users["sc"].email] * 2 + [users["institution"].email] * 2
    )
    assert all(e.ip == "127.0.0.1" for e in reads)
    text = " ".join(AuditEntry.objects.values_list("detail", flat=True))
    assert PERSON not in text


def test_other_region_cannot_be_chosen(client: Client, users: dict, world: dict) -> None:
    from sasaeai.referrals.models import Referral
    from sasaeai.test import area

    client.force_login(users["sc"])
    institution = make_institution("板橋の機関", covers=("itabashi",))
    before = Referral.objects.count()
    data = {"area": area("itabashi").pk, "institution": institution.pk,
            "problem_kind": "care", "person_name": "x", "problem": "y"}  # fmt: skip
    assert client.post(BASE + "new/", data).status_code == 200
    assert Referral.objects.count() == before


# --- Re-sending a returned referral, and the institution directory's pages ------------------


def test_resend_matrix(client: Client, users: dict, world: dict) -> None:
    """Only the sender side may open the re-send page of a returned referral; the returning
    institution still sees it (403), everyone else does not (404); all refusals audited."""
    returned = make_referral(
        InstitutionModel.objects.get(name="おとしより相談センター高島平"),
        by=users["sc"], status=Status.RETURNED,
    )  # fmt: skip
    for who in EVERYONE:
        client.force_login(users[who])
        before = AuditEntry.objects.filter(action=Action.DENIED).count()
        response = client.get(f"{BASE}{returned.pk}/resend/")
        expected = 200 if who == "sc" else 403 if who == "institution" else 404
        assert response.status_code == expected, who
        if expected != 200:
            assert AuditEntry.objects.filter(action=Action.DENIED).count() == before + 1
            assert PERSON not in response.content.decode()


MANAGE_LIST = ["manage/", "manage/new/", "manage/kinds/new/", "manage/transfer/",
               "manage/transfer/export/", "manage/transfer/template/"]  # fmt: skip
MANAGE_OBJECT = ["manage/{i}/", "manage/{i}/staff/", "manage/kinds/{k}/"]


@pytest.mark.parametrize("page", MANAGE_LIST + MANAGE_OBJECT)
@pytest.mark.parametrize("who", EVERYONE)
def test_directory_pages(client: Client, users: dict, world: dict, page: str, who: str) -> None:
    """Ward staff and administrators keep their own municipality's directory; to everyone
    else (a region SC included, who reads it elsewhere) the pages do not exist."""
    institution = InstitutionModel.objects.get(name="おとしより相談センター高島平")
    url = BASE + page.format(i=institution.pk, k=institution.kind_id)
    allowed = {"admin", "ward"} | ({"other_admin"} if page in MANAGE_LIST else set())
    client.force_login(users[who])
    before = AuditEntry.objects.filter(action=Action.DENIED).count()
    response = client.get(url)
    if who in allowed:
        assert response.status_code == 200
        return
    assert response.status_code == 404
    assert AuditEntry.objects.filter(action=Action.DENIED).count() == before + 1


def test_directory_pages_send_anonymous_to_sign_in(client: Client, world: dict) -> None:
    for page in [*MANAGE_LIST, "stats/"]:
        response = client.get(BASE + page)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_link_of_another_municipality_cannot_be_removed(
    client: Client, users: dict, world: dict
) -> None:
    link = InstitutionStaff.objects.get(user=users["institution"])
    client.force_login(users["other_admin"])
    assert client.post(f"{BASE}manage/staff/{link.pk}/remove/").status_code == 404
    client.force_login(users["sc"])
    assert client.post(f"{BASE}manage/staff/{link.pk}/remove/").status_code == 404
    assert InstitutionStaff.objects.filter(pk=link.pk).exists()
    client.force_login(users["ward"])
    assert client.get(f"{BASE}manage/staff/{link.pk}/remove/").status_code == 405
