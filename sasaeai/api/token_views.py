"""The page where staff make, see and revoke their own API tokens (tokens.py). A new token's
secret is shown once, in the answer to the POST that made it: it is never stored, not even in
the session, so the page is rendered there rather than reached by a redirect."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.accounts.models import User

from . import tokens
from .models import Token
from .token_forms import RevokeForm, TokenForm


@never_cache  # the answer that shows a new secret must not be kept by any cache
@require_http_methods(["GET", "POST"])
@access.signed_in
def tokens_page(request: HttpRequest) -> HttpResponse:
    me = cast(User, request.user)  # behind the gate: signed in
    may_make = tokens.may_make(me)
    form = TokenForm(request.POST if request.method == "POST" and may_make else None)
    made = None
    if request.method == "POST":
        if not may_make:
            access.refuse(request, "lacks api token (staff with MFA)")
        if form.is_valid():
            made = _make(me, form)
            if made is not None:
                form = TokenForm()  # a fresh form under the new secret
    context = {
        "form": form,
        "made": made,
        "may_make": may_make,
        "has_roles": bool(access.memberships(me)),
        "own": Token.objects.filter(user=me),
        "me_url": request.build_absolute_uri(reverse("api:staff_me")),
    }
    status = 400 if form.errors else 200
    return render(request, "api/tokens.html", context, status=status)


def _make(me: User, form: TokenForm) -> tokens.Made | None:
    data = form.cleaned_data
    try:
        return tokens.make(me, data["name"], data["expires_on"], data["scopes"])
    except tokens.Refused as refused:  # the rules changed between form and service
        form.add_error(None, refused.detail)
        return None


@require_POST
@access.signed_in
def revoke(request: HttpRequest) -> HttpResponse:
    """Revoke one of the person's own tokens; anyone else's is not found (404)."""
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("取り消すトークンが選ばれていません。"))
        return redirect("api_tokens:list")
    token = access.get_object(
        request, Token.objects.all(), visible=Q(user=request.user), pk=form.cleaned_data["token"]
    )
    if token.revoked_at is None:
        tokens.revoke(token)
        messages.success(
            request,
            _("「%(name)s」を取り消しました。このトークンはもう使えません。")
            % {"name": token.name},
        )
    return redirect("api_tokens:list")
