"""An SC on the waiting list sees their place in it (キャンセル待ち 2番目), on the event page
and in their list, and it moves up as those ahead leave."""

from __future__ import annotations

import pytest
from django.test import Client

from sasaeai.accounts.models import Role
from sasaeai.events import services
from sasaeai.test import make_user

from .builders import make_event


@pytest.mark.django_db
def test_waiters_see_their_place_and_it_moves_up(client: Client, users: dict) -> None:
    event = make_event(capacity=1, title="SC連絡会")
    other = make_event(capacity=1, title="別の研修")  # its queue does not count here
    first = make_user("first@example.jp", Role.REGION_SC, "narimasu")
    for person in (users["block"], first):
        services.register(other, person)
    services.register(event, users["block"])  # the seat
    services.register(event, first)  # 1st in line
    services.register(event, users["sc"])  # 2nd in line
    client.force_login(users["sc"])
    assert "キャンセル待ち 2番目です" in client.get(f"/staff/events/{event.pk}/").content.decode()
    assert "キャンセル待ち 2番目" in client.get("/staff/events/").content.decode()

    services.cancel(event, first)
    assert "キャンセル待ち 1番目です" in client.get(f"/staff/events/{event.pk}/").content.decode()
    client.force_login(users["ward"])  # staff see the order in the list of people
    page = client.get(f"/staff/events/{event.pk}/").content.decode()
    assert "キャンセル待ち 1番目" in page


@pytest.mark.django_db
def test_a_registered_sc_sees_no_place_number(client: Client, users: dict) -> None:
    event = make_event(capacity=5)
    services.register(event, users["sc"])
    client.force_login(users["sc"])
    page = client.get(f"/staff/events/{event.pk}/").content.decode()
    assert "申し込んでいます" in page and "番目" not in page
