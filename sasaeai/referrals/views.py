"""The public part of the institution directory: public institutions of this site's
municipality, nothing else (no staff, no referrals)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sasaeai.accounts import access

from .models import Institution, InstitutionKind


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


@require_GET
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = access.public_municipality(request)
    institution = (
        Institution.objects.of(municipality).public().select_related("kind").filter(pk=pk).first()
    )
    if institution is None:
        raise Http404
    return render(request, "referrals/institution.html", {"institution": institution})
