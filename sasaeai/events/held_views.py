"""The events held in a 年度 (/staff/events/held/?area=…&year=2025&kind=…): published, not
called off, started within the year up to today, for an area or below it. The rule is the
figure's (figures.held), so the figure's link lists exactly what it counts; each reader sees
the events they may see (lookups.visible).

Without a year (or with one it cannot use, said next to the field) the list shows this 年度."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from sasaeai.accounts import access
from sasaeai.lib.fiscal import fiscal_year_of, year_label
from sasaeai.lib.indicators import Scope
from sasaeai.lib.paths import under

from . import lookups
from .figures import held
from .forms import HeldForm
from .models import EventKind

VIEW = lookups.VIEW


@require_GET
@lookups.events_users_only
def held_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    data = QueryDict(mutable=True)
    data.update(request.GET)
    data.setdefault("year", str(fiscal_year_of(today)))
    municipalities = access.municipality_ids(request.user, VIEW)
    kinds = EventKind.objects.filter(municipality_id__in=municipalities)
    form = HeldForm(data, areas=access.areas(request.user, VIEW), kinds=kinds)
    found = form.cleaned_data if form.is_valid() else {}
    year = found.get("year") or fiscal_year_of(today)
    events = lookups.visible(request).published().going_ahead()
    events = events.filter(held(Scope((), (year,), today), year))
    if area := found.get("area"):
        events = events.filter(under(area.path, "area__path"))
    if kind := found.get("kind"):
        events = events.filter(kind=kind)
    page = Paginator(events.order_by("starts_at", "pk"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "area": area,
        "year_label": year_label(year),
    }
    return render(request, "events/held.html", context)
