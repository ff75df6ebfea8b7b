"""Residents find local events on /events/ (apart from the trainings), on their region's
page, and in the public calendar feed; the demo has a few per region."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from sasaeai.events import local_services
from sasaeai.events.demo import build_local_events
from sasaeai.events.models import LocalEvent, RegistrationStatus, Signup
from sasaeai.test import area

from .builders import make_event, make_local_event

pytestmark = pytest.mark.django_db


def test_the_list_shows_local_events_apart_from_trainings(client: Client, itabashi: object) -> None:
    make_local_event(title="いきいき体操 体験会")
    make_local_event("itabashi", title="板橋の交流会")
    make_local_event(title="準備中の体験会", published=False)
    make_local_event(title="終わった体験会", starts_at=timezone.now() - dt.timedelta(days=3))
    make_local_event("minami-jhs", title="みどり町の体験会")
    make_event(title="地域づくりセミナー", is_public=True)
    page = client.get("/events/").content.decode()
    local, training = page.split("研修・講演会（支え合い活動をする方・コーディネーター向け）")
    assert "地域の催し" in local and "いきいき体操 体験会" in local and "板橋の交流会" in local
    assert "地域づくりセミナー" in training and "いきいき体操" not in training
    for hidden in ("準備中の体験会", "終わった体験会", "みどり町の体験会"):
        assert hidden not in page, hidden
    page = client.get("/events/?area=takashimadaira").content.decode()
    assert "高島平の地域の催し" in page and "いきいき体操 体験会" in page
    assert "板橋の交流会" not in page
    page = client.get("/events/?area=blk-akatsuka").content.decode()
    assert "いきいき体操 体験会" in page and "板橋の交流会" not in page
    page = client.get("/events/?area=minami-jhs").content.decode()  # not this town's: all
    assert "いきいき体操 体験会" in page and "板橋の交流会" in page


def test_the_region_page_shows_its_next_local_events(client: Client, itabashi: object) -> None:
    for n in range(4):
        make_local_event(
            title=f"交流会 第{n + 1}回", starts_at=timezone.now() + dt.timedelta(days=5 + n)
        )
    page = client.get("/areas/takashimadaira/").content.decode()
    assert "高島平の催し（どなたでも参加できます）" in page
    assert "交流会 第1回" in page and "交流会 第3回" in page and "交流会 第4回" not in page
    assert "/events/?area=takashimadaira#local" in page and "4 件" in page
    # The local events come before the activities, near the top.
    assert page.index("交流会 第1回") < page.index("の支え合い活動")
    assert "どなたでも参加できます" not in client.get("/areas/itabashi/").content.decode()


def test_the_public_feed_carries_local_events_with_their_page(
    client: Client, itabashi: object
) -> None:
    event = make_local_event(title="ふれあい交流会")
    called_off = make_local_event(title="雨で中止の体験会")
    local_services.cancel_event(called_off, "雨のため")
    make_local_event(title="準備中", published=False)
    cal = icalendar.Calendar.from_ical(client.get("/events/calendar.ics").content)
    items = {str(c["SUMMARY"]): c for c in cal.walk("VEVENT")}
    assert set(items) == {"ふれあい交流会", "【中止】雨で中止の体験会"}
    assert str(items["ふれあい交流会"]["URL"]) == f"http://testserver/events/local/{event.pk}/"
    assert str(items["【中止】雨で中止の体験会"]["STATUS"]) == "CANCELLED"


def test_the_demo_has_local_events_in_every_region_with_signups(itabashi: Any) -> None:
    build_local_events(itabashi, 20261126)
    regions = area("131199").children.count()
    events = LocalEvent.objects.of(itabashi)
    assert events.values("area").distinct().count() > regions  # every region, not blocks
    assert set(events.values_list("kind", flat=True)) >= {"taiken", "social", "trial", "call"}
    assert all(e.starts_at > timezone.now() and e.is_published for e in events)
    assert Signup.objects.filter(status=RegistrationStatus.WAITING).exists()
    first = list(Signup.objects.order_by("event__uid", "number").values_list("name", "people"))
    build_local_events(itabashi, 20261126)  # idempotent
    assert LocalEvent.objects.of(itabashi).count() == events.count()
    again = list(Signup.objects.order_by("event__uid", "number").values_list("name", "people"))
    assert again == first
