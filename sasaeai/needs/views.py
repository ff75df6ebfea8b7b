"""The public form: a resident tells the region's coordinator about a need, no account."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from sasaeai.accounts import access
from sasaeai.lib.ratelimit import HourlyLimit

from . import services
from .forms import PublicNeedForm

NEEDS = HourlyLimit("needs", per_hour=5)
RECEIPT_KEY = "needs:receipt"


@access.public
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    municipality = access.public_municipality(request)
    data = request.POST if request.method == "POST" else None  # an empty POST is still a POST
    form = PublicNeedForm(data, municipality=municipality)
    if request.method == "POST":
        if NEEDS.reached(request) or (form.is_valid() and not NEEDS.take(request)):
            return render(request, "needs/new.html", {"form": form, "limited": True}, status=429)
        if form.is_valid():
            need = services.create_need(form.need())
            # The receipt travels in the session, never in the URL.
            request.session[RECEIPT_KEY] = {"receipt": need.receipt, "area": need.area.name}
            return redirect("needs:thanks")
    return render(request, "needs/new.html", {"form": form})


@access.public
@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    access.public_municipality(request)
    sent = request.session.get(RECEIPT_KEY)
    if not sent:
        return redirect("needs:new")
    return render(request, "needs/thanks.html", sent)
