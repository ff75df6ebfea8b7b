"""Public helper pages: register as a helper (担い手), and ask to be removed; no account."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from sasaeai.accounts import access
from sasaeai.lib.ratelimit import HourlyLimit

from . import helper_services
from .helper_forms import PublicHelperForm, PublicRemovalForm

HELPERS = HourlyLimit("helpers", per_hour=5)
REMOVALS = HourlyLimit("helper-removal", per_hour=5)
RECEIPT_KEY = "needs:helper_receipt"
REMOVED_KEY = "needs:helper_removed"
NOT_FOUND = _(
    "登録番号と連絡先の組み合わせが見つかりませんでした。"
    "登録したときの番号と連絡先を確かめてください。"
)


@access.public
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    municipality = access.public_municipality(request)
    data = request.POST if request.method == "POST" else None
    form = PublicHelperForm(data, municipality=municipality)
    if request.method == "POST":
        if HELPERS.reached(request) or (form.is_valid() and not HELPERS.take(request)):
            context = {"form": form, "limited": True}
            return render(request, "needs/helpers/new.html", context, status=429)
        if form.is_valid():
            helper = helper_services.register_helper(
                form.helper(), list(form.cleaned_data["kinds"])
            )
            request.session[RECEIPT_KEY] = {"receipt": helper.receipt, "area": helper.area.name}
            return redirect("needs:helper_thanks")
    return render(request, "needs/helpers/new.html", {"form": form})


@access.public
@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    access.public_municipality(request)
    sent = request.session.get(RECEIPT_KEY)
    if not sent:
        return redirect("needs:helper_new")
    return render(request, "needs/helpers/thanks.html", sent)


@access.public
@require_http_methods(["GET", "POST"])
def remove(request: HttpRequest) -> HttpResponse:
    municipality = access.public_municipality(request)
    form = PublicRemovalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not REMOVALS.take(request):  # every attempt counts: against guessing receipts
            context = {"form": form, "limited": True}
            return render(request, "needs/helpers/remove.html", context, status=429)
        if form.is_valid():
            data = form.cleaned_data
            helper = helper_services.find_for_removal(municipality, data["receipt"],
                                                      data["contact"])  # fmt: skip
            if helper is not None:
                helper_services.remove_helper(helper)
                request.session[REMOVED_KEY] = True
                return redirect("needs:helper_removed")
            form.add_error(None, NOT_FOUND)
    return render(request, "needs/helpers/remove.html", {"form": form})


@access.public
@require_GET
def removed(request: HttpRequest) -> HttpResponse:
    access.public_municipality(request)
    if not request.session.pop(REMOVED_KEY, False):
        return redirect("needs:helper_remove")
    return render(request, "needs/helpers/removed.html")
