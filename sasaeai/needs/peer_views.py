"""仲間募集: staff who may edit an activity say it is looking for members or helpers; the
public site lists the open calls of published public activities."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.lib import optimistic

from . import lookups
from .helper_forms import PeerCallForm
from .models import PeerCall
from .peer_forms import PeerFilterForm

VIEW, EDIT = lookups.VIEW, lookups.EDIT
PER_PAGE = 20


@require_GET
@access.require(VIEW)
def peer_list(request: HttpRequest) -> HttpResponse:
    calls = lookups.peer_calls(request).open().order_by("activity__area__path", "-id")[:500]
    return render(request, "needs/peers/staff_list.html", {"calls": calls})


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def peer_edit(
    request: HttpRequest, pk: int | None = None, activity_pk: int | None = None
) -> HttpResponse:
    if pk is not None:
        call = lookups.peer_call(request, pk, EDIT)
    else:
        assert activity_pk is not None
        call = PeerCall(activity=lookups.activity(request, activity_pk, EDIT))
    form = PeerCallForm(request.POST if request.method == "POST" else None, instance=call)
    back = reverse("needs_staff:peers")
    if request.method == "POST" and form.is_valid() and optimistic.saved(form, link=back):
        messages.success(request, _("仲間募集を保存しました。"))
        return redirect("needs_staff:peers")
    context = {"form": form, "call": call}
    return render(request, "needs/peers/edit.html", context, status=optimistic.status(form))


@require_POST
@access.require(EDIT)
def peer_delete(request: HttpRequest, pk: int) -> HttpResponse:
    call = lookups.peer_call(request, pk, EDIT)
    call.delete()
    messages.success(request, _("仲間募集を取り下げました。"))
    return redirect("needs_staff:peers")


@access.public
@require_GET
def public_peer_list(request: HttpRequest) -> HttpResponse:
    """Open calls, narrowed by region, kind, weekday and who is sought, PER_PAGE a page."""
    municipality = access.public_municipality(request)
    form = PeerFilterForm(request.GET or None, municipality=municipality)
    calls = form.narrow(lookups.public_peer_calls(request))
    ordered = calls.order_by("activity__area__sort_order", "activity__kana", "-id")
    # get_page: a page that is not a number is the first, one past the end the last.
    page = Paginator(ordered, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "calls": list(page), "query": query.urlencode()}
    return render(request, "needs/peers/public_list.html", context)
