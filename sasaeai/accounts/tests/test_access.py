"""Policy tests: for each capability, roles that may and roles that may not."""

from typing import Any

import pytest
from django.http import Http404
from django.test import RequestFactory

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability, Membership
from sasaeai.audit.models import AuditEntry
from sasaeai.test import area

pytestmark = pytest.mark.django_db
C = Capability


@pytest.mark.parametrize(
    ("who", "capability", "code", "allowed"),
    [
        ("admin", C.MANAGE_MEMBERS, "takashimadaira", True),
        ("ward", C.MANAGE_MEMBERS, "takashimadaira", False),
        ("ward", C.EDIT, "itabashi", True),
        ("block", C.EDIT, "takashimadaira", True),
        ("block", C.EDIT, "itabashi", False),
        ("sc", C.EDIT, "takashimadaira", True),
        ("sc", C.VIEW, "narimasu", False),
        ("sc", C.EDIT, "blk-akatsuka", False),
        ("member", C.VIEW, "takashimadaira", True),
        ("member", C.EDIT, "takashimadaira", False),
        ("institution", C.HANDLE_REFERRALS, "takashimadaira", True),
        ("institution", C.VIEW, "takashimadaira", False),
        ("admin", C.VIEW_AUDIT, "131199", True),
        ("sc", C.VIEW_AUDIT, "takashimadaira", False),
        ("other_admin", C.VIEW, "takashimadaira", False),
        ("admin", C.VIEW, "kita-jhs", False),
    ],
)
def test_can(users: dict[str, Any], who: str, capability: str, code: str, allowed: bool) -> None:
    assert access.can(users[who], capability, area(code)) is allowed


def test_block_sc_sees_the_areas_of_their_block_only(users: dict[str, Any]) -> None:
    names = set(access.areas(users["block"]).values_list("name", flat=True))
    assert names == {"赤塚ブロック", "下赤塚", "成増", "徳丸", "高島平"}


def test_scope_narrows_records_to_visible_areas(users: dict[str, Any]) -> None:
    visible = access.scope(users["sc"], Membership.objects.all())
    assert {m.area.code for m in visible} == {"takashimadaira"}
    foreign = access.scope(users["other_admin"], Membership.objects.all())
    assert {m.area.code for m in foreign} == {"999991"}


def test_get_object_of_foreign_area_is_404_and_logged(users: dict[str, Any]) -> None:
    request = RequestFactory().get("/x/")
    request.user = users["sc"]
    foreign = Membership.objects.get(user=users["other_sc"])
    with pytest.raises(Http404):
        access.get_object(request, Membership.objects.all(), pk=foreign.pk)
    assert AuditEntry.objects.filter(action="denied", actor="").exists()


def test_inactive_user_has_no_access(users: dict[str, Any]) -> None:
    users["admin"].is_active = False
    users["admin"].save()
    assert not access.can(users["admin"], C.VIEW, area("131199"))
