from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability
from sasaeai.areas.models import Area, AreaKind
from sasaeai.audit import log
from sasaeai.audit.models import Action, Result
from sasaeai.lib import furigana
from sasaeai.lib.pages import error_page
from sasaeai.lib.prepared import Prepared
from sasaeai.lib.public_cache import public_page

from . import todo
from .context_processors import TEXT_SIZE_COOKIE
from .errors import CSRF


@access.public
@public_page
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    municipality = access.public_municipality(request)
    link = _area_link()
    # Only what the page shows of each area, as rows (a dict is what a template reads fastest).
    children: dict[int, list[dict[str, Any]]] = {}
    for pk, parent_id, code, name, kana in _AREAS(municipality.pk):
        row = {"pk": pk, "name": name, "kana": kana, "link": link(code)}
        children.setdefault(parent_id or 0, []).append(row)
    blocks = children.get(municipality.pk, [])
    tree = [(block, children.get(block["pk"], [])) for block in blocks]
    return render(request, "core/home.html", {"tree": tree})


# The home page's areas, its SQL written once (directory/prepared.py).
_AREAS = Prepared(
    lambda municipality: (
        Area.objects.filter(municipality_id=municipality)
        .exclude(kind=AreaKind.MUNICIPALITY)
        .values_list("pk", "parent_id", "code", "name", "kana")
    ),
    arity=1,
)


def _area_link() -> Callable[[str], str]:
    """Each area page's URL (Area.get_absolute_url) from one reverse(): the home page links
    every block and region, and a reverse() walks the URL patterns each time."""
    sentinel = "area-code-sentinel"
    before, _sentinel, after = reverse("areas:detail", args=[sentinel]).partition(sentinel)
    return lambda code: f"{before}{code}{after}"


@require_GET
@access.require(Capability.VIEW, Capability.HANDLE_REFERRALS)  # institutions' staff too
def staff_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    memberships = access.memberships(user)
    tasks = todo.gather(user)
    # Only a role on the municipality itself grants anything on it: its area, if there is such
    # a role, is among the memberships already loaded (no query for user.municipality).
    municipality_id = getattr(user, "municipality_id", None)
    municipality = next((m.area for m in memberships if m.area_id == municipality_id), None)
    context = {
        "memberships": memberships,
        "may_view": access.has_any(user, Capability.VIEW),
        # The ward's own directory of institutions is kept by whoever edits the whole ward.
        "may_manage_institutions": access.can(user, Capability.EDIT, municipality),
        "todo": tasks,
        # The needs card's 新着 is the to-do's count of needs nobody has opened: asked once.
        "new_needs": next((task.count for task in tasks if task.key == "needs"), 0),
    }
    return render(request, "core/staff_home.html", context)


@access.public
@csrf_exempt  # it only flips a display preference; a forged post can do no more than that
@require_POST
def text_size(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.COOKIES.get(TEXT_SIZE_COOKIE) == "large":
        response.delete_cookie(TEXT_SIZE_COOKIE, samesite="Lax")
    else:
        # Only the server (and the proxy's cache key) reads it, never a script: HttpOnly.
        # Secure wherever the session cookie is, that is on HTTPS in production.
        response.set_cookie(TEXT_SIZE_COOKIE, "large", max_age=365 * 24 * 3600, samesite="Lax",
                            secure=settings.SESSION_COOKIE_SECURE, httponly=True)  # fmt: skip
    return response


@access.public
@csrf_exempt  # as text_size: it only flips a display preference
@require_POST
def furigana_switch(request: HttpRequest) -> HttpResponse:
    """ふりがな on or off, remembered like 文字を大きく (a cookie the proxy's key holds)."""
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.COOKIES.get(furigana.COOKIE) == "on":
        response.delete_cookie(furigana.COOKIE, samesite="Lax")
    else:
        response.set_cookie(furigana.COOKIE, "on", max_age=365 * 24 * 3600, samesite="Lax",
                            secure=settings.SESSION_COOKIE_SECURE, httponly=True)  # fmt: skip
    return response


def csrf_failure(request: HttpRequest, reason: str = "", **kwargs: Any) -> HttpResponse:
    log.record(Action.CSRF_FAILED, result=Result.DENIED, detail=f"{request.path} {reason}"[:400])
    return error_page(request, CSRF, 403)
