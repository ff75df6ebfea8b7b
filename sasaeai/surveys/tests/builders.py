"""Small builders for survey tests."""

from __future__ import annotations

from typing import Any

from sasaeai.surveys import services
from sasaeai.surveys.models import Question, Response, Survey
from sasaeai.test import area

# The questions of a test survey, in order: single, multiple, scale, free text (optional).
QUESTIONS: list[dict[str, Any]] = [
    {"kind": "single", "text": "あなたの年代は？", "choices": "60代以下\n70代\n80代"},
    {"kind": "multiple", "text": "困っていることは？", "choices": "買い物\n外出\n家事\n特にない"},
    {"kind": "scale", "text": "地域のつながりを感じますか？", "low_label": "感じない",
     "high_label": "感じる"},
    {"kind": "text", "text": "自由にお書きください。", "required": False},
]  # fmt: skip


def make_survey(
    area_code: str = "takashimadaira",
    status: str = "published",
    questions: list[dict[str, Any]] | None = None,
    title: str = "暮らしのアンケート",
) -> Survey:
    survey = Survey(area=area(area_code), title=title, intro="地域のことを教えてください。")
    survey.save()
    for position, spec in enumerate(QUESTIONS if questions is None else questions):
        Question.objects.create(survey=survey, position=position, **spec)
    if status != "draft":
        survey.status = status
        survey.save()
    return survey


def answer_survey(survey: Survey, *values: Any, channel: str = "web", by: Any = None) -> Response:
    """One response giving `values` to the survey's questions in order (None: left out).
    Stored as given, as if the survey were open."""
    questions = list(survey.questions.all())
    status, survey.status = survey.status, "published"
    try:
        return services.record_response(
            survey, dict(zip(questions, values, strict=True)), channel=channel, by=by
        )
    finally:
        survey.status = status
