"""Staff pages that build a survey: the list, the survey and its questions (in a draft),
publishing with its link and QR code, and closing."""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.lib import optimistic
from sasaeai.lib.fiscal import year_label
from sasaeai.lib.indicators import Scope

from . import lookups, services
from .figures import answered, held
from .forms import FilterForm, QuestionForm, SurveyForm
from .models import Question, Survey

VIEW, EDIT = lookups.VIEW, lookups.EDIT


@require_GET
@access.require(VIEW)
def survey_list(request: HttpRequest) -> HttpResponse:
    """The surveys this person sees, of an area if asked. With a 年度 (read as the figures read
    it, figures.py), those published in it or those answered in it, each with its answers of
    that year; input it cannot use is named next to its field and narrows nothing."""
    form = FilterForm(request.GET or None, areas=access.areas(request.user, VIEW))
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    surveys = lookups.surveys(request)
    if data.get("area"):
        surveys = surveys.within(data["area"])
    year = data.get("year")
    if year is None:
        surveys = surveys.annotate(answers=Count("responses"))
    else:
        scope = Scope((), (year,), timezone.localdate())
        surveys = surveys.annotate(answers=Count("responses", filter=answered(scope, year)))
        if data.get("in_year") == "answered":
            surveys = surveys.filter(answers__gt=0)
        else:
            surveys = surveys.filter(held(scope, year))
    shown = list(surveys)
    context = {
        "form": form, "surveys": shown, "answers": sum(s.answers for s in shown),
        "area": data.get("area"), "year_label": year_label(year) if year is not None else "",
        "in_year": data.get("in_year") or "held", "can_add": access.has_any(request.user, EDIT),
    }  # fmt: skip
    return render(request, "surveys/list.html", context)


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def survey_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    survey = Survey() if pk is None else lookups.survey(request, pk, EDIT)
    data = request.POST if request.method == "POST" else None
    form = SurveyForm(data, instance=survey, areas=access.areas(request.user, EDIT))
    if request.method == "POST" and form.is_valid():
        if pk is None:
            services.create_survey(form.save(commit=False), by=request.user)
        if pk is None or optimistic.saved(form, link=survey.get_absolute_url()):
            messages.success(
                request, _("アンケート「%(t)s」を保存しました。") % {"t": survey.title}
            )
            return redirect(survey)
    context = {"form": form, "survey": survey}
    return render(request, "surveys/edit.html", context, status=optimistic.status(form))


def _qr(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@require_GET
@access.require(VIEW)
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = lookups.survey(request, pk)
    url = request.build_absolute_uri(survey.public_path())
    context = {
        "survey": survey,
        "questions": survey.questions.all(),
        "answers": survey.responses.count(),
        "can_edit": lookups.can_edit(request, survey),
        "url": url,
        "qr": None if survey.is_draft else _qr(url),
    }
    return render(request, "surveys/detail.html", context)


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def question_edit(
    request: HttpRequest, pk: int | None = None, survey_pk: int | None = None
) -> HttpResponse:
    if pk is None:
        assert survey_pk is not None
        survey, question = lookups.survey(request, survey_pk, EDIT), Question()
    else:
        question = lookups.question(request, pk, EDIT)
        survey = question.survey
    if not survey.is_draft:
        messages.error(request, _("公開したアンケートの質問は変えられません。"))
        return redirect(survey)
    data = request.POST if request.method == "POST" else None
    form = QuestionForm(data, instance=question)
    if request.method == "POST" and form.is_valid():
        if pk is None:
            services.add_question(survey, form.save(commit=False))
        if pk is None or optimistic.saved(form, link=survey.get_absolute_url()):
            messages.success(request, _("質問を保存しました。"))
            return redirect(survey)
    context = {"form": form, "survey": survey, "question": question}
    return render(request, "surveys/question_edit.html", context, status=optimistic.status(form))


def _on_question(action: Callable[[Question], None], done: Any) -> Callable[..., HttpResponse]:
    """A POST-only view doing one thing to a question of a draft survey."""

    @require_POST
    @access.require(EDIT)
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        question = lookups.question(request, pk, EDIT)
        try:
            if not question.survey.is_draft:
                raise ValidationError(_("公開したアンケートの質問は変えられません。"))
            action(question)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, done)
        return redirect(question.survey)

    return view


def _delete(question: Question) -> None:
    question.delete()


question_delete = _on_question(_delete, gettext_lazy("質問を削除しました。"))
question_up = _on_question(
    lambda q: services.move_question(q, -1), gettext_lazy("質問を上へ移しました。")
)
question_down = _on_question(
    lambda q: services.move_question(q, 1), gettext_lazy("質問を下へ移しました。")
)


def _on_survey(action: Callable[[Survey], None], done: Any) -> Callable[..., HttpResponse]:
    @require_POST
    @access.require(EDIT)
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        survey = lookups.survey(request, pk, EDIT)
        try:
            action(survey)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, done)
        return redirect(survey)

    return view


survey_publish = _on_survey(services.publish, gettext_lazy("アンケートを公開しました。"))
survey_close = _on_survey(services.close, gettext_lazy("アンケートを締め切りました。"))
