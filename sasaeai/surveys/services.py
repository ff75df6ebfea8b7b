"""Survey workflows: building (questions in order), publishing, closing, storing a
response from the web or from paper, and turning a free-text answer into a need.

Staff views, the public answer page, demo data and tests all go through these functions.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sasaeai.needs import services
from sasaeai.needs.models import Need, NeedKind, Source

from .models import Answer, Channel, Question, QuestionKind, Response, Survey, SurveyStatus

# What a public or paper answer form hands over: question → a choice position, a list of
# them, a point on the scale, or text; None or "" or [] when a question was left out.
AnswerValues = dict[Question, Any]


def create_survey(survey: Survey, *, by: Any) -> Survey:
    survey.created_by = by
    survey.status = SurveyStatus.DRAFT
    survey.save()
    return survey


def add_question(survey: Survey, question: Question) -> Question:
    """Append a question at the end of a draft survey."""
    if not survey.is_draft:
        raise ValidationError(_("公開したアンケートの質問は変えられません。"))
    last = survey.questions.aggregate(n=models.Max("position"))["n"]
    question.survey = survey
    question.position = 0 if last is None else last + 1
    question.save()
    return question


@transaction.atomic
def move_question(question: Question, step: int) -> None:
    """Swap a question with its neighbour above (step -1) or below (step +1)."""
    survey = question.survey
    if not survey.is_draft:
        raise ValidationError(_("公開したアンケートの質問は変えられません。"))
    ordered = list(survey.questions.order_by("position", "id"))
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = index + step
    if not 0 <= other < len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, each in enumerate(ordered):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position"])


def publish(survey: Survey) -> None:
    if not survey.is_draft:
        raise ValidationError(_("このアンケートはもう公開しています。"))
    if not survey.questions.exists():
        raise ValidationError(_("質問を1つ以上作ってから公開してください。"))
    survey.status = SurveyStatus.PUBLISHED
    survey.published_at = timezone.now()
    survey.save(update_fields=["status", "published_at", "updated_at"])


def close(survey: Survey) -> None:
    if not survey.is_open:
        raise ValidationError(_("回答を受け付けているアンケートだけを締め切れます。"))
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = timezone.now()
    survey.save(update_fields=["status", "closed_at", "updated_at"])


def answer_rows(question: Question, value: Any) -> list[Answer]:
    """The Answer rows for one question's value (none when it was left out)."""
    if value in (None, "", []):
        return []
    if question.kind == QuestionKind.MULTIPLE:
        return [Answer(question=question, value=int(v)) for v in sorted(set(map(int, value)))]
    if question.kind == QuestionKind.TEXT:
        return [Answer(question=question, text=str(value))]
    return [Answer(question=question, value=int(value))]


@transaction.atomic
def record_response(
    survey: Survey, values: AnswerValues, *, channel: str = Channel.WEB, by: Any = None
) -> Response:
    """Store one person's answers. The web takes answers only while the survey is open;
    paper answers typed in by staff are taken after it closes too (they arrive late)."""
    if survey.is_draft or (channel == Channel.WEB and not survey.is_open):
        raise ValidationError(_("このアンケートは、いまは回答を受け付けていません。"))
    response = Response.objects.create(
        survey=survey,
        channel=channel,
        entered_by=by if channel == Channel.PAPER else None,
    )
    rows = [row for question, value in values.items() for row in answer_rows(question, value)]
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    return response


@transaction.atomic
def answer_to_need(answer: Answer, kind: NeedKind, *, by: Any) -> Need:
    """Record a free-text answer as a need of the survey's area (source: survey), linked
    back to the answer; an answer becomes at most one need."""
    survey = answer.question.survey
    if answer.question.kind != QuestionKind.TEXT or not answer.text.strip():
        raise ValidationError(_("自由記述の回答だけを困りごとにできます。"))
    if answer.need_id is not None:
        raise ValidationError(_("この回答は、もう困りごとに記録しています。"))
    if kind.municipality_id != survey.municipality_id:
        raise ValidationError(_("困りごとの種類を選びなおしてください。"))
    need = Need(
        area=survey.area,
        kind=kind,
        what=answer.text.strip(),
        source=Source.SURVEY,
        reported_on=timezone.localdate(answer.response.submitted_at),
    )
    note = _("アンケート「%(title)s」の回答から記録しました。") % {"title": survey.title}
    services.create_need(need, by=by, note=note)
    answer.need = need
    answer.save(update_fields=["need"])
    return need
