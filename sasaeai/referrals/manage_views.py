"""Staff pages that keep the institution directory: institutions, their kinds, their staff.

Only those who edit the whole municipality (ward staff, administrators) reach these pages
(lookups.keepers_only); to anyone else they do not exist (404, audited). Every model here is
Audited, so each change is in the audit log with its fields.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.lib import optimistic

from . import lookups
from .institution_forms import InstitutionForm, KindForm, StaffForm
from .models import Institution, InstitutionKind, InstitutionStaff


def _form(request: HttpRequest, form: Any, title: str, back: str, **extra: Any) -> HttpResponse:
    context = {"form": form, "title": title, "back": back, **extra}
    status = optimistic.status(form)  # 409 when someone saved first
    if status == 200 and form.is_bound and form.errors:
        status = 400
    return render(request, "referrals/staff/manage/form.html", context, status=status)


@require_GET
@lookups.keepers_only
def institution_manage(request: HttpRequest) -> HttpResponse:
    municipality = lookups.kept_municipality(request)
    institutions = (
        Institution.objects.of(municipality)
        .select_related("kind")
        .prefetch_related("areas", "staff__user")
    )
    kinds = InstitutionKind.objects.filter(municipality=municipality)
    context = {"institutions": institutions, "kinds": kinds, "municipality": municipality}
    return render(request, "referrals/staff/manage/list.html", context)


@require_http_methods(["GET", "POST"])
@lookups.keepers_only
def institution_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    municipality = lookups.kept_municipality(request)
    institution = Institution() if pk is None else lookups.managed(request, Institution, pk)
    form = InstitutionForm(
        request.POST if request.method == "POST" else None,
        instance=institution,
        municipality=institution.municipality if pk else municipality,
    )
    if form.is_valid() and optimistic.saved(form, link=reverse("referrals_staff:manage")):
        messages.success(request, _("「%(n)s」を保存しました。") % {"n": institution.name})
        return redirect("referrals_staff:manage")
    title = _("専門機関を登録する") if pk is None else _("%(n)s を編集") % {"n": institution.name}
    return _form(request, form, title, reverse("referrals_staff:manage"))


@require_http_methods(["GET", "POST"])
@lookups.keepers_only
def institution_staff(request: HttpRequest, pk: int) -> HttpResponse:
    institution = lookups.managed(request, Institution, pk)
    form = StaffForm(request.POST or None, institution=institution)
    if form.is_valid():
        InstitutionStaff.objects.create(user=form.cleaned_data["email"], institution=institution)
        messages.success(request, _("職員を加えました。"))
        return redirect("referrals_staff:institution_staff", pk=institution.pk)
    links = institution.staff.select_related("user").order_by("user__email")
    context = {"institution": institution, "form": form, "links": links}
    status = 400 if form.errors else 200
    return render(request, "referrals/staff/manage/staff.html", context, status=status)


@require_POST
@lookups.keepers_only
def staff_remove(request: HttpRequest, pk: int) -> HttpResponse:
    link = lookups.managed(request, InstitutionStaff, pk, "institution__municipality")
    institution = link.institution
    link.delete()
    messages.success(
        request, _("%(u)s を %(i)s の職員から外しました。") % {"u": link.user, "i": institution}
    )
    return redirect("referrals_staff:institution_staff", pk=institution.pk)


@require_http_methods(["GET", "POST"])
@lookups.keepers_only
def kind_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    municipality = lookups.kept_municipality(request)
    kind = InstitutionKind() if pk is None else lookups.managed(request, InstitutionKind, pk)
    form = KindForm(
        request.POST if request.method == "POST" else None,
        instance=kind,
        municipality=kind.municipality if pk else municipality,
    )
    if form.is_valid() and optimistic.saved(form, link=reverse("referrals_staff:manage")):
        messages.success(request, _("種類「%(n)s」を保存しました。") % {"n": kind.name})
        return redirect("referrals_staff:manage")
    title = (
        _("専門機関の種類を加える") if pk is None else _("種類「%(n)s」を編集") % {"n": kind.name}
    )
    return _form(request, form, title, reverse("referrals_staff:manage"))
