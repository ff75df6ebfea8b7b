"""The API under /api/: the HSDS 3.1 open data (hsds/), its OpenAPI schema (schema/) and a
docs page drawn by the Swagger UI that django-ninja ships (docs/, no CDN). Errors are RFC 9457
problem documents with a code and a Japanese message (problems.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, reverse
from ninja import NinjaAPI, Schema

from sasaeai.accounts import access

from . import (
    conditional,
    open_data,
    problems,
    staff,
    staff_councils,
    staff_directory,
    staff_events,
    staff_local_events,
    staff_needs,
    staff_support,
)


class Api(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        return problems.documented(super().get_openapi_schema(*args, **kwargs))


api = Api(
    title="sasaeai API",
    version="1",
    description=(
        "支え合いの活動の公開データ（HSDS 3.1、サインイン不要）と、職員用のAPI（/api/staff/、"
        "職員の設定ページで作るAPIトークンを Authorization: Bearer で送る）。"
    ),
    urls_namespace="api",
    openapi_url="/schema/",
    docs_url="/docs/",
)
api.add_router("/hsds/", open_data.router)
api.add_router("/staff/", staff.whoami)
api.add_router("/staff/", staff_directory.router)
api.add_router("/staff/", staff_councils.router)
api.add_router("/staff/", staff_needs.router)
api.add_router("/staff/", staff_events.router)
api.add_router("/staff/", staff_local_events.router)
api.add_router("/staff/", staff_support.router)
problems.install(api)


class Entrance(Schema):
    hsds: str
    staff: str
    openapi: str
    docs: str


@api.get("/", response=Entrance, summary="このAPIの入り口", tags=["入り口"])
def entrance(request: HttpRequest) -> dict[str, str]:
    """Where each part of the API is."""
    return {
        "hsds": request.build_absolute_uri(reverse("api:about")),
        "staff": request.build_absolute_uri(reverse("api:staff_me")),
        "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
        "docs": request.build_absolute_uri(reverse("api:openapi-view")),
    }


def _gated(patterns: list[URLPattern | URLResolver]) -> list[URLPattern | URLResolver]:
    """The open data routes are public (each answer comes through the host's municipality):
    marked so for test_gates like the public site's views, and each answers a conditional GET
    (conditional.py). The staff routes let in a token's holder only (staff.TokenAuth), and
    each record comes through accounts/access.py as that person (staff_*.py)."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            _gated(entry.url_patterns)
        elif str(entry.pattern).startswith("staff/"):
            access.gated(entry.callback, "api token")
        else:
            entry.callback = conditional.etagged(entry.callback)
            access.public(entry.callback)
    return patterns


_patterns, _app, _namespace = api.urls
app_name = "api"
# django-ninja's own root (api-root, which answers 404 and names the API's address for the
# schema) comes after `entrance`, which answers there.
urlpatterns = _gated(list(_patterns))
