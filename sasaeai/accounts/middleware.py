from collections.abc import Callable
from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from sasaeai.audit import log
from sasaeai.audit.models import Action, Result

from .models import Role

SIGNED_IN_COOKIE = "sasaeai_signed_in"
# Paths a signed-in user without MFA may still reach, to set it up or leave.
MFA_SETUP_PATHS = ("/accounts/", "/static/", "/prefs/")
API_PATH = "/api/"


class SessionExpiryMiddleware:
    """Tell a person whose session ran out why they must sign in again, and log it.

    A small marker cookie outlives the session; finding it without a signed-in user
    means the session expired (sign-out deletes the marker).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PATH):  # the API has tokens, not sessions
            return self.get_response(request)
        had_marker = SIGNED_IN_COOKIE in request.COOKIES
        if had_marker and not request.user.is_authenticated:
            log.record(Action.SESSION_EXPIRED, result=Result.FAILED, detail=request.path[:200])
            messages.info(
                request,
                _(
                    "一定時間操作がなかったため、ログインの有効期限が切れました。もう一度ログインしてください。"
                ),
            )
        response = self.get_response(request)
        if request.user.is_authenticated:
            if not had_marker:
                response.set_cookie(
                    SIGNED_IN_COOKIE,
                    "1",
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
        elif had_marker:
            response.delete_cookie(SIGNED_IN_COOKIE, samesite="Lax")
        return response


def needs_mfa(user: Any) -> bool:
    """Staff without two-step sign-in: any role but council member, and anyone who may open
    the admin (who can grant themselves any role from there)."""
    from . import access

    staff = (
        user.is_staff
        or user.is_superuser
        or any(m.role != Role.COUNCIL_MEMBER for m in access.memberships(user))
    )
    return staff and not is_mfa_enabled(user)


class RequireMFAMiddleware:
    """Staff must set up two-step sign-in before they can use anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.SASAEAI_REQUIRE_MFA
            and request.user.is_authenticated
            and not request.path.startswith(MFA_SETUP_PATHS)
            and needs_mfa(request.user)
        ):
            messages.warning(
                request,
                _("職員の方は、2段階認証（確認コード）の設定が必要です。設定してください。"),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
