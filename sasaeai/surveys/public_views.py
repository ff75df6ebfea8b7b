"""The public answer page of a survey, reached by its link or QR code: no account, plain
words, a hidden bot trap and a limit per sender against floods."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from sasaeai.accounts import access
from sasaeai.lib.ratelimit import HourlyLimit

from . import lookups, services
from .forms import AnswerForm

ANSWERS = HourlyLimit("surveys", per_hour=10)
THANKS_KEY = "surveys:thanks"


@access.public
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    survey = lookups.public_survey(request, token)
    if not survey.is_open:
        return render(request, "surveys/public/closed.html", {"survey": survey}, status=410)
    data = request.POST if request.method == "POST" else None  # an empty POST is still a POST
    form = AnswerForm(data, questions=list(survey.questions.all()))
    context = {"survey": survey, "form": form}
    if request.method == "POST":
        if ANSWERS.reached(request) or (form.is_valid() and not ANSWERS.take(request)):
            context["limited"] = True
            return render(request, "surveys/public/answer.html", context, status=429)
        if form.is_valid():
            services.record_response(survey, form.values())
            request.session[THANKS_KEY] = {"title": survey.title, "area": survey.area.name}
            return redirect("surveys:survey_thanks")
    return render(request, "surveys/public/answer.html", context)


@access.public
@require_GET
def thanks(request: HttpRequest) -> HttpResponse:
    access.public_municipality(request)
    sent = request.session.get(THANKS_KEY)
    if not sent:
        return redirect("core:home")
    return render(request, "surveys/public/thanks.html", sent)
