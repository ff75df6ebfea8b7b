"""The register, bookings (never two at once on one entry) and the month calendar."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client

from sasaeai.support import services
from sasaeai.support.models import Booking, Venue
from sasaeai.test import area

from .builders import at, make_booking, make_request, make_venue, next_week

BASE = "/staff/support/"


@pytest.mark.django_db
def test_ward_registers_a_venue_and_a_professional(client: Client, users: dict) -> None:
    client.force_login(users["ward"])
    response = client.post(BASE + "venues/new/", {
        "kind": "venue", "name": "高島平ふれあい館 多目的室",
        "area": area("takashimadaira").pk,
        "address": "板橋区高島平1-1-1", "capacity": "40", "latitude": "35.789",
        "longitude": "139.659", "is_active": "on",
    })  # fmt: skip
    venue = Venue.objects.get()
    assert response["Location"] == f"{BASE}venues/{venue.pk}/"
    assert venue.municipality.code == "131199" and venue.capacity == 40
    page = client.get(BASE + "venues/").content.decode()
    assert "高島平ふれあい館 多目的室" in page


@pytest.mark.django_db
def test_professional_needs_a_specialty(client: Client, users: dict) -> None:
    client.force_login(users["block"])
    page = client.get(BASE + "venues/new/").content.decode()
    assert "高島平" in page and "板橋ブロック" not in page  # only the block's regions
    response = client.post(BASE + "venues/new/", {
        "kind": "professional", "name": "理学療法士 派遣", "area": area("narimasu").pk,
        "latitude": "35.7",
    })  # fmt: skip
    page = response.content.decode()
    assert "専門職のときは、専門を書いてください。" in page
    assert "緯度と経度は両方とも入れてください。" in page
    assert not Venue.objects.exists()


@pytest.mark.django_db
def test_region_sc_sees_the_register_but_may_not_keep_it(client: Client, users: dict) -> None:
    venue = make_venue()
    client.force_login(users["sc"])
    page = client.get(f"{BASE}venues/{venue.pk}/").content.decode()
    assert venue.name in page and "予約する" not in page
    assert client.get(BASE + "venues/new/").status_code == 403


@pytest.mark.django_db
def test_ward_books_a_venue_for_a_request(client: Client, users: dict) -> None:
    venue = make_venue()
    req = make_request(by=users["sc"])
    client.force_login(users["ward"])
    page = client.get(f"{BASE}venues/{venue.pk}/?request={req.pk}").content.decode()
    assert f'<option value="{req.pk}" selected>' in page
    day = next_week()
    response = client.post(f"{BASE}venues/{venue.pk}/book/", {
        "day": str(day), "starts": "13:00", "ends": "15:00", "purpose": "交流会",
        "for_request": req.pk,
    })  # fmt: skip
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.starts_at, booking.ends_at, booking.request) == (at(day, 13), at(day, 15), req)
    page = client.get(f"{BASE}{req.pk}/").content.decode()
    assert "この依頼のための予約" in page and venue.name in page


@pytest.mark.django_db
def test_double_booking_is_refused_and_names_the_clash(client: Client, users: dict) -> None:
    venue = make_venue()
    day = next_week()
    make_booking(venue, day, 10, 12, purpose="体操教室")
    client.force_login(users["ward"])
    response = client.post(f"{BASE}venues/{venue.pk}/book/", {
        "day": str(day), "starts": "11:30", "ends": "13:00", "purpose": "交流会",
    })  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "はその時間に予約があります" in page and "10:00〜12:00「体操教室」" in page
    assert Booking.objects.count() == 1
    # Back to back is fine; another venue at the same time is fine.
    make_booking(venue, day, 12, 13)
    make_booking(make_venue("別の会議室"), day, 10, 12)
    assert Booking.objects.count() == 3


@pytest.mark.django_db
def test_bad_times_are_explained(client: Client, users: dict) -> None:
    venue = make_venue()
    client.force_login(users["ward"])
    response = client.post(f"{BASE}venues/{venue.pk}/book/", {
        "day": "2020-01-01", "starts": "15:00", "ends": "14:00", "purpose": "",
    })  # fmt: skip
    page = response.content.decode()
    assert "終了時刻は開始時刻より後にしてください。" in page
    assert "過ぎた時間は予約できません。" in page
    assert not Booking.objects.exists()
    with pytest.raises(ValidationError):
        services.book(venue, starts_at=at(next_week(), 12), ends_at=at(next_week(), 12),
                      purpose="x", by=None)  # fmt: skip


@pytest.mark.django_db
def test_ward_cancels_a_booking(client: Client, users: dict) -> None:
    booking = make_booking(make_venue())
    client.force_login(users["ward"])
    response = client.post(f"{BASE}bookings/{booking.pk}/cancel/")
    assert response["Location"] == f"{BASE}venues/{booking.venue_id}/"
    assert not Booking.objects.exists()


@pytest.mark.django_db
def test_month_calendar_shows_the_bookings(client: Client, users: dict) -> None:
    venue = make_venue()
    day = next_week(40)
    make_booking(venue, day, 9, 11, purpose="介護予防の体操")
    client.force_login(users["sc"])
    page = client.get(f"{BASE}calendar/?month={day:%Y-%m}").content.decode()
    assert f"{day.year}年{day.month}月" in page and "介護予防の体操" in page
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    assert f'href="/staff/support/calendar/?month={following:%Y-%m}">次の月' in page
    other = client.get(f"{BASE}calendar/?month=1999-01").content.decode()
    assert "介護予防の体操" not in other and "この月の予約はありません。" in other
    bad = client.get(f"{BASE}calendar/?month=2026-13").content.decode()
    assert "月は 2026-05 のように書いてください。" in bad


@pytest.mark.django_db
def test_calendar_hides_venues_of_other_municipalities(client: Client, users: dict) -> None:
    make_booking(make_venue(), next_week(), purpose="高島平の予約")
    day = next_week()
    client.force_login(users["other_admin"])
    page = client.get(f"{BASE}calendar/?month={day:%Y-%m}").content.decode()
    assert "高島平の予約" not in page


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="threads need a shared database: PostgreSQL"
)
def test_two_simultaneous_bookings_cannot_both_win(itabashi: Any) -> None:
    venue = make_venue()
    day = next_week()
    barrier = threading.Barrier(4)
    won: list[int] = []
    refused: list[str] = []
    errors: list[BaseException] = []

    def book(hour: int) -> None:
        try:
            barrier.wait()
            start, end = at(day, hour), at(day, hour + 2)
            booking = services.book(venue, starts_at=start, ends_at=end, purpose="x", by=None)
            won.append(booking.pk)
        except ValidationError as error:
            refused.append(error.messages[0])
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    # 10–12, 11–13, 10–12 and 11–13 all overlap one another: exactly one may win.
    threads = [threading.Thread(target=book, args=(h,)) for h in (10, 11, 10, 11)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(won) == 1 and len(refused) == 3
    assert Booking.objects.count() == 1
