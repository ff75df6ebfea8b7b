"""仲間募集: staff who may edit an activity say it is looking for members or helpers; the
public site lists the open calls of published public activities."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access

from . import lookups
from .helper_forms import PeerCallForm
from .models import PeerCall

VIEW, EDIT = lookups.VIEW, lookups.EDIT


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
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("仲間募集を保存しました。"))
        return redirect("needs_staff:peers")
    return render(request, "needs/peers/edit.html", {"form": form, "call": call})


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
    calls = lookups.public_peer_calls(request).order_by("activity__area__sort_order",
                                                        "activity__kana", "-id")[:300]  # fmt: skip
    return render(request, "needs/peers/public_list.html", {"calls": calls})
