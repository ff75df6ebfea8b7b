"""API errors as RFC 9457 problem details (application/problem+json): `type`, `title`,
`status`, `detail` in Japanese, and a `code` a program can test."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import BaseModel, ConfigDict

CONTENT_TYPE = "application/problem+json"


class Problem(BaseModel):
    """An error (RFC 9457), as the OpenAPI schema shows it."""

    model_config = ConfigDict(extra="allow")
    type: str
    title: str
    status: int
    code: str
    detail: str


def problem(api: NinjaAPI, request: HttpRequest, status: int, code: str, detail: str,
            **extra: Any) -> HttpResponse:  # fmt: skip
    body = {"type": "about:blank", "title": code, "status": status, "code": code,
            "detail": detail, **extra}  # fmt: skip
    response = api.create_response(request, body, status=status)
    response["Content-Type"] = CONTENT_TYPE
    return response


def documented(schema: Any) -> Any:
    """The OpenAPI schema with each 4xx answer under the problem document's content type,
    as it is sent (django-ninja writes application/json for every answer)."""
    for path in schema["paths"].values():
        for operation in path.values():
            for status, answer in operation.get("responses", {}).items():
                content = answer.get("content", {})
                if str(status).startswith("4") and "application/json" in content:
                    answer["content"] = {CONTENT_TYPE: content["application/json"]}
    return schema


def install(api: NinjaAPI) -> None:
    # django-ninja types a handler's error as "E | type[E]": Any keeps mypy from asking more.
    def not_found(request: HttpRequest, error: Any) -> HttpResponse:
        detail = str(error) if str(error) else _("見つかりません。")
        return problem(api, request, 404, "not_found", detail)

    def invalid(request: HttpRequest, error: Any) -> HttpResponse:
        errors = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
            for e in error.errors
        ]
        detail = _("送られた値に正しくないものがあります。")
        return problem(api, request, 422, "invalid", detail, errors=errors)

    def refused(request: HttpRequest, error: Any) -> HttpResponse:
        return problem(api, request, 401, "unauthorized", _("認証が必要です。"))

    def http_error(request: HttpRequest, error: Any) -> HttpResponse:
        return problem(api, request, error.status_code, "error", str(error))

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(AuthenticationError, refused)
    api.add_exception_handler(HttpError, http_error)
