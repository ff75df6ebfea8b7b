"""Policy tests: for each capability, roles that may and roles that may not."""

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.test import RequestFactory

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability, Membership
from sasaeai.areas.models import Area
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


# "This area and everything under it", written once ----------------------------------------


def test_is_under_takes_the_area_and_what_lies_below_not_a_longer_name() -> None:
    assert access.is_under("131199/b1", "131199/b1")
    assert access.is_under("131199/b1/r2", "131199/b1")
    assert not access.is_under("131199/b10", "131199/b1")
    assert not access.is_under("131199", "131199/b1")


def test_under_filters_an_area_and_everything_below_it(itabashi: Any) -> None:
    block = area("blk-akatsuka")
    found = set(Area.objects.filter(access.under(block.path)).values_list("code", flat=True))
    assert found == {"blk-akatsuka", "shimoakatsuka", "narimasu", "tokumaru", "takashimadaira"}
    # A path is a whole name: the start of one finds nothing.
    assert not Area.objects.filter(access.under(block.path[:-2])).exists()
    assert not Area.objects.filter(access.under([])).exists()


def test_under_follows_a_foreign_key_and_takes_several_paths(users: dict[str, Any]) -> None:
    paths = [area("takashimadaira").path, area("999991").path]
    found = Membership.objects.filter(access.under(paths, "area__path"))
    assert {m.user.email for m in found} == {
        "sc@example.jp", "member@example.jp", "institution@example.jp", "other_admin@example.jp"
    }  # fmt: skip


# Gates ------------------------------------------------------------------------------------


def _page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("the page")


def _get(user: Any) -> HttpRequest:
    request = RequestFactory().get("/staff/x/")
    request.user = user
    return request


def test_require_that_lets_through_whom_the_rule_allows(users: dict[str, Any]) -> None:
    view = access.require_that(lambda user: user.email == "sc@example.jp", "being the SC")(_page)
    assert view(_get(users["sc"])).content == b"the page"
    with pytest.raises(PermissionDenied):
        view(_get(users["member"]))
    assert AuditEntry.objects.get(action="denied").detail == "lacks being the SC: /staff/x/"


def test_require_that_hidden_answers_404(users: dict[str, Any]) -> None:
    view = access.require_that(lambda user: False, "referral handling", hidden=True)(_page)
    with pytest.raises(Http404):
        view(_get(users["admin"]))
    assert AuditEntry.objects.filter(action="denied", detail__startswith="lacks referral").exists()


def test_gates_send_anonymous_visitors_to_sign_in() -> None:
    for gate in (access.require_that(lambda user: True, "x"), access.require(C.VIEW),
                 access.signed_in):  # fmt: skip
        response = gate(_page)(_get(AnonymousUser()))
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")


def test_signed_in_lets_any_signed_in_person_through(users: dict[str, Any]) -> None:
    assert access.signed_in(_page)(_get(users["institution"])).content == b"the page"


def test_refuse_is_audited_with_the_area(users: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        access.refuse(_get(users["sc"]), "not on the ward side", area=area("takashimadaira"))
    entry = AuditEntry.objects.get(action="denied")
    assert (entry.detail, entry.area_path) == (
        "not on the ward side: /staff/x/",
        area("takashimadaira").path,
    )


# get_object with the rule of a model's lookups --------------------------------------------


def test_get_object_visible_replaces_the_area_rule(users: dict[str, Any]) -> None:
    own = Membership.objects.get(user=users["sc"])
    foreign = Membership.objects.get(user=users["other_sc"])
    request = _get(users["sc"])
    # A rule that shows the SC a record outside their areas (as events above an SC's region)…
    mine_and_that = Q(pk__in=[own.pk, foreign.pk])
    assert access.get_object(request, Membership.objects.all(), visible=mine_and_that,
                             pk=foreign.pk) == foreign  # fmt: skip
    # …or hides one inside them (as referrals of the region the SC did not send).
    with pytest.raises(Http404):
        access.get_object(request, Membership.objects.all(), visible=Q(pk__in=[]), pk=own.pk)
    assert (
        AuditEntry.objects.get(action="denied").detail
        == "not visible: accounts.Membership /staff/x/"
    )


def test_get_object_visible_still_asks_the_capability_on_the_area(users: dict[str, Any]) -> None:
    foreign = Membership.objects.get(user=users["other_sc"])
    request = _get(users["sc"])
    with pytest.raises(PermissionDenied):
        access.get_object(request, Membership.objects.all(), C.EDIT, visible=Q(pk=foreign.pk),
                          pk=foreign.pk)  # fmt: skip
    entry = AuditEntry.objects.get(action="denied")
    assert (entry.detail, entry.area_path) == ("lacks edit: /staff/x/", foreign.area.path)


def test_a_role_on_a_whole_municipality_reads_the_records_own_municipality_column(
    users: dict[str, Any],
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sasaeai.directory.models import Activity
    from sasaeai.directory.tests.builders import make_activity

    made = {code: make_activity(f"{code}の体操", code) for code in ("takashimadaira", "itabashi")}
    elsewhere = make_activity("みどり町の体操", "999991", kinds=())
    for who, expected in [
        ("ward", set(made)),  # a role on Itabashi itself: every activity of Itabashi
        ("block", {"takashimadaira"}),  # a role on a block: by the area paths below it
        ("sc", {"takashimadaira"}),
        ("other_admin", {"999991"}),
    ]:
        seen = access.scope(users[who], Activity.objects.all())
        with CaptureQueriesContext(connection) as queries:
            codes = {a.area.code for a in seen.select_related("area")}
        assert codes == expected, who
        assert seen.count() == len(expected)
        # The ward's list joins no area to decide what it may see (100,000 rows would pay).
        if who == "ward":
            assert "path" not in queries[0]["sql"].split("WHERE", 1)[1]
    request = RequestFactory().get("/x/")
    request.user = users["ward"]
    assert access.get_object(request, Activity.objects.all(), pk=made["itabashi"].pk)
    with pytest.raises(Http404):
        access.get_object(request, Activity.objects.all(), pk=elsewhere.pk)
