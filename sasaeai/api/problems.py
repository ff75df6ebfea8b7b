"""API errors as RFC 9457 problem details (application/problem+json): `type`, `title`,
`status`, `detail` in Japanese, and a `code` a program can test."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from pydantic import BaseModel, ConfigDict

from .tokens import Refused

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


# What any operation of the staff API (one with a security requirement) may answer before
# its own code runs: no or a bad token, a scope or role it lacks, a body over 1 MB, too many
# requests, a body that is not JSON.
GUARDED = {
    "400": "JSONとして読めない内容",
    "401": "APIトークンがない、正しくない、期限切れ、取り消し済み、別の自治体のもの",
    "403": "トークンの権限（scope）か、持ち主の役割では許されない操作",
    "413": "1 MB を超える内容",
    "429": "リクエストが多すぎる（Retry-After 秒後にやり直す）",
}


def documented(schema: Any) -> Any:
    """The OpenAPI schema with each 4xx answer under the problem document's content type,
    as it is sent (django-ninja writes application/json for every answer), and the answers
    of the staff API's guard (GUARDED) on each of its operations."""
    problem = {CONTENT_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path in schema["paths"].values():
        for operation in path.values():
            if operation.get("security"):
                responses = operation.setdefault("responses", {})
                for status, description in GUARDED.items():
                    responses.setdefault(status, {"description": description, "content": problem})
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

    def unauthorized(request: HttpRequest, error: Any) -> HttpResponse:
        response = problem(api, request, 401, "unauthorized", _("認証が必要です。"))
        response["WWW-Authenticate"] = 'Bearer realm="sasaeai"'
        return response

    def http_error(request: HttpRequest, error: Any) -> HttpResponse:
        if error.status_code == 400:  # django-ninja's "Cannot parse request body"
            detail = _("送られた内容を JSON として読めませんでした。")
            return problem(api, request, 400, "malformed", detail)
        return problem(api, request, error.status_code, "error", str(error))

    def refused(request: HttpRequest, error: Any) -> HttpResponse:
        response = problem(api, request, error.status, error.code, error.detail)
        if error.status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="sasaeai"'
        return response

    def forbidden(request: HttpRequest, error: Any) -> HttpResponse:
        return problem(api, request, 403, "forbidden", _("この操作をする権限がありません。"))

    def throttled(request: HttpRequest, error: Any) -> HttpResponse:
        # django-ninja adds Retry-After (whole seconds) to this answer.
        detail = _("短い時間にリクエストが多すぎます。少し待ってからやり直してください。")
        return problem(api, request, 429, "too_many_requests", detail)

    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(AuthenticationError, unauthorized)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(Throttled, throttled)
    api.add_exception_handler(Refused, refused)
    api.add_exception_handler(PermissionDenied, forbidden)
