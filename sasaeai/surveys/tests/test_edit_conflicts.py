"""Two staff edit the same survey, or the same question, at once: the second to save is told,
nothing of theirs is written, and a second press after looking saves (lib/optimistic.py)."""

from __future__ import annotations

import pytest

from sasaeai.lib.tests.conflicts import second_saver_is_told
from sasaeai.surveys.models import Question, Survey

from .builders import make_survey

pytestmark = pytest.mark.django_db


def test_the_second_saver_of_a_survey_is_told(users: dict) -> None:
    survey = make_survey(status="draft")
    second_saver_is_told(
        f"/staff/needs/surveys/{survey.pk}/edit/", (users["sc"], users["block"]), "title",
        ("高島平の暮らしアンケート", "買い物のアンケート"),
        lambda: Survey.objects.get(pk=survey.pk).title,
    )  # fmt: skip


def test_the_second_saver_of_a_question_is_told(users: dict) -> None:
    question = make_survey(status="draft").questions.first()
    assert question is not None
    second_saver_is_told(
        f"/staff/needs/surveys/questions/{question.pk}/edit/", (users["sc"], users["block"]),
        "text", ("買い物に困っていますか", "通院に困っていますか"),
        lambda: Question.objects.get(pk=question.pk).text,
    )  # fmt: skip
