"""The audit log page for staff: it gathers the log (audit) and who may read it (accounts)."""

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability
from sasaeai.audit.models import AuditEntry

from .audit_forms import AuditFilterForm

AUDIT = Capability.VIEW_AUDIT


@require_GET
@access.require(AUDIT)
def entries(request: HttpRequest) -> HttpResponse:
    areas = access.areas(request.user, AUDIT)
    visible: QuerySet[AuditEntry] = AuditEntry.objects.visible_under(
        access.granted_paths(request.user, AUDIT)
    )
    form = AuditFilterForm(request.GET or None, areas=areas)
    if form.is_valid():
        visible = form.apply(visible)
    elif form.is_bound:
        visible = visible.none()
    page = Paginator(visible, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "audit/entries.html", context)
