"""Staff pages of councils: the list across areas, a council's profile, members, actions."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sasaeai.accounts import access
from sasaeai.lib import optimistic
from sasaeai.lib.fiscal import fiscal_year_start

from . import lookups
from .forms import CouncilForm, MemberForm, NewCouncilForm, SCFormSet
from .models import ActionItem, CouncilMember
from .pages import form_page

VIEW, EDIT = lookups.VIEW, lookups.EDIT


@require_GET
@access.require(VIEW)
def council_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    councils = lookups.councils(request).with_overview(today)
    context = {
        "councils": councils,
        "fiscal_year": fiscal_year_start(today).year,
        "can_add": access.has_any(request.user, EDIT),
    }
    return render(request, "councils/staff/list.html", context)


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def council_new(request: HttpRequest) -> HttpResponse:
    """A council for an area that has none yet (the ward, a block or a region)."""
    areas = access.areas(request.user, EDIT).order_by("path")
    form = NewCouncilForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        council = form.save(commit=False)
        council.municipality = council.area.municipality or council.area
        council.save()
        messages.success(request, _("「%(name)s」を登録しました。") % {"name": council.name})
        return redirect(council)
    return form_page(
        request, form, title=_("会議を登録する"), submit=_("登録する"),
        back=reverse("councils_staff:list"),
    )  # fmt: skip


@require_GET
@access.require(VIEW)
def council_detail(request: HttpRequest, pk: int) -> HttpResponse:
    council = lookups.council(request, pk)
    today = timezone.localdate()
    context = {
        "council": council,
        "can_edit": lookups.can_edit(request, council),
        "scs": council.scs.all(),
        "members": council.members.current(today),
        "upcoming": council.meetings.upcoming(today).order_by("date")[:3],
        "recent": council.meetings.held(today)[:5],
        "open_count": ActionItem.objects.filter(meeting__council=council).open().count(),
    }
    return render(request, "councils/staff/detail.html", context)


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def council_edit(request: HttpRequest, pk: int) -> HttpResponse:
    council = lookups.council(request, pk, EDIT)
    post = request.POST if request.method == "POST" else None
    form = CouncilForm(post, instance=council)
    scs = SCFormSet(post, instance=council, prefix="scs")
    if post is not None and form.is_valid() and scs.is_valid():
        try:
            with transaction.atomic():
                optimistic.save_form(form)
                scs.save()
        except optimistic.Stale as stale:
            form.refuse(stale, link=council.get_absolute_url())
        else:
            messages.success(request, _("会議の紹介を保存しました。"))
            return redirect(council)
    context = {"council": council, "form": form, "scs": scs}
    return render(request, "councils/staff/edit.html", context, status=optimistic.status(form))


@require_http_methods(["GET", "POST"])
@access.require(VIEW)
def member_list(request: HttpRequest, pk: int) -> HttpResponse:
    council = lookups.council(request, pk, EDIT if request.method == "POST" else VIEW)
    form = MemberForm(request.POST or None, instance=CouncilMember(council=council))
    if request.method == "POST" and form.is_valid():
        member = form.save()
        messages.success(request, _("「%(name)s」をメンバーに加えました。") % {"name": member.name})
        return redirect("councils_staff:members", council.pk)
    context = {
        "council": council,
        "members": council.members.all(),
        "form": form,
        "can_edit": lookups.can_edit(request, council),
    }
    return render(request, "councils/staff/members.html", context)


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = lookups.member(request, pk, EDIT)
    form = MemberForm(request.POST or None, instance=member)
    back = reverse("councils_staff:members", args=[member.council_id])
    if request.method == "POST" and form.is_valid() and optimistic.saved(form, link=back):
        messages.success(request, _("「%(name)s」を保存しました。") % {"name": member.name})
        return redirect("councils_staff:members", member.council_id)
    return form_page(
        request, form, council=member.council, title=_("メンバーを編集する"),
        submit=_("保存する"), back=back, status=optimistic.status(form),
    )  # fmt: skip


@require_GET
@access.require(VIEW)
def open_actions(request: HttpRequest, pk: int) -> HttpResponse:
    council = lookups.council(request, pk)
    actions = (
        ActionItem.objects.filter(meeting__council=council)
        .open()
        .select_related("meeting")
        .prefetch_related("activities")
        .order_by("due_on", "meeting__number", "pk")
    )
    context = {
        "council": council,
        "actions": actions,
        "can_edit": lookups.can_edit(request, council),
    }
    return render(request, "councils/staff/actions.html", context)
