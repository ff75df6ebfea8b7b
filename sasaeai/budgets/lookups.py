"""Who may do what with a council's budget, on top of accounts/access.py.

- see the budget, its expenses and receipts: VIEW on the council's area (council members too);
- record expenses and upload receipts: EDIT on the council's area (the region SC);
- set the budget, approve or reject, close the year: PUBLISH on the area *above* the
  council's (block or ward staff), so nobody approves the spending of their own area.
  The municipality's own council has nothing above it: PUBLISH on the municipality.
- edit the municipality's categories: PUBLISH on the municipality.
Anything of another region or municipality is a 404 (logged); see-but-not-act is a 403 (logged).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability
from sasaeai.areas.models import Area
from sasaeai.councils.models import Council, CouncilQuerySet

from .models import Budget, Expense, ExpenseCategory

VIEW, EDIT, PUBLISH = Capability.VIEW, Capability.EDIT, Capability.PUBLISH


def councils(request: HttpRequest) -> CouncilQuerySet:
    return access.scope(request.user, Council.objects.select_related("area"), VIEW)


def council(request: HttpRequest, pk: int, capability: str = VIEW) -> Council:
    return access.get_object(request, Council.objects.select_related("area"), capability, pk=pk)


def expense(request: HttpRequest, pk: int, capability: str = VIEW) -> Expense:
    queryset = Expense.objects.select_related("budget__council__area", "category")
    return access.get_object(request, queryset, capability, "budget__council__area", pk=pk)


def supervising_area(area: Area) -> Area:
    """The area whose staff approve this area's spending."""
    return area.parent if area.parent_id else area  # type: ignore[return-value]


def may_supervise(user: Any, council: Council) -> bool:
    return access.can(user, PUBLISH, supervising_area(council.area))


def may_record(user: Any, council: Council) -> bool:
    return access.can(user, EDIT, council.area)


def require_supervisor(request: HttpRequest, council: Council) -> None:
    if not may_supervise(request.user, council):
        access.refuse(request, "may not supervise the budget", area=council.area)


def budget_of(council: Council, year: int) -> Budget | None:
    return Budget.objects.filter(council=council, fiscal_year=year).first()


def municipality(request: HttpRequest) -> Area:
    """The municipality of the signed-in staff member (their first role's root)."""
    found = getattr(request.user, "municipality", None)
    if found is None:
        roles = access.memberships(request.user)
        found = roles[0].area.municipality or roles[0].area if roles else None
    if found is None:
        raise PermissionDenied
    return found


def may_edit_categories(user: Any, municipality: Area) -> bool:
    return access.can(user, PUBLISH, municipality)


def category(request: HttpRequest, pk: int) -> ExpenseCategory:
    place = municipality(request)
    queryset = ExpenseCategory.objects.filter(municipality=place)
    return access.get_object(request, queryset, PUBLISH, "municipality", pk=pk)
