"""Who may reach which events page: anonymous → sign-in, outsiders → 404, may-see-but-not-
change → 403, the right role → the page."""

from __future__ import annotations

import pytest
from django.test import Client

from sasaeai.events.models import Material

from .builders import make_event

STAFF_PAGES = ["", "new/", "plan/", "plan/edit/", "attendance/", "kinds/"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", [*STAFF_PAGES, "history/", "calendar/", "1/", "1/edit/"])
def test_anonymous_is_sent_to_sign_in(client: Client, itabashi: object, path: str) -> None:
    response = client.get(f"/staff/events/{path}")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", STAFF_PAGES)
def test_ward_staff_reach_every_staff_page(client: Client, users: dict, path: str) -> None:
    client.force_login(users["ward"])
    assert client.get(f"/staff/events/{path}").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["", "new/", "plan/", "history/", "calendar/", "attendance/"])
def test_council_member_and_institution_are_refused(client: Client, users: dict, path: str) -> None:
    for name in ("member", "institution"):
        client.force_login(users[name])
        assert client.get(f"/staff/events/{path}").status_code == 403


@pytest.mark.django_db
def test_block_sc_may_edit_the_plan_page_only_as_reader(client: Client, users: dict) -> None:
    client.force_login(users["block"])
    assert client.get("/staff/events/plan/").status_code == 200
    assert client.get("/staff/events/plan/edit/").status_code == 403
    assert client.post("/staff/events/kinds/", {"name": "x", "code": "x"}).status_code == 403


@pytest.mark.django_db
def test_sc_sees_events_for_the_municipality_their_block_and_region_only(
    client: Client, users: dict
) -> None:
    everyone = make_event("131199", title="全体研修")
    block = make_event("blk-akatsuka", "block-liaison", title="赤塚ブロック連絡会")
    region = make_event("takashimadaira", title="高島平の勉強会")
    other_block = make_event("blk-itabashi", "block-liaison", title="板橋ブロック連絡会")
    draft = make_event("131199", title="下書きの研修", published=False)
    client.force_login(users["sc"])
    page = client.get("/staff/events/").content.decode()
    assert "全体研修" in page and "赤塚ブロック連絡会" in page and "高島平の勉強会" in page
    assert "板橋ブロック連絡会" not in page and "下書きの研修" not in page
    for event in (everyone, block, region):
        assert client.get(f"/staff/events/{event.pk}/").status_code == 200
    for event in (other_block, draft):
        assert client.get(f"/staff/events/{event.pk}/").status_code == 404
    # Seeing is not managing: the region SC cannot edit the municipality's training.
    assert client.get(f"/staff/events/{everyone.pk}/edit/").status_code == 403
    assert client.post(f"/staff/events/{everyone.pk}/attendance/").status_code == 403


@pytest.mark.django_db
def test_block_sc_manages_their_block_but_not_another(client: Client, users: dict) -> None:
    mine = make_event("blk-akatsuka", "block-liaison", published=False)
    theirs = make_event("blk-itabashi", "block-liaison", published=False)
    client.force_login(users["block"])
    assert client.get(f"/staff/events/{mine.pk}/edit/").status_code == 200
    assert client.get(f"/staff/events/{theirs.pk}/edit/").status_code == 404
    assert client.post(f"/staff/events/{theirs.pk}/publish/").status_code == 404


@pytest.mark.django_db
def test_nothing_crosses_municipalities(client: Client, users: dict) -> None:
    event = make_event("131199")
    material = Material.objects.create(event=event, title="資料", file="events/x/a.pdf")
    client.force_login(users["other_admin"])
    for path in (f"{event.pk}/", f"{event.pk}/edit/", f"{event.pk}/attendance/",
                 f"materials/{material.pk}/", f"people/{users['sc'].pk}/"):  # fmt: skip
        assert client.get(f"/staff/events/{path}").status_code == 404, path
    assert client.post(f"/staff/events/{event.pk}/register/").status_code == 404
    assert client.post(f"/staff/events/{event.pk}/publish/").status_code == 404
    page = client.get("/staff/events/").content.decode()
    assert event.title not in page


@pytest.mark.django_db
def test_wrong_methods_are_refused(client: Client, users: dict) -> None:
    event = make_event()
    client.force_login(users["ward"])
    assert client.get(f"/staff/events/{event.pk}/publish/").status_code == 405
    assert client.get(f"/staff/events/{event.pk}/register/").status_code == 405
    assert client.post(f"/staff/events/{event.pk}/").status_code == 405
