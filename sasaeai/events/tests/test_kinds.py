"""Event kinds are data: seeded per municipality, edited by its staff."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory

from sasaeai.events.models import EventKind, Notice

from .builders import kind, make_event


@pytest.mark.django_db
def test_ward_staff_add_and_rename_a_kind(client: Client, users: dict) -> None:
    client.force_login(users["ward"])
    page = client.get("/staff/events/kinds/").content.decode()
    assert "第2層SC等研修会" in page and "さわやか福祉財団" in page
    response = client.post("/staff/events/kinds/", {"name": "区民向け講座", "code": "lecture",
                                                    "sort_order": "9"})  # fmt: skip
    assert response["Location"] == "/staff/events/kinds/"
    lecture = EventKind.objects.get(code="lecture")
    assert lecture.municipality.code == "131199"
    data = {"name": "区民向け公開講座", "code": "lecture", "sort_order": "9"}
    client.post(f"/staff/events/kinds/{lecture.pk}/", data)
    lecture.refresh_from_db()
    assert lecture.name == "区民向け公開講座"


@pytest.mark.django_db
def test_a_taken_code_is_explained(client: Client, users: dict) -> None:
    client.force_login(users["ward"])
    kind("training")
    response = client.post("/staff/events/kinds/", {"name": "別の研修", "code": "training",
                                                    "sort_order": "1"})  # fmt: skip
    assert "このコードはもう使われています" in response.content.decode()
    assert not EventKind.objects.filter(name="別の研修").exists()


@pytest.mark.django_db
def test_kinds_of_another_municipality_are_out_of_reach(client: Client, users: dict) -> None:
    theirs = kind("training", "999991")
    client.force_login(users["ward"])
    assert client.get(f"/staff/events/kinds/{theirs.pk}/").status_code == 404


@pytest.mark.django_db
def test_navigation_tags(users: dict) -> None:
    event = make_event("takashimadaira")
    Notice.objects.create(user=users["sc"], event=event, reason="published")
    template = Template("{% load events_tags %}{% may_use_events %}/{% events_news_count %}")
    request = RequestFactory().get("/")
    for who, expected in (("sc", "True/1"), ("ward", "True/0"), ("member", "False/0")):
        request.user = users[who]
        assert template.render(Context({"request": request})) == expected, who
