"""The public pages of the know-how: published cases meant for residents, in large plain
text, without the names of anyone in them and without what is marked internal; each page
says whom to ask (the region's SC)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sasaeai.accounts import access
from sasaeai.areas.models import AreaContact
from sasaeai.lib.public_cache import public_page

from . import lookups
from .models import Question

PER_PAGE = 20


@access.public
@public_page
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """The cases residents may read, newest first; narrowed to one ★ question by its link."""
    municipality = access.public_municipality(request)
    found = lookups.public_cases(request).newest().select_related("area")
    asked = request.GET.get("question", "")
    question = asked if asked in Question.values else ""
    if question:
        found = found.answering(question)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page, "questions": Question.choices, "question": question,
        "question_label": Question(question).label if question else "",
        "query": f"question={question}" if question else "",
        "desk": AreaContact.objects.nearest(municipality), "footer_desk": None,
    }  # fmt: skip
    return render(request, "knowhow/public_list.html", context)


@access.public
@public_page
@require_GET
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A case for residents: what was done and how, the voices by their role only."""
    case = lookups.public_case(request, pk)
    context = {
        "case": case, "voices": case.voices.all(), "questions": case.question_labels(),
        "photos": case.photos.filter(consent=True, internal=False),
        "desk": AreaContact.objects.nearest(case.area), "footer_desk": None,
    }  # fmt: skip
    return render(request, "knowhow/public_case.html", context)
