"""`{% url %}` and `{% static %}` as Django's, each answer remembered in this process.

Both give the same string for the same arguments for as long as the process runs: the URL
patterns and the static files' manifest are read once, at start. Yet Django works each out
again on every use — a reverse() walks the resolver, a static file's hashed name goes through
the storage's path handling — and a public page draws a dozen of them in its header and footer
alone (the home page thirty: every area's link). Remembered, each costs a dictionary lookup.

Load after Django's libraries to replace their tags: `{% load i18n static remembered %}`.
A changed setting (tests) forgets everything.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.template import defaulttags
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import conditional_escape
from django.utils.translation import get_language

register = template.Library()

# Keys carry arguments from the data (an activity's id): start again past this many.
LIMIT = 10_000

_urls: dict[Hashable, str] = {}
_statics: dict[str, str] = {}


def forget(**kwargs: Any) -> None:
    """Forget every remembered answer (a setting changed: the URLs or the storage may have)."""
    _urls.clear()
    _statics.clear()


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
