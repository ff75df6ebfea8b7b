from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sasaeai.accounts import access
from sasaeai.councils.public import council_profile
from sasaeai.directory.models import Activity, Facet


@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    area = access.public_area(request, code)
    activities = (
        Activity.objects.public()
        .within(area)
        .filter(kinds__facet=Facet.ACTIVITY)
        .values("pk", "name", "kinds__name", "kinds__sort_order")
        .order_by("kinds__sort_order", "kana", "name", "pk")
    )
    by_kind = [(kind, list(rows)) for kind, rows in groupby(activities, lambda r: r["kinds__name"])]
    context = {
        "area": area,
        "ancestors": area.ancestors(),
        "children": area.children.all(),
        "by_kind": by_kind,
        "council": council_profile(area),
    }
    return render(request, "areas/detail.html", context)
