"""The public page of public events: no sign-in, this municipality's public events only,
dates in Japanese, how to apply, the calendar feed; a called-off event says 中止."""

from __future__ import annotations

import pytest
from django.test import Client

from sasaeai.events import services

from .builders import at, make_event


@pytest.mark.django_db
def test_residents_see_this_municipalitys_public_events_without_signing_in(
    client: Client, itabashi: object
) -> None:
    make_event(
        "131199", "npo", title="地域づくりセミナー", is_public=True, starts_at=at(2099, 12, 3, 14),
        venue="グリーンホール", address="板橋区栄町36-1", capacity=60,
        organiser="全国コミュニティサポートセンター", how_to_apply="電話でお申し込みください。",
    )  # fmt: skip
    make_event(title="SC限定の連絡会")
    make_event(title="公開予定の下書き", is_public=True, published=False)
    make_event(title="終わった講座", is_public=True, starts_at=at(2001, 6, 1))
    make_event("999991", title="みどり町の講座", is_public=True)
    response = client.get("/events/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "地域づくりセミナー" in page
    assert "2099年12月3日（木）14:00〜16:00" in page
    assert "グリーンホール" in page and "板橋区栄町36-1" in page
    assert "全国コミュニティサポートセンター" in page and "電話でお申し込みください" in page
    assert "http://testserver/events/calendar.ics" in page
    for hidden in ("SC限定の連絡会", "公開予定の下書き", "終わった講座", "みどり町の講座"):
        assert hidden not in page, hidden
    page = client.get("/events/", HTTP_HOST="midori.example.jp").content.decode()
    assert "みどり町の講座" in page and "地域づくりセミナー" not in page


@pytest.mark.django_db
def test_a_called_off_event_says_so_and_drops_how_to_apply(
    client: Client, itabashi: object
) -> None:
    event = make_event(title="介護予防フォーラム", is_public=True, how_to_apply="当日受付")
    services.cancel_event(event, "会場の点検のため")
    page = client.get("/events/").content.decode()
    assert "介護予防フォーラム" in page and "中止になりました" in page
    assert "会場の点検のため" in page and "当日受付" not in page


@pytest.mark.django_db
def test_an_empty_list_says_so_and_the_feed_links_back_to_the_page(
    client: Client, itabashi: object
) -> None:
    assert "いまお知らせしている研修・催しはありません" in client.get("/events/").content.decode()
    event = make_event(title="公開フォーラム", is_public=True)
    feed = client.get("/events/calendar.ics").content.decode()
    assert f"http://testserver/events/#event-{event.pk}" in feed.replace("\r\n ", "")


@pytest.mark.django_db
def test_a_host_of_no_municipality_gets_404(
    client: Client, itabashi: object, settings: object
) -> None:
    settings.SASAEAI_DEFAULT_MUNICIPALITY = ""  # type: ignore[attr-defined]
    assert client.get("/events/", HTTP_HOST="localhost").status_code == 404


@pytest.mark.django_db
def test_the_date_reads_as_japanese_readers_expect(itabashi: object) -> None:
    event = make_event(starts_at=at(2026, 12, 3, 14), hours=2)
    assert event.when == "2026年12月3日（木）14:00〜16:00"
    overnight = make_event(starts_at=at(2026, 12, 3, 22), hours=4)
    assert overnight.when == "2026年12月3日（木）22:00〜12月4日（金）02:00"
