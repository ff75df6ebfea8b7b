"""Staff pages of helpers (担い手): list, enter with consent, correct, remove on request, and
the activities looking for help that suit them. Every page needs EDIT on the helper's area."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.lib import optimistic

from . import helper_services, lookups
from .helper_forms import HelperForm, IntroductionForm
from .matching import suggest_for_helper
from .models import Helper, NeedKind
from .staff_views import staff_municipality

EDIT = lookups.EDIT


@require_GET
@access.require(EDIT)
def helper_list(request: HttpRequest) -> HttpResponse:
    helpers = lookups.helpers(request).prefetch_related("kinds").order_by("-created_at", "-id")
    page = Paginator(helpers, 50).get_page(request.GET.get("page"))
    return render(request, "needs/helpers/list.html", {"page": page, "query": ""})


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def helper_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    helper = Helper() if pk is None else lookups.helper(request, pk)
    if helper.is_removed:
        messages.error(request, _("この担い手は登録を削除しています。"))
        return redirect(helper)
    municipality = helper.municipality if pk else staff_municipality(request, EDIT)
    form = HelperForm(
        request.POST if request.method == "POST" else None,
        initial=HelperForm.initial_for(helper) if pk else None,
        areas=access.areas(request.user, EDIT),
        municipality=municipality,
        record=helper,
    )
    if request.method == "POST" and form.is_valid():
        kinds = list(form.cleaned_data["kinds"])
        try:
            if pk is None:
                helper_services.register_helper(form.fill(helper), kinds, by=request.user)
            else:
                _correct(helper, form, kinds)
        except optimistic.Stale as stale:
            form.refuse(stale, link=helper.get_absolute_url())
        else:
            messages.success(request, _("担い手 %(n)s を保存しました。") % {"n": helper.number})
            return redirect(helper)
    context = {"form": form, "helper": helper}
    return render(request, "needs/helpers/edit.html", context, status=optimistic.status(form))


@transaction.atomic
def _correct(helper: Helper, form: HelperForm, kinds: list[NeedKind]) -> None:
    """Save an SC's correction of a helper, unless someone saved the helper since the version
    the form read (`optimistic.Stale`, nothing written)."""
    optimistic.claim(helper, form.version_read)
    form.fill(helper).save()
    helper.kinds.set(kinds)


@require_GET
@access.require(EDIT)
def helper_detail(request: HttpRequest, pk: int) -> HttpResponse:
    helper = lookups.helper(request, pk)
    if helper.seen_at is None:
        Helper.objects.filter(pk=helper.pk).update(seen_at=timezone.now())
    context = {
        "helper": helper,
        "suggestions": [] if helper.is_removed else suggest_for_helper(helper),
        "introductions": helper.introductions.select_related("activity", "need"),
        "form": IntroductionForm(initial={"on": timezone.localdate()}),
    }
    return render(request, "needs/helpers/detail.html", context)


@require_POST
@access.require(EDIT)
def helper_remove(request: HttpRequest, pk: int) -> HttpResponse:
    helper = lookups.helper(request, pk)
    helper_services.remove_helper(helper, by=request.user)
    messages.success(request, _("担い手 %(n)s の個人情報を削除しました。") % {"n": helper.number})
    return redirect(helper)


@require_POST
@access.require(EDIT)
def helper_introduce(request: HttpRequest, pk: int) -> HttpResponse:
    helper = lookups.helper(request, pk)
    form = IntroductionForm(request.POST)
    call = None
    if form.is_valid() and form.cleaned_data["peer_call"]:
        call = lookups.peer_call(request, form.cleaned_data["peer_call"], lookups.VIEW)
    if not form.is_valid() or call is None:
        messages.error(request, _("紹介を記録できませんでした。入力を確かめてください。"))
        return redirect(helper)
    data = form.cleaned_data
    try:
        helper_services.introduce(by=request.user, helper=helper, peer_call=call, on=data["on"],
                                  outcome=data["outcome"], reasons=data["reasons"],
                                  note=data["note"])  # fmt: skip
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("紹介を記録しました。"))
    return redirect(helper)
