"""Which responses the proxy may share (X-Accel-Expires), and which never."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory

from sasaeai.directory.tests.builders import make_activity
from sasaeai.lib.public_cache import HEADER, PublicCacheMiddleware, public_page

pytestmark = pytest.mark.django_db


def shared_until(response: Any) -> int | None:
    value = response.headers.get(HEADER)
    return None if value is None else int(value.removeprefix("@"))


@pytest.fixture
def activity(itabashi: Any) -> Any:
    return make_activity("高島平いきいきサロン")


def public_paths(activity: Any) -> list[str]:
    return [
        "/",
        "/areas/takashimadaira/",
        "/activities/",
        "/activities/?q=サロン",
        f"/activities/{activity.pk}/",
        f"/activities/{activity.pk}/print/",
        "/institutions/",
        "/events/",
        "/events/calendar.ics",
    ]


def test_public_pages_are_shared_until_the_second_they_were_made_in_ends(
    client: Client, activity: Any
) -> None:
    for path in public_paths(activity):
        before = int(time.time())
        response = client.get(path)
        after = int(time.time())
        assert response.status_code == 200, path
        until = shared_until(response)
        assert until is not None and before <= until <= after, (path, until)
        assert "Set-Cookie" not in response and not response.cookies, path
        assert b"csrfmiddlewaretoken" not in response.content, path


def test_large_text_pages_are_shared_too_the_proxy_keys_them_by_the_cookie(
    client: Client, activity: Any
) -> None:
    client.cookies["sasaeai_text"] = "large"
    response = client.get("/")
    assert 'class="text-large"' in response.content.decode()
    assert shared_until(response) is not None


def test_signed_in_staff_pages_are_never_shared(
    client: Client, users: dict[str, Any], activity: Any
) -> None:
    client.force_login(users["ward"])
    for path in public_paths(activity):
        assert shared_until(client.get(path)) is None, path


def test_a_visitor_with_a_message_waiting_gets_a_page_of_their_own(
    client: Client, activity: Any
) -> None:
    client.cookies["messages"] = "anything"
    assert shared_until(client.get("/")) is None


def test_missing_pages_forms_and_posts_are_not_shared(client: Client, activity: Any) -> None:
    assert shared_until(client.get("/activities/999999/")) is None  # 404
    assert shared_until(client.get("/activities/propose/")) is None  # a form with a token
    assert shared_until(client.get("/needs/new/")) is None
    assert shared_until(client.post("/prefs/text-size/", {"next": "/"})) is None


def test_a_marked_page_that_used_the_csrf_token_is_not_shared() -> None:
    """A view marked by mistake still cannot hand one visitor's token to another."""

    def page(request: HttpRequest) -> HttpResponse:
        return HttpResponse(f"<input value='{get_token(request)}'>")

    view: Any = public_page(page)
    request = RequestFactory().get("/")
    request.COOKIES["csrftoken"] = "x" * 32
    request.META["CSRF_COOKIE"] = "x" * 32
    response = PublicCacheMiddleware(view)(request)
    assert HEADER not in response


def test_an_unmarked_view_is_not_shared() -> None:
    response = PublicCacheMiddleware(lambda request: HttpResponse("hello"))(
        RequestFactory().get("/")
    )
    assert HEADER not in response


def test_text_size_switch_works_without_a_csrf_token(activity: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/prefs/text-size/", {"next": "/"})
    assert response.status_code == 302 and response.cookies["sasaeai_text"].value == "large"
