"""Results of a survey per question (counts, shares, the average of a scale) and their
export to .xlsx: one sheet of results, one of every response as a row."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import openpyxl
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from sasaeai.lib.spreadsheets import text_cell

from .models import Answer, Question, QuestionKind, Survey


@dataclass
class Bar:
    label: str
    count: int
    percent: int  # of the people who answered the question, rounded


@dataclass
class QuestionResult:
    question: Question
    answered: int  # people who answered this question
    bars: list[Bar] = field(default_factory=list)
    average: float | None = None  # scale questions only
    texts: list[Answer] = field(default_factory=list)  # free-text questions only


def _percent(count: int, of: int) -> int:
    return round(100 * count / of) if of else 0


def results(survey: Survey) -> tuple[int, list[QuestionResult]]:
    """How many responses the survey has, and each question's result, in question order.

    Shares are of the people who answered that question; for a multiple-choice question
    they add up to more than 100%.
    """
    questions = list(survey.questions.all())
    answers = Answer.objects.filter(question__survey=survey)
    counts: dict[int, dict[int | None, int]] = defaultdict(dict)
    for row in answers.exclude(value=None).values("question", "value").annotate(n=Count("id")):
        counts[row["question"]][row["value"]] = row["n"]
    answered = dict(
        answers.values_list("question").annotate(n=Count("response", distinct=True)).order_by()
    )
    texts: dict[int, list[Answer]] = defaultdict(list)
    free = answers.filter(question__kind=QuestionKind.TEXT).select_related("response", "need")
    for answer in free.order_by("response__submitted_at", "id"):
        texts[answer.question_id].append(answer)
    made = []
    for question in questions:
        people = answered.get(question.pk, 0)
        result = QuestionResult(question, people, texts=texts.get(question.pk, []))
        found = counts.get(question.pk, {})
        labels: list[tuple[int, str]] = []
        if question.kind == QuestionKind.SCALE:
            labels = [(v, question.scale_label(v)) for v in range(1, 6)]
            total = sum((v or 0) * n for v, n in found.items())
            result.average = round(total / people, 2) if people else None
        elif question.has_choices:
            labels = list(enumerate(question.choice_list))
        result.bars = [
            Bar(label, found.get(v, 0), _percent(found.get(v, 0), people)) for v, label in labels
        ]
        made.append(result)
    return survey.responses.count(), made


def value_in_words(question: Question, values: list[Answer]) -> str:
    """One question's answer of one response, as a spreadsheet cell shows it."""
    if question.kind == QuestionKind.TEXT:
        return "\n".join(a.text for a in values)
    if question.kind == QuestionKind.SCALE:
        return ", ".join(str(a.value) for a in values)
    choices = question.choice_list
    return "、".join(
        choices[a.value] for a in values if a.value is not None and a.value < len(choices)
    )


def write_xlsx(survey: Survey) -> bytes:
    total, made = results(survey)
    book = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)
    sheet = book.create_sheet(_("集計"))
    sheet.append([text_cell(sheet, survey.title, bold)])
    sheet.append([text_cell(sheet, _("回答数")), total])
    for number, result in enumerate(made, start=1):
        sheet.append([])
        heading = f"Q{number}. {result.question.text}（{result.question.get_kind_display()}）"
        sheet.append([text_cell(sheet, heading, bold)])
        sheet.append([text_cell(sheet, _("答えた人")), result.answered])
        if result.question.kind == QuestionKind.TEXT:
            for answer in result.texts:
                sheet.append([text_cell(sheet, answer.text)])
            continue
        sheet.append([text_cell(sheet, h, bold) for h in (_("選択肢"), _("人数"), _("割合（%）"))])
        for bar in result.bars:
            sheet.append([text_cell(sheet, bar.label), bar.count, bar.percent])
        if result.average is not None:
            sheet.append([text_cell(sheet, _("平均")), result.average])
    _responses_sheet(book, survey, [r.question for r in made])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _responses_sheet(book: Any, survey: Survey, questions: list[Question]) -> None:
    sheet = book.create_sheet(_("回答一覧"))
    sheet.freeze_panes = "A2"
    header = [_("回答番号"), _("回答日時"), _("回答の方法")]
    header += [f"Q{n}. {q.text}" for n, q in enumerate(questions, start=1)]
    sheet.append([text_cell(sheet, h, Font(bold=True)) for h in header])
    by_response: dict[int, dict[int, list[Answer]]] = defaultdict(lambda: defaultdict(list))
    for answer in Answer.objects.filter(response__survey=survey).order_by("value", "id"):
        by_response[answer.response_id][answer.question_id].append(answer)
    for number, response in enumerate(survey.responses.order_by("submitted_at", "id"), 1):
        given = by_response[response.pk]
        at = timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M")
        channel = response.get_channel_display()
        row: list[Any] = [number, text_cell(sheet, at), text_cell(sheet, channel)]
        row += [text_cell(sheet, value_in_words(q, given.get(q.pk, []))) for q in questions]
        sheet.append(row)
