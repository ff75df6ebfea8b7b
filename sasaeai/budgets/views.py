"""Staff pages of budgets: the year's overview of councils, one council's year, setting the
budget, closing the year, and the ledger export for the settlement (精算)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sasaeai.accounts import access
from sasaeai.lib import optimistic
from sasaeai.lib.fiscal import fiscal_year_of, year_label

from . import lookups, services
from .forms import BudgetForm
from .ledger import write_ledger
from .models import Budget, YearClosed

VIEW, EDIT, PUBLISH = lookups.VIEW, lookups.EDIT, lookups.PUBLISH
FIRST_YEAR, LAST_YEAR = 2000, 2100


def checked_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    return year


@require_GET
@access.require(VIEW)
def budget_list(request: HttpRequest) -> HttpResponse:
    """Every council the person may see, with this year's budget, spending and state."""
    current = fiscal_year_of(timezone.localdate())
    try:
        year = checked_year(int(request.GET.get("year", current)))
    except (ValueError, Http404):
        year = current
    councils = list(lookups.councils(request))
    budgets = {b.council_id: b for b in Budget.objects.of_year(year).filter(council__in=councils)}
    sums = services.summaries(list(budgets.values()))  # one query, not one per council
    rows = []
    for council in councils:
        budget = budgets.get(council.pk)
        rows.append((council, budget, sums[budget.pk] if budget else services.summary(None)))
    context = {
        "rows": rows, "year": year, "year_label": year_label(year),
        "previous": year - 1, "next": year + 1 if year < current + 1 else None,
        "may_edit_categories": _may_edit_categories(request),
    }  # fmt: skip
    return render(request, "budgets/list.html", context)


def _may_edit_categories(request: HttpRequest) -> bool:
    try:
        return lookups.may_edit_categories(request.user, lookups.municipality(request))
    except PermissionDenied:
        return False


@require_GET
@access.require(VIEW)
def year_page(request: HttpRequest, council_pk: int, year: int) -> HttpResponse:
    council = lookups.council(request, council_pk)
    year = checked_year(year)
    budget = lookups.budget_of(council, year)
    expenses = (
        budget.expenses.select_related("category", "created_by", "decided_by").in_ledger_order()
        if budget
        else []
    )
    open_budget = budget is not None and not budget.is_closed
    context = {
        "council": council, "year": year, "year_label": year_label(year), "budget": budget,
        "summary": services.summary(budget), "expenses": expenses,
        "can_record": open_budget and lookups.may_record(request.user, council),
        "can_supervise": lookups.may_supervise(request.user, council),
        "open": open_budget,
        "years": Budget.objects.filter(council=council)
        .exclude(fiscal_year=year)
        .values_list("fiscal_year", flat=True),
    }  # fmt: skip
    return render(request, "budgets/year.html", context)


@require_http_methods(["GET", "POST"])
@access.require(PUBLISH)
def budget_edit(request: HttpRequest, council_pk: int, year: int) -> HttpResponse:
    council = lookups.council(request, council_pk)
    lookups.require_supervisor(request, council)
    year = checked_year(year)
    budget = lookups.budget_of(council, year)
    if budget is not None and budget.is_closed:
        messages.error(request, YearClosed(year).messages[0])
        return redirect(budget)
    form = BudgetForm(request.POST or None, instance=budget)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_budget(
                council, year, data["amount"], data["note"], version=form.version_read
            )
        except optimistic.Stale as stale:
            form.refuse(stale, link=reverse("budgets_staff:year", args=[council.pk, year]))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("budgets_staff:year", council.pk, year)
        else:
            messages.success(request, _("予算額を保存しました。"))
            return redirect("budgets_staff:year", council.pk, year)
    context = {"council": council, "year": year, "year_label": year_label(year), "form": form,
               "budget": budget}  # fmt: skip
    return render(request, "budgets/budget_form.html", context, status=optimistic.status(form))


@require_http_methods(["GET", "POST"])
@access.require(PUBLISH)
def close(request: HttpRequest, council_pk: int, year: int) -> HttpResponse:
    """Ask, then close (締め) the year."""
    council = lookups.council(request, council_pk)
    lookups.require_supervisor(request, council)
    budget = lookups.budget_of(council, checked_year(year))
    if budget is None:
        raise Http404
    if request.method == "POST":
        try:
            services.close_year(budget, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(year)sを締めました。") % {"year": year_label(year)})
        return redirect(budget)
    context = {"council": council, "budget": budget, "year": year, "year_label": year_label(year),
               "summary": services.summary(budget),
               "waiting": budget.expenses.pending().count()}  # fmt: skip
    return render(request, "budgets/close.html", context)


@require_GET
@access.require(VIEW)
def export(request: HttpRequest, council_pk: int, year: int) -> HttpResponse:
    council = lookups.council(request, council_pk)
    budget = lookups.budget_of(council, checked_year(year))
    if budget is None:
        raise Http404
    response = HttpResponse(
        write_ledger(budget),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"budget-{council.area.code}-{year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
