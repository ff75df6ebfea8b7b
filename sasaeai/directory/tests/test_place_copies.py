"""Each place carries its activity's filter columns; every way of changing an activity keeps
them true, so that "near me" counted from the places agrees with the activities."""

from typing import Any

import pytest
from django.test import Client

from sasaeai.directory.models import Kind, Place, Status
from sasaeai.directory.services import ActivityParts, change_status, save_activity

from .builders import make_activity

pytestmark = pytest.mark.django_db
NEAR = {"near": "35.789,139.659", "radius": "1"}


def copies(activity: Any) -> list[tuple[Any, ...]]:
    return list(
        Place.objects.filter(activity=activity).values_list(
            "listed", "municipality_id", "area_id", "kind_bits", "is_free", "step_free"
        )
    )


def found_near(client: Client, **filters: str) -> str:
    response = client.get("/activities/", {**NEAR, **filters})
    return response.context["page"].paginator.count


def test_a_new_activity_gives_its_places_its_columns(itabashi: Any) -> None:
    activity = make_activity("サロン", kinds=("salon",), is_free=True)
    salon = Kind.objects.get(municipality=itabashi, code="salon")
    assert copies(activity) == [(True, itabashi.pk, activity.area_id, salon.mask, True, False)]


def test_pausing_takes_the_places_off_the_public_count(client: Client, itabashi: Any) -> None:
    activity = make_activity("サロン")
    assert found_near(client) == 1
    change_status(activity, Status.PAUSED)
    assert copies(activity)[0][0] is False
    assert found_near(client) == 0


def test_an_edit_of_flags_kinds_and_area_reaches_the_places(client: Client, itabashi: Any) -> None:
    activity = make_activity("サロン", kinds=("salon",))
    assert found_near(client, step_free="on") == 0
    activity.step_free = True
    activity.area = itabashi.children.get(code="blk-akatsuka").children.first()
    exercise = Kind.objects.get(municipality=itabashi, code="exercise")
    place = {"name": "会場", "address": "板橋区", "latitude": 35.789, "longitude": 139.659}
    save_activity(activity, ActivityParts(kinds=[exercise], places=[place]))
    assert copies(activity)[0][2:] == (activity.area_id, exercise.mask, False, True)
    assert found_near(client, step_free="on", kind="exercise") == 1
    assert found_near(client, kind="salon") == 0
