"""The municipality's expense categories (費目): listed, added, renamed, taken out of use."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sasaeai.accounts import access
from sasaeai.audit import log
from sasaeai.lib import optimistic

from . import lookups, services
from .forms import CategoryForm
from .models import ExpenseCategory

PUBLISH = lookups.PUBLISH


@require_http_methods(["GET", "POST"])
@access.require(PUBLISH)
def categories(request: HttpRequest) -> HttpResponse:
    municipality = lookups.municipality(request)
    if not lookups.may_edit_categories(request.user, municipality):
        log.denied(f"may not edit categories: {request.path}", area=municipality)
        raise PermissionDenied
    services.seed_categories(municipality)
    form = CategoryForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        category = form.save()
        messages.success(request, _("費目「%(name)s」を加えました。") % {"name": category.name})
        return redirect("budgets_staff:categories")
    context = {
        "categories": ExpenseCategory.objects.filter(municipality=municipality),
        "form": form,
    }
    return render(request, "budgets/categories.html", context)


@require_http_methods(["GET", "POST"])
@access.require(PUBLISH)
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    category = lookups.category(request, pk)
    form = CategoryForm(request.POST or None, instance=category, municipality=category.municipality)
    back = reverse("budgets_staff:categories")
    if request.method == "POST" and form.is_valid() and optimistic.saved(form, link=back):
        messages.success(request, _("費目「%(name)s」を保存しました。") % {"name": category.name})
        return redirect("budgets_staff:categories")
    context = {"form": form, "category": category}
    return render(request, "budgets/category_form.html", context, status=optimistic.status(form))
