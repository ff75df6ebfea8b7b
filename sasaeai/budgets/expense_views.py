"""Staff pages of expenses: record, change, delete, approve or reject, and the receipt."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.audit import log
from sasaeai.audit.models import Action
from sasaeai.lib import optimistic
from sasaeai.lib.fiscal import year_label

from . import lookups, services
from .forms import DecisionForm, ExpenseForm
from .models import Budget, Expense, YearClosed
from .views import checked_year

VIEW, EDIT, PUBLISH = lookups.VIEW, lookups.EDIT, lookups.PUBLISH


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _open_budget(request: HttpRequest, budget: Budget | None, year: int) -> Budget:
    if budget is None:
        raise Http404
    if budget.is_closed:
        raise YearClosed(year)
    return budget


def _expense_page(
    request: HttpRequest,
    form: ExpenseForm,
    budget: Budget,
    expense: Expense | None = None,
    replacing: int = 0,
) -> HttpResponse:
    """The expense form, or (for htmx, as the amount is typed) just the balance after it.

    Past 90 % or 100 % of the budget the form asks to confirm; "confirmed" in the POST says
    the person has seen that warning.
    """
    summary = services.summary(budget)
    amount = form.cleaned_data.get("amount") if form.is_bound and form.is_valid() else None
    if amount is None and form.is_bound:
        amount = _amount_or_none(form)
    after = None
    if amount is not None:
        balance, level = summary.after(amount, replacing)
        after = {"balance": balance, "level": level, "shortfall": max(-balance, 0)}
    form.fields["amount"].widget.attrs.update(
        {"hx-post": request.path, "hx-trigger": "input changed delay:400ms",
         "hx-target": "#after", "hx-swap": "innerHTML"}
    )  # fmt: skip
    context: dict[str, Any] = {
        "form": form, "budget": budget, "council": budget.council, "expense": expense,
        "year": budget.fiscal_year, "year_label": year_label(budget.fiscal_year),
        "summary": summary, "after": after, "confirmed": request.POST.get("confirmed") == "1",
        # Browsers never send a chosen file twice: after the warning it must be chosen again.
        "reselect_receipt": bool(request.FILES.get("receipt")) and not _htmx(request),
        "ask_confirm": request.method == "POST" and not _htmx(request),
    }  # fmt: skip
    template = "budgets/_after.html" if _htmx(request) else "budgets/expense_form.html"
    return render(request, template, context, status=optimistic.status(form))


def _amount_or_none(form: ExpenseForm) -> int | None:
    try:
        value: int | None = form.fields["amount"].clean(form["amount"].data)
    except ValidationError:
        return None
    return value


def _ready(request: HttpRequest, form: ExpenseForm, budget: Budget, replacing: int = 0) -> bool:
    """A valid, submitted form that may be saved: past 90 % (or 100 %) of the budget only
    once the person has seen the warning and ticked "confirmed"."""
    if request.method != "POST" or _htmx(request) or not form.is_valid():
        return False
    _balance, level = services.summary(budget).after(form.cleaned_data["amount"], replacing)
    return not level or request.POST.get("confirmed") == "1"


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def expense_new(request: HttpRequest, council_pk: int, year: int) -> HttpResponse:
    council = lookups.council(request, council_pk, EDIT)
    year = checked_year(year)
    try:
        budget = _open_budget(request, lookups.budget_of(council, year), year)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("budgets_staff:year", council.pk, year)
    categories = services.categories_for(council.municipality)
    form = ExpenseForm(request.POST or None, request.FILES or None, categories=categories)
    if _ready(request, form, budget):
        try:
            services.record_expense(
                budget, user=request.user, **_fields(form),
                receipt=form.cleaned_data.get("receipt"),
                receipt_type=form.cleaned_data.get("receipt_type", ""),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("支出を記録しました。承認されると支出に数えます。"))
            return redirect(budget)
    return _expense_page(request, form, budget)


def _fields(form: ExpenseForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in ("spent_on", "category", "item", "amount")}


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def expense_edit(request: HttpRequest, pk: int) -> HttpResponse:
    expense = lookups.expense(request, pk, EDIT)
    budget = expense.budget
    if budget.is_closed or expense.is_approved:
        messages.error(request, _("この支出は変更できません（承認済み、または締め済みの年度）。"))
        return redirect(budget)
    # What this expense already counts for (a rejected one counts for nothing), read before
    # the form writes the new values onto the instance.
    replacing = 0 if expense.is_rejected else expense.amount
    categories = services.categories_for(budget.council.municipality)
    form = ExpenseForm(
        request.POST or None, request.FILES or None, instance=expense, categories=categories
    )
    if _ready(request, form, budget, replacing):
        try:
            services.update_expense(
                expense, **_fields(form), receipt=form.cleaned_data.get("receipt"),
                receipt_type=form.cleaned_data.get("receipt_type", ""),
                remove_receipt=form.cleaned_data.get("remove_receipt", False),
                version=form.version_read,
            )  # fmt: skip
        except optimistic.Stale as stale:
            form.refuse(stale, link=budget.get_absolute_url(), files_sent=bool(request.FILES))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("支出を保存しました。"))
            return redirect(budget)
    return _expense_page(request, form, budget, expense, replacing)


@require_POST
@access.require(EDIT)
def expense_delete(request: HttpRequest, pk: int) -> HttpResponse:
    expense = lookups.expense(request, pk, EDIT)
    try:
        services.delete_expense(expense)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("「%(item)s」を削除しました。") % {"item": expense.item})
    return redirect(expense.budget)


@require_POST
@access.require(PUBLISH)
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve, or reject with a reason, an expense waiting for approval."""
    expense = lookups.expense(request, pk)
    lookups.require_supervisor(request, expense.budget.council)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect(expense.budget)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.decide(expense, user=request.user, approve=approve,
                        reason=form.cleaned_data["reason"])  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = _("「%(item)s」を承認しました。") if approve else _("「%(item)s」を却下しました。")
        messages.success(request, done % {"item": expense.item})
    return redirect(expense.budget)


@require_GET
@access.require(VIEW)
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """The receipt file, to those who may see the budget; never from a public URL."""
    expense = lookups.expense(request, pk)
    if not expense.receipt:
        raise Http404
    log.record(Action.READ, obj=expense, detail="receipt")
    response = FileResponse(
        expense.receipt.open("rb"),
        content_type=expense.receipt_type or "application/octet-stream",
        filename=expense.receipt_name or "receipt",
    )
    response["Cache-Control"] = "private, no-store"
    return cast(HttpResponse, response)  # access.require types views as HttpResponse
