from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sasaeai.accounts import access
from sasaeai.areas.models import Area
from sasaeai.councils.public import council_profile
from sasaeai.directory.models import Activity, Facet
from sasaeai.lib.public_cache import public_page

# Activities named per kind on an area's page; the rest are a search away (area and kind set).
PER_KIND = 10


@dataclass(frozen=True)
class KindList:
    name: str
    code: str
    total: int  # published activities of this kind in the area
    activities: list[Any]  # rows of pk and name

    @property
    def more(self) -> int:
        return self.total - len(self.activities)


@public_page
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    area = access.public_area(request, code)
    context = {
        "area": area,
        "ancestors": area.ancestors(),
        "children": area.children.all(),
        "by_kind": activities_by_kind(area),
        "council": council_profile(area),
    }
    return render(request, "areas/detail.html", context)


def activities_by_kind(area: Area) -> list[KindList]:
    """The area's published activities by kind (what they do), the first PER_KIND of each in
    listing order, and how many each kind has: one query, however many the area holds."""
    in_kind = F("kinds__pk")
    listing = [F("kana").asc(), F("name").asc(), F("pk").asc()]
    rows = (
        Activity.objects.public()
        .within(area)
        .filter(kinds__facet=Facet.ACTIVITY)
        .annotate(
            kind_pk=F("kinds__pk"),
            kind_name=F("kinds__name"),
            kind_code=F("kinds__code"),
            kind_order=F("kinds__sort_order"),
            rank=Window(RowNumber(), partition_by=in_kind, order_by=listing),
            total=Window(Count("pk"), partition_by=in_kind),
        )
        .filter(rank__lte=PER_KIND)
        .values("pk", "name", "kind_pk", "kind_name", "kind_code", "kind_order", "total")
        .order_by("kind_order", "kind_pk", "rank")
    )
    kinds = [list(group) for _pk, group in groupby(rows, itemgetter("kind_pk"))]
    return [KindList(k[0]["kind_name"], k[0]["kind_code"], k[0]["total"], k) for k in kinds]
