"""Survey records fetched through accounts/access.py, so every view asks the same way."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from sasaeai.accounts import access
from sasaeai.accounts.models import Capability

from .models import Answer, Question, Survey, SurveyQuerySet

VIEW, EDIT = Capability.VIEW, Capability.EDIT


def can_edit(request: HttpRequest, obj: Any) -> bool:
    return access.can(request.user, EDIT, access.area_of(obj))


def surveys(request: HttpRequest, capability: str = VIEW) -> SurveyQuerySet:
    return access.scope(request.user, Survey.objects.select_related("area"), capability)


def survey(request: HttpRequest, pk: int, capability: str = VIEW) -> Survey:
    return access.get_object(request, Survey.objects.select_related("area"), capability, pk=pk)


def question(request: HttpRequest, pk: int, capability: str = VIEW) -> Question:
    queryset = Question.objects.select_related("survey__area")
    return access.get_object(request, queryset, capability, "survey__area", pk=pk)


def answer(request: HttpRequest, pk: int, capability: str = VIEW) -> Answer:
    queryset = Answer.objects.select_related("question__survey__area", "response")
    return access.get_object(request, queryset, capability, "question__survey__area", pk=pk)


def public_survey(request: HttpRequest, token: str) -> Survey:
    """A published or closed survey of this public site's municipality; 404 for a draft,
    another municipality's survey or an unknown token."""
    municipality = access.public_municipality(request)
    queryset = Survey.objects.of(municipality).shown_publicly().select_related("area")
    found = queryset.filter(token=token).first()
    if found is None:
        raise Http404
    return found
