"""The public form: a resident tells the region's coordinator about a need, no account."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods

from sasaeai.accounts import access
from sasaeai.areas.models import Area
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
    # A page of a region may link here with ?area=<its code>: the form starts on it.
    initial = {"area": request.GET.get("area", "")}
    form = PublicNeedForm(data, municipality=municipality, initial=initial)
    context = {"form": form, "region": form.region()}
    if request.method == "GET" and request.htmx:  # type: ignore[attr-defined]
        # The region was just chosen: only its centre, to put in place on the page.
        response = render(request, "needs/_centre.html", context)
        patch_vary_headers(response, ["HX-Request"])
        return response
    if request.method == "POST":
        if NEEDS.reached(request) or (form.is_valid() and not NEEDS.take(request)):
            return render(request, "needs/new.html", context | {"limited": True}, status=429)
        if form.is_valid():
            need = services.create_need(form.need())
            # The receipt travels in the session, never in the URL.
            request.session[RECEIPT_KEY] = {
                "receipt": need.receipt,
                "area": need.area.name,
                "code": need.area.code,
            }
            return redirect("needs:thanks")
    return render(request, "needs/new.html", context)


@access.public
@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    municipality = access.public_municipality(request)
    sent = request.session.get(RECEIPT_KEY)
    if not sent:
        return redirect("needs:new")
    region = Area.objects.of(municipality).regions().filter(code=sent.get("code", "")).first()
    return render(request, "needs/thanks.html", sent | {"region": region})
