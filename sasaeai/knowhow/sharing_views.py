"""Pages of the know-how shared beyond the municipality (issue 27): the other municipalities'
cases and questions, searched by words; a shared case or question, read-only, with the
municipality's and the region's names and nothing more about the people; the ward's list of
sharing requests; and the steps (ask, approve, refuse with a reason, withdraw). Every object
comes through sharing_lookups.py (404 or 403, audited)."""

from __future__ import annotations

from collections.abc import Callable
from functools import reduce
from operator import or_
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from sasaeai.accounts import access
from sasaeai.areas.models import Area

from . import sharing_lookups as lookups
from . import sharing_services as services
from .attachment_views import _photo_response
from .models import Answer, AskedQuestion, Case, ShareState
from .search import matching

EDIT = lookups.EDIT
LISTED = 50  # rows of each kind on the other municipalities' page
SHOWN = (ShareState.ASKED, ShareState.APPROVED)


class SharedSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("ことば"), max_length=100, required=False)

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data.get("q", "").split())


def _words(found: Any, words: str) -> Any:
    """`found` narrowed to those holding `words`, each municipality searched in its own word
    lists with its own synonyms (the case list's search, search.matching)."""
    towns = list(Area.objects.filter(pk__in=found.values("municipality_id")))
    if not towns:
        return found
    return found.filter(reduce(or_, [matching(words, town, found.model) for town in towns], Q()))


@require_GET
@access.require_that(lookups.may_read_others, lookups.READ_OTHERS)
def others(request: HttpRequest) -> HttpResponse:
    """「他の自治体の事例・質問」: what every other municipality of the installation shares."""
    form = SharedSearchForm(request.GET or None)
    cases = lookups.other_cases(request)
    questions = lookups.other_questions(request)
    words = form.cleaned_data["q"] if form.is_valid() else ""
    if words:
        cases, questions = _words(cases, words), _words(questions, words)
    cases = cases.select_related("area", "municipality").prefetch_related("questions")
    questions = questions.select_related("area", "municipality").prefetch_related("stars")
    context = {
        "form": form, "words": words,
        "cases": list(cases.order_by("-happened_on", "-pk")[:LISTED]), "case_count": cases.count(),
        "questions": list(questions.order_by("-created_at", "-pk")[:LISTED]),
        "question_count": questions.count(),
    }  # fmt: skip
    return render(request, "knowhow/sharing/others.html", context)


@require_GET
@access.require(EDIT)
def requests(request: HttpRequest) -> HttpResponse:
    """The ward's list: what waits for its approval, and what it shares now."""
    towns = lookups.ward_municipalities(request.user)
    if not towns:
        access.refuse(request, f"lacks {lookups.DECIDE}")
    cases = Case.objects.filter(municipality__in=towns, share_state__in=SHOWN)
    questions = AskedQuestion.objects.filter(municipality__in=towns, share_state__in=SHOWN)
    cases = cases.select_related("area").order_by("share_asked_at", "pk")
    questions = questions.select_related("area").order_by("share_asked_at", "pk")
    asked = [c for c in cases if c.share_state == ShareState.ASKED]
    asked_questions = [q for q in questions if q.share_state == ShareState.ASKED]
    context = {
        "asked_cases": asked, "asked_questions": asked_questions,
        "asked_count": len(asked) + len(asked_questions),
        "shared_cases": [c for c in cases if c.share_state == ShareState.APPROVED],
        "shared_questions": [q for q in questions if q.share_state == ShareState.APPROVED],
    }  # fmt: skip
    return render(request, "knowhow/sharing/requests.html", context)


def _own(request: HttpRequest, item: Case | AskedQuestion) -> bool:
    return item.municipality_id in access.municipality_ids(request.user)


@require_GET
@access.require(lookups.VIEW)
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A shared case, read-only: no names (not the writer's, not the voices'), nothing
    internal, no review comments, no files; photos whose people agreed and not internal."""
    case = lookups.read_case(request, pk)
    context = {
        "case": case, "own": _own(request, case), "questions": case.question_labels(),
        "themes": case.themes.all(), "voices": case.voices.all(),
        "photos": case.photos.filter(consent=True, internal=False),
    }  # fmt: skip
    return render(request, "knowhow/sharing/case.html", context)


@require_GET
@access.require(lookups.VIEW)
def photo(request: HttpRequest, pk: int, photo: int, name: str) -> HttpResponse:
    case = lookups.read_case(request, pk)
    found = case.photos.filter(pk=photo, consent=True, internal=False).first()
    return _photo_response(found, name, "private, no-store")


@require_GET
@access.require(lookups.VIEW)
def question_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A shared question with its answers (not hidden), read-only: the answerers' names only
    to people of their own municipality; cited cases only where the reader may open them."""
    question = lookups.read_question(request, pk)
    mine = set(access.municipality_ids(request.user))
    answers = list(question.answers.filter(hidden_at__isnull=True)
                   .select_related("area__municipality").prefetch_related("cases"))  # fmt: skip
    openable = set(
        lookups.other_cases(request).values_list("pk", flat=True)
        if not _own(request, question)
        else Case.objects.filter(municipality_id__in=mine).published().values_list("pk", flat=True)
    )
    rows = [_answer_row(a, mine, openable) for a in answers]
    rows.sort(key=lambda r: r["answer"].pk != question.helpful_answer_id)
    context = {"question": question, "own": _own(request, question), "answers": rows,
               "stars": question.star_labels(), "themes": question.themes.all()}  # fmt: skip
    return render(request, "knowhow/sharing/question.html", context)


def _answer_row(answer: Answer, mine: set[int], openable: set[int]) -> dict[str, Any]:
    town = answer.area.municipality or answer.area
    return {
        "answer": answer, "town": town,
        "name": answer.author_name if town.pk in mine else "",
        "cases": [c for c in answer.cases.all() if c.pk in openable],
    }  # fmt: skip


# The steps ------------------------------------------------------------------------------------


def _step(request: HttpRequest, item: Case | AskedQuestion, step: Callable[[], object],
          done: str) -> HttpResponse:  # fmt: skip
    try:
        step()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    if request.POST.get("back") == "requests":
        return redirect("knowhow_staff:share_requests")
    return redirect(item.get_absolute_url())


def _refuse(request: HttpRequest, item: Case | AskedQuestion) -> HttpResponse:
    """The service checks the reason (written, not too long) and changes nothing without it."""
    reason = request.POST.get("reason", "")
    return _step(request, item, lambda: services.refuse(item, reason, by=request.user),
                 _("共有を見送りました。理由は書いた人に見えます。"))  # fmt: skip


ASKED = gettext_lazy("共有を申請しました。区（自治体）の承認を待っています。")
APPROVED = gettext_lazy("承認しました。他の自治体の職員が読めるようになりました。")
WITHDRAWN = gettext_lazy("共有をやめました。他の自治体からは見えなくなりました。")


@require_POST
@access.require(lookups.VIEW)
def case_ask(request: HttpRequest, pk: int) -> HttpResponse:
    case = lookups.case(request, pk, lookups.ASK)
    return _step(request, case, lambda: services.ask(case, by=request.user), str(ASKED))


@require_POST
@access.require(lookups.VIEW)
def case_approve(request: HttpRequest, pk: int) -> HttpResponse:
    case = lookups.case(request, pk, lookups.DECIDE)
    return _step(request, case, lambda: services.approve(case, by=request.user), str(APPROVED))


@require_POST
@access.require(lookups.VIEW)
def case_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _refuse(request, lookups.case(request, pk, lookups.DECIDE))


@require_POST
@access.require(lookups.VIEW)
def case_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    case = lookups.case(request, pk, lookups.WITHDRAW)
    return _step(request, case, lambda: services.withdraw(case, by=request.user), str(WITHDRAWN))


@require_POST
@access.require(lookups.VIEW)
def question_ask(request: HttpRequest, pk: int) -> HttpResponse:
    asked = lookups.question(request, pk, lookups.ASK)
    return _step(request, asked, lambda: services.ask(asked, by=request.user), str(ASKED))


@require_POST
@access.require(lookups.VIEW)
def question_approve(request: HttpRequest, pk: int) -> HttpResponse:
    asked = lookups.question(request, pk, lookups.DECIDE)
    return _step(request, asked, lambda: services.approve(asked, by=request.user), str(APPROVED))


@require_POST
@access.require(lookups.VIEW)
def question_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _refuse(request, lookups.question(request, pk, lookups.DECIDE))


@require_POST
@access.require(lookups.VIEW)
def question_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    asked = lookups.question(request, pk, lookups.WITHDRAW)
    return _step(request, asked, lambda: services.withdraw(asked, by=request.user), str(WITHDRAWN))
