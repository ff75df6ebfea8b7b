"""The public part of the institution directory: public institutions of this site's
municipality, nothing else (no staff, no referrals)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sasaeai.accounts import access
from sasaeai.lib.public_cache import public_page

from .models import Institution, InstitutionKind


@access.public
@public_page
@require_GET
def institution_list(request: HttpRequest) -> HttpResponse:
    municipality = access.public_municipality(request)
    institutions = (
        Institution.objects.of(municipality)
        .public()
        .select_related("kind")
        .prefetch_related("areas")
    )
    kinds = InstitutionKind.objects.filter(municipality=municipality)
    groups = [(k, [i for i in institutions if i.kind_id == k.pk]) for k in kinds]
    return render(request, "referrals/institutions.html", {"groups": [g for g in groups if g[1]]})


@access.public
@public_page
@require_GET
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = access.public_municipality(request)
    institution = (
        Institution.objects.of(municipality).public().select_related("kind").filter(pk=pk).first()
    )
    if institution is None:
        raise Http404
    context = {
        "institution": institution,
        "tile_url": settings.TILE_URL,
        "marker": _marker(institution),
    }
    return render(request, "referrals/institution.html", context)


def _marker(institution: Institution) -> dict[str, object] | None:
    """The map point as static/js/map.js reads it, or None when there is none."""
    if institution.latitude is None or institution.longitude is None:
        return None
    return {"lat": institution.latitude, "lng": institution.longitude,
            "name": institution.name, "url": institution.get_absolute_url()}  # fmt: skip
