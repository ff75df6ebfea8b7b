"""The middleware every request pays for (lib/site_middleware.py) answers as Django's own, and
the frame's remembered tags (core/templatetags/remembered.py) draw what Django's draw."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.template import engines
from django.test import Client, RequestFactory, override_settings
from django.utils.csp import CSP, LazyNonce, build_policy

from sasaeai.lib import site_middleware
from sasaeai.lib.site_middleware import MessageStorage, OneLanguageMiddleware, policy_header

pytestmark = pytest.mark.django_db

FLOOR = "/prefs/text-size/"  # a GET where only POST is allowed: no template, no query


def test_every_answer_is_in_japanese_whatever_the_browser_asks(client: Client) -> None:
    for asked in ("", "en-US,en;q=0.8", "zh-CN", "ja"):
        response = client.get(FLOOR, HTTP_ACCEPT_LANGUAGE=asked)
        assert response.status_code == 405
        assert response["Content-Language"] == "ja"
        assert "Accept-Language" in response["Vary"]
        assert response.wsgi_request.LANGUAGE_CODE == "ja"  # type: ignore[attr-defined]


def test_the_policy_header_is_the_settings_policy(client: Client, settings: Any) -> None:
    response = client.get(FLOOR)
    assert response["Content-Security-Policy"] == build_policy(settings.SECURE_CSP)
    changed = {**settings.SECURE_CSP, "img-src": [CSP.SELF]}
    with override_settings(SECURE_CSP=changed):
        response = client.get(FLOOR)
    assert response["Content-Security-Policy"] == build_policy(changed)
    assert "img-src 'self';" in response["Content-Security-Policy"]


def test_a_policy_with_a_nonce_gets_each_requests_own() -> None:
    config = {"script-src": [CSP.SELF, CSP.NONCE]}
    first, second, unused = LazyNonce(), LazyNonce(), LazyNonce()
    for nonce in (first, second):
        used = str(nonce)  # drawn on the page: then it is in the header (Django's rule)
        assert policy_header(config, nonce) == f"script-src 'self' 'nonce-{used}'"
    assert policy_header(config, unused) == "script-src 'self'"
    assert id(config) not in site_middleware._policies


def test_with_several_languages_it_is_djangos_locale_middleware() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("")

    with override_settings(LANGUAGES=[("ja", "日本語"), ("en", "English")]):
        middleware = OneLanguageMiddleware(view)
    assert isinstance(middleware.get_response, LocaleMiddleware)


def _request(cookies: dict[str, str] | None = None) -> HttpRequest:
    request = RequestFactory().get("/")
    request.COOKIES.update(cookies or {})
    request.session = SessionStore()
    return request


def test_a_message_kept_shows_on_the_next_page() -> None:
    request = _request()
    storage = MessageStorage(request)
    assert list(storage) == []
    assert "storages" not in storage.__dict__  # nothing to read without the cookie
    storage.add(messages.INFO, "保存しました。")
    response = HttpResponse("")
    storage.update(response)
    kept = response.cookies[CookieStorage.cookie_name].value
    later = MessageStorage(_request({CookieStorage.cookie_name: kept}))
    assert [str(m) for m in later] == ["保存しました。"]


def test_a_message_too_long_for_the_cookie_waits_in_the_session() -> None:
    request = _request()
    storage = MessageStorage(request)
    storage.add(messages.INFO, "あ" * 5000)
    response = HttpResponse("")
    storage.update(response)
    kept = response.cookies[CookieStorage.cookie_name].value  # "the rest is in the session"
    later_request = _request({CookieStorage.cookie_name: kept})
    later_request.session = request.session
    assert [len(str(m)) for m in MessageStorage(later_request)] == [5000]


def _render(source: str, **context: Any) -> str:
    engine = engines["django"]
    return str(engine.from_string(source).render(context, request=RequestFactory().get("/")))


def test_remembered_translate_and_htmx_script_draw_what_djangos_draw() -> None:
    tags = (
        '{% translate "本文へ移動" %}|{% translate "文字を大きく" noop %}|'
        '<a title="{% translate "メインメニュー" %}">|{% htmx_script minified=True %}'
    )
    django = _render("{% load i18n django_htmx %}" + tags)
    remembered = "{% load i18n django_htmx remembered %}" + tags
    for _ in range(2):  # the first draws and remembers, the second reads it back
        assert _render(remembered) == django
    assert 'nonce="' not in django  # no CSP nonce in this context: none written


def test_the_script_carries_the_requests_own_nonce() -> None:
    source = "{% load django_htmx remembered %}{% htmx_script %}"
    nonces = [LazyNonce(), LazyNonce()]
    drawn = [_render(source, csp_nonce=nonce) for nonce in nonces]
    for nonce, html in zip(nonces, drawn, strict=True):
        assert f'nonce="{nonce}"' in html
        assert html == _render("{% load django_htmx %}{% htmx_script %}", csp_nonce=nonce)
