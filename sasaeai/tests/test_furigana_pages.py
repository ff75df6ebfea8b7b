"""ふりがな on the public pages: off by default, on with the switch in the header (a plain
form, no JavaScript), remembered, and the shared page cache never mixes the two."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from sasaeai.core.templatetags import furigana_tags
from sasaeai.directory.tests.builders import make_activity
from sasaeai.events.tests.builders import make_local_event
from sasaeai.lib.public_cache import HEADER

pytestmark = pytest.mark.django_db
SWITCH = "/prefs/furigana/"


@pytest.fixture(autouse=True)
def _fresh_words() -> Iterator[None]:
    furigana_tags.forget()  # each test's municipality is new: its words too
    yield
    furigana_tags.forget()


@pytest.fixture
def activity(itabashi: Any) -> Any:
    return make_activity(
        "高島平お茶飲み仲間",
        kana="たかしまだいらおちゃのみなかま",
        description="ご近所の顔なじみが集まって、お茶を飲みながら近況を話しています。",
    )


def ruby(base: str, said: str) -> str:
    return f"<ruby>{base}<rp>（</rp><rt>{said}</rt><rp>）</rp></ruby>"


def switch_on(client: Client, back: str = "/") -> Any:
    return client.post(SWITCH, {"next": back})


def test_off_by_default_and_the_switch_is_a_plain_form(client: Client, activity: Any) -> None:
    page = client.get(f"/activities/{activity.pk}/").content.decode()
    assert "<ruby>" not in page and "<rt>" not in page
    assert f'action="{SWITCH}"' in page and "ふりがなをつける" in page
    assert 'aria-pressed="false"' in page


def test_readings_show_on_the_public_pages_once_asked_for(client: Client, activity: Any) -> None:
    response = switch_on(client, f"/activities/{activity.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/activities/{activity.pk}/"
    page = client.get(response["Location"]).content.decode()
    # The name, from its typed よみがな; the description, from the dictionary.
    name = (
        ruby("高島平", "たかしまだいら")
        + "お"
        + ruby("茶飲", "ちゃの")
        + "み"
        + ruby("仲間", "なかま")
    )
    assert f"<h1>{name}</h1>" in page
    assert ruby("近所", "きんじょ") in page and ruby("近況", "きんきょう") in page
    assert "ふりがなを消す" in page and 'class=" furigana"' in page
    # The list, the region page, the home page and a local event.
    listing = client.get("/activities/?q=お茶").content.decode()
    assert ruby("高島平", "たかしまだいら") in listing and ruby("仲間", "なかま") in listing
    region = client.get("/areas/takashimadaira/").content.decode()
    assert f"<h1>{ruby('高島平', 'たかしまだいら')}{ruby('地域', 'ちいき')}</h1>" in region
    home = client.get("/").content.decode()
    assert ruby("板橋", "いたばし") + ruby("区", "く") in home and ruby("探", "さが") in home
    assert ruby("蓮根", "はすね") in home  # the area's よみがな, not the dictionary's れんこん
    event = make_local_event(description="椅子に座ってできる体操です。")
    shown = client.get(f"/events/local/{event.pk}/").content.decode()
    assert ruby("椅子", "いす") in shown and ruby("体操", "たいそう") in shown


def test_no_wrong_reading_for_the_demo_place_names(client: Client, itabashi: Any) -> None:
    make_activity("大山井戸端会議", area_code="nakacho", description="大山の井戸端会議です。")
    switch_on(client)
    page = client.get("/activities/?q=井戸端").content.decode()
    assert ruby("大山", "おおやま") in page and ruby("井戸端会議", "いどばたかいぎ") in page
    assert "だいせん" not in page and "いどたん" not in page


def test_the_choice_is_remembered_until_switched_off(client: Client, activity: Any) -> None:
    cookie = switch_on(client).cookies["sasaeai_furigana"]
    assert cookie.value == "on" and cookie["max-age"] == 365 * 24 * 3600
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert "<ruby>" in client.get("/").content.decode()
    assert "<ruby>" in client.get("/areas/takashimadaira/").content.decode()
    switch_on(client)
    assert "<ruby>" not in client.get("/").content.decode()


def test_works_with_large_text(client: Client, activity: Any) -> None:
    client.post("/prefs/text-size/", {"next": "/"})
    switch_on(client)
    page = client.get("/").content.decode()
    assert 'class="text-large furigana"' in page and "<ruby>" in page


def test_a_foreign_next_is_ignored_and_get_is_refused(client: Client, activity: Any) -> None:
    assert client.post(SWITCH, {"next": "https://evil.example/"})["Location"] == "/"
    assert client.get(SWITCH).status_code == 405


def test_switch_needs_no_csrf_token_and_is_never_shared(activity: Any) -> None:
    response = Client(enforce_csrf_checks=True).post(SWITCH, {"next": "/"})
    assert response.status_code == 302 and HEADER not in response


def test_pages_with_ruby_are_shared_only_with_the_cookie_in_the_proxy_key(
    client: Client, activity: Any
) -> None:
    """The application marks both copies shareable; the proxy keys them by the cookie
    (deploy/nginx/sasaeai-proxy.conf), as it does for 文字を大きく."""
    plain = client.get("/")
    client.cookies["sasaeai_furigana"] = "on"
    rubied = client.get("/")
    assert HEADER in plain and HEADER in rubied
    assert "<ruby>" not in plain.content.decode() and "<ruby>" in rubied.content.decode()
    from django.conf import settings

    conf = (settings.BASE_DIR / "deploy" / "nginx" / "sasaeai-proxy.conf").read_text()
    key = next(line for line in conf.splitlines() if line.startswith("proxy_cache_key"))
    assert "$cookie_sasaeai_furigana" in key and "$cookie_sasaeai_text" in key
