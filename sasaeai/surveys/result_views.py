"""Staff pages of a survey's answers: results with bar charts, the .xlsx export, typing in
paper answers, and turning a free-text answer into a need."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sasaeai.accounts import access
from sasaeai.needs.models import NeedKind

from . import lookups, services
from .forms import AnswerForm, NeedFromAnswerForm
from .models import Channel
from .results import results, write_xlsx

VIEW, EDIT = lookups.VIEW, lookups.EDIT
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
@access.require(VIEW)
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = lookups.survey(request, pk)
    total, rows = results(survey)
    can_edit = lookups.can_edit(request, survey)
    context = {
        "survey": survey,
        "total": total,
        "rows": rows,
        "can_edit": can_edit,
        "paper": survey.responses.filter(channel=Channel.PAPER).count(),
        "kinds": list(NeedKind.objects.of(survey.municipality)) if can_edit else [],
    }
    return render(request, "surveys/results.html", context)


@require_GET
@access.require(VIEW)
def survey_export(request: HttpRequest, pk: int) -> HttpResponse:
    survey = lookups.survey(request, pk)
    response = HttpResponse(write_xlsx(survey), content_type=XLSX)
    # The title may be any Japanese text: the file name stays ASCII and predictable.
    stem = f"survey-{survey.pk}-{timezone.localdate():%Y%m%d}"
    response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
@access.require(EDIT)
def survey_paper(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff type in the answers of one paper form; the page comes back for the next one."""
    survey = lookups.survey(request, pk, EDIT)
    if survey.is_draft:
        messages.error(request, _("公開してから、紙の回答を入力できます。"))
        return redirect(survey)
    questions = list(survey.questions.all())
    data = request.POST if request.method == "POST" else None
    form = AnswerForm(data, questions=questions, public=False)
    if request.method == "POST" and form.is_valid():
        services.record_response(survey, form.values(), channel=Channel.PAPER, by=request.user)
        count = survey.responses.filter(channel=Channel.PAPER).count()
        messages.success(
            request, _("紙の回答を入力しました（紙の回答 %(n)d 件目）。") % {"n": count}
        )
        return redirect("surveys_staff:survey_paper", survey.pk)
    return render(request, "surveys/paper.html", {"survey": survey, "form": form})


@require_POST
@access.require(EDIT)
def answer_to_need(request: HttpRequest, pk: int) -> HttpResponse:
    answer = lookups.answer(request, pk, EDIT)
    survey = answer.question.survey
    form = NeedFromAnswerForm(request.POST, municipality=survey.municipality)
    if not form.is_valid():
        messages.error(request, _("困りごとの種類を選んでから押してください。"))
        return redirect("surveys_staff:survey_results", survey.pk)
    try:
        need = services.answer_to_need(answer, form.cleaned_data["kind"], by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("surveys_staff:survey_results", survey.pk)
    messages.success(request, _("回答を困りごと %(n)s として記録しました。") % {"n": need.number})
    return redirect(need)
