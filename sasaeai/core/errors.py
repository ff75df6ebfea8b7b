import sys
from typing import TYPE_CHECKING, Any

from django.db import DatabaseError, DataError, IntegrityError, ProgrammingError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import gettext_lazy as _

from sasaeai.lib.pages import error_page

if TYPE_CHECKING:
    from sasaeai.areas.models import AreaContact

# The municipality's desk as this process last drew it in a public page's footer, per host
# name: the error pages show it when the database, where it is kept, cannot be read. Only
# hosts that reached a municipality are kept (a few per installation).
_desks: dict[str, "AreaContact"] = {}


def remembered_desk(request: HttpRequest, desk: "AreaContact | None") -> "AreaContact | None":
    """`desk` (the footer's), remembered for the error pages of this host."""
    if desk is not None:
        _desks[request.META.get("HTTP_HOST", "")] = desk
    return desk


FORBIDDEN = (
    _("この操作はできません"),
    _(
        "このページを見る権限はありますが、この操作をする権限がありません。担当の管理者にお問い合わせください。"
    ),
)
BAD_REQUEST = (
    _("受け付けられませんでした"),
    _(
        "お送りいただいた内容（住所（URL）や入力の量など）に正しくないところがあるため、"
        "受け付けられませんでした。前の画面に戻り、もう一度お試しください。"
    ),
)
NOT_FOUND = (
    _("ページが見つかりません"),
    _(
        "お探しのページは見つかりませんでした。住所（URL）をお確かめいただくか、ホームからお探しください。"
    ),
)
CSRF = (
    _("送信できませんでした"),
    _(
        "画面を開いてから時間がたったか、正しくない送信のため、受け付けられませんでした。"
        "前の画面に戻り、ページを読み込み直してから、もう一度お試しください。"
    ),
)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Also for a request whose Host header is not allowed: the page must not ask for the host
    # (request.get_host() would raise again), and neither do base.html or its context.
    return error_page(request, BAD_REQUEST, 400)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, FORBIDDEN, 403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, NOT_FOUND, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the failure may come from the database itself. Django calls this
    # while handling the error, so it is the current exception: the database out of reach (or
    # too busy to answer in time) is a 503 that tells to come back shortly, not an error of
    # ours. The next request connects again by itself (CONN_HEALTH_CHECKS).
    # The desk to call comes from this process's memory, not the database.
    context: dict[str, Any] = {"desk": _desks.get(request.META.get("HTTP_HOST", ""))}
    if isinstance(sys.exception(), DatabaseError) and not isinstance(
        sys.exception(), (IntegrityError, DataError, ProgrammingError)
    ):
        page = loader.get_template("errors/503.html").render(context)
        response = HttpResponse(page, status=503)
        response["Retry-After"] = "60"
        return response
    return HttpResponse(loader.get_template("errors/500.html").render(context), status=500)
