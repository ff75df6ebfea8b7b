"""Django's middleware for what every request pays, doing the same at less cost.

Every request of the site — an anonymous visitor's public page above all — goes through
settings.MIDDLEWARE, and the app's floor (`bench/`: a 405 with no template and no query) is
mostly that stack. These three do what Django's own do, with the work that gives the same
answer on every request done once (bench/README.md, *Where each page's time goes*):

- `ContentSecurityPolicyMiddleware`: Django's, with the policy's header written once per
  policy rather than on each response, when the policy has no nonce in it;
- `OneLanguageMiddleware`: Django's LocaleMiddleware for a site in one language (ours:
  settings.LANGUAGES), which gives that language to every request without reading the
  request's path, cookie or Accept-Language; with more languages it is Django's own;
- `MessageStorage` (settings.MESSAGE_STORAGE): Django's FallbackStorage (a cookie, else the
  session), which makes its two stores only when a message is read or kept: a request
  without the messages cookie has none to read (the cookie store answers "nothing" and the
  session store is then never asked, as in Django's).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.base import BaseStorage
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse
from django.middleware import csp
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.csp import CSP, build_policy

# id(config) → (config, its header): a policy is a setting, the same dict on every response.
_policies: dict[int, tuple[Any, str]] = {}


def _forget(**kwargs: Any) -> None:
    _policies.clear()


setting_changed.connect(_forget, dispatch_uid="sasaeai-site-middleware")


def _has_nonce(config: Any) -> bool:
    return any(
        (isinstance(values, list | tuple | set) and CSP.NONCE in values) or values == CSP.NONCE
        for values in config.values()
    )


def policy_header(config: Any, nonce: Any) -> str:
    """build_policy(config, nonce), remembered for a policy without a nonce (which is the
    same string for every request: build_policy reads the nonce only for its placeholder)."""
    hit = _policies.get(id(config))
    if hit is not None and hit[0] is config:
        return hit[1]
    if _has_nonce(config):
        return build_policy(config, nonce)
    header = build_policy(config)
    _policies[id(config)] = (config, header)
    return header


class ContentSecurityPolicyMiddleware(csp.ContentSecurityPolicyMiddleware):
    """django.middleware.csp's, each policy's header written once."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        nonce = csp.get_nonce(request)
        sentinel = object()
        if (csp_config := getattr(response, "_csp_config", sentinel)) is sentinel:
            csp_config = settings.SECURE_CSP
        if (csp_ro_config := getattr(response, "_csp_ro_config", sentinel)) is sentinel:
            csp_ro_config = settings.SECURE_CSP_REPORT_ONLY
        for header, config in (
            (CSP.HEADER_ENFORCE, csp_config),
            (CSP.HEADER_REPORT_ONLY, csp_ro_config),
        ):
            if config and header not in response:
                response.headers[str(header)] = policy_header(config, nonce)
        return response


class OneLanguageMiddleware:
    """LocaleMiddleware for a site in one language: that language, the same headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response: Callable[[HttpRequest], HttpResponse] = get_response
        languages = [code for code, _name in settings.LANGUAGES]
        self.language = languages[0] if len(languages) == 1 else None
        if self.language is None:  # several: Django's, which chooses among them
            self.get_response = LocaleMiddleware(get_response)  # type: ignore[assignment]

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self.language
        if language is None:
            return self.get_response(request)
        # As LocaleMiddleware does with one language and no i18n_patterns: whatever the
        # request asks, this language; Vary and Content-Language as it writes them.
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response


class MessageStorage(FallbackStorage):
    """Django's FallbackStorage, its cookie and session stores made when first needed."""

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        BaseStorage.__init__(self, request, *args, **kwargs)
        self._arguments = (request, args, kwargs)
        self._used_storages: set[BaseStorage] = set()

    @cached_property
    def storages(self) -> list[BaseStorage]:  # type: ignore[override]
        request, args, kwargs = self._arguments
        return [cls(request, *args, **kwargs) for cls in self.storage_classes]

    def _get(self, *args: Any, **kwargs: Any) -> tuple[list[Any], bool]:
        # No cookie: the cookie store has nothing and FallbackStorage stops there.
        if CookieStorage.cookie_name not in self.request.COOKIES:
            return [], True
        return super()._get(*args, **kwargs)  # type: ignore[misc, no-any-return]
