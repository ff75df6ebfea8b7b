"""`{% url %}`, `{% static %}`, `{% translate %}` and `{% htmx_script %}` as Django's and
django-htmx's, each answer remembered in this process.

Each gives the same string for the same arguments for as long as the process runs: the URL
patterns, the static files' manifest and the translations' catalogues are read once, at start.
Yet Django works each out again on every use — a reverse() walks the resolver, a static file's
hashed name goes through the storage's path handling, a translated sentence goes through the
lazy gettext, the locale's formats and escaping — and a public page draws a dozen of each in
its header and footer alone (the home page thirty links: every area's). Remembered, each costs
a dictionary lookup. `{% translate %}` is remembered for a constant sentence shown in place
(not `as`, not with a `context`), per language; `{% htmx_script %}` without extensions, with
the request's own CSP nonce written in.

Load after Django's libraries to replace their tags:
`{% load i18n static django_htmx remembered %}`. A changed setting (tests) forgets everything.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.template import defaulttags
from django.templatetags import i18n
from django.templatetags.static import StaticNode
from django.templatetags.static import static as static_url
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django_htmx.templatetags import django_htmx

register = template.Library()

# Keys carry arguments from the data (an activity's id): start again past this many.
LIMIT = 10_000

_urls: dict[Hashable, str] = {}
_statics: dict[str, str] = {}
_sentences: dict[Hashable, str] = {}
_scripts: dict[Hashable, tuple[str, str]] = {}


def forget(**kwargs: Any) -> None:
    """Forget every remembered answer (a setting changed: the URLs, the storage or the
    languages may have)."""
    _urls.clear()
    _statics.clear()
    _sentences.clear()
    _scripts.clear()


setting_changed.connect(forget, dispatch_uid="remembered-template-tags")


class RememberedURLNode(defaulttags.URLNode):
    def render(self, context: template.Context) -> str:
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple(sorted((k, v.resolve(context)) for k, v in self.kwargs.items()))
        request = getattr(context, "request", None)
        current_app = getattr(request, "current_app", None)
        if current_app is None:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        key = (self.view_name.resolve(context), args, kwargs, current_app,
               get_script_prefix(), get_urlconf(), get_language())  # fmt: skip
        try:
            url = _urls.get(key)
        except TypeError:  # an argument that cannot be a key: as Django does
            return super().render(context)
        if url is None:
            url = self._reverse(key)
            if url is None:  # no such URL: Django's answer (an error, or "" with `as`)
                return super().render(context)
            if len(_urls) >= LIMIT:
                _urls.clear()
            _urls[key] = url
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url

    @staticmethod
    def _reverse(key: tuple[Any, ...]) -> str | None:
        from django.urls import NoReverseMatch, reverse

        view_name, args, kwargs, current_app = key[:4]
        try:
            return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)
        except NoReverseMatch:
            return None


@register.tag
def url(parser: template.base.Parser, token: template.base.Token) -> RememberedURLNode:
    node = defaulttags.url(parser, token)
    node.__class__ = RememberedURLNode
    return node  # type: ignore[return-value]


class RememberedStaticNode(StaticNode):
    @classmethod
    def handle_simple(cls, path: str) -> str:
        found = _statics.get(path)
        if found is None:
            found = super().handle_simple(path)
            if len(_statics) >= LIMIT:
                _statics.clear()
            _statics[path] = found
        return found


@register.tag
def static(parser: template.base.Parser, token: template.base.Token) -> StaticNode:
    return RememberedStaticNode.handle_token(parser, token)


class RememberedTranslateNode(i18n.TranslateNode):
    def render(self, context: template.Context) -> str:
        expression = self.filter_expression
        literal = getattr(expression.var, "literal", None)
        if self.asvar or self.message_context or expression.filters or literal is None:
            return super().render(context)  # type: ignore[no-any-return]
        key = (literal, self.noop, get_language(), context.autoescape)
        found = _sentences.get(key)
        if found is None:
            found = super().render(context)
            if len(_sentences) >= LIMIT:
                _sentences.clear()
            _sentences[key] = found
        return found


@register.tag("translate")
@register.tag("trans")
def translate(parser: template.base.Parser, token: template.base.Token) -> i18n.TranslateNode:
    node = i18n.do_translate(parser, token)
    node.__class__ = RememberedTranslateNode
    return node


@register.simple_tag(takes_context=True)
def htmx_script(
    context: template.Context, minified: bool = True, version: int = 2, extensions: str = ""
) -> str:
    """django-htmx's `{% htmx_script %}`: its script tag, the static file's URL remembered."""
    if extensions or settings.DEBUG:
        return django_htmx.htmx_script(context, minified, version, extensions)
    suffix = ".min" if minified else ""
    key = (version, suffix)
    halves = _scripts.get(key)
    if halves is None:
        url = conditional_escape(static_url(f"django_htmx/htmx-{version}{suffix}.js"))
        halves = (f'<script src="{url}" defer', "></script>")
        _scripts[key] = halves
    nonce = context.get("csp_nonce")
    if nonce is None:
        return mark_safe(halves[0] + halves[1])  # noqa: S308  (our own constant markup)
    return SafeString(f'{halves[0]} nonce="{conditional_escape(nonce)}"{halves[1]}')
