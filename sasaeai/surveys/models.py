"""Surveys (アンケート): an SC asks their area a few short questions.

A survey is built as a draft, published (it is then answered at an unguessable link and its
QR code, or on paper that staff type in), and closed. Its questions are fixed once it is
published, so an answer can store a choice by its position. One answer per person cannot be
enforced without accounts: each Response records its channel (web or paper) instead.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sasaeai.areas.models import Area
from sasaeai.audit.models import Audited
from sasaeai.lib.paths import under
from sasaeai.needs.models import Need

SCALE = range(1, 6)


def new_token() -> str:
    """The public part of a survey's link: 128 random bits, never the primary key."""
    return secrets.token_urlsafe(16)


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("下書き")
    PUBLISHED = "published", _("回答受付中")
    CLOSED = "closed", _("締め切り")


class SurveyQuerySet(models.QuerySet["Survey"]):
    def of(self, municipality: Area) -> SurveyQuerySet:
        return self.filter(municipality=municipality)

    def within(self, area: Area) -> SurveyQuerySet:
        return self.filter(under(area.path, "area__path"))

    def accepting_answers(self) -> SurveyQuerySet:
        return self.filter(status=SurveyStatus.PUBLISHED)

    def shown_publicly(self) -> SurveyQuerySet:
        """Published or closed: a resident with the link sees it (a closed one says so)."""
        return self.exclude(status=SurveyStatus.DRAFT)


class Survey(Audited):
    audit_exclude = frozenset({"updated_at"})

    municipality = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="surveys", verbose_name=_("地域")
    )
    title = models.CharField(_("題名"), max_length=100)
    intro = models.TextField(_("はじめのあいさつ"), max_length=1000, blank=True)
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    status = models.CharField(
        _("状態"), max_length=12, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    published_at = models.DateTimeField(_("公開した日時"), null=True, blank=True)
    closed_at = models.DateTimeField(_("締め切った日時"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("アンケート")
        verbose_name_plural = _("アンケート")
        db_table = "needs_survey"  # the table it had in the needs app
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["area", "status"], name="survey_area_status")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The tenant column follows the area, as on Need.
        self.municipality = self.area.municipality or self.area
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("surveys_staff:survey", args=[self.pk])

    def public_path(self) -> str:
        return reverse("surveys:survey", args=[self.token])

    @property
    def is_draft(self) -> bool:
        return self.status == SurveyStatus.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == SurveyStatus.PUBLISHED


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("1つだけ選ぶ")
    MULTIPLE = "multiple", _("いくつでも選ぶ")
    SCALE = "scale", _("1〜5の5段階")
    TEXT = "text", _("自由に書く")


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})


class Question(Audited):
    audit_exclude = frozenset({"updated_at"})

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("順番"), default=0)
    text = models.CharField(_("質問"), max_length=200)
    kind = models.CharField(
        _("答え方"), max_length=10, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    required = models.BooleanField(_("答えを必須にする"), default=True)
    # One choice a line; an answer stores the position of its choice, fixed once published.
    choices = models.TextField(_("選択肢"), max_length=1000, blank=True)
    low_label = models.CharField(_("1 の意味"), max_length=30, blank=True, default="そう思わない")
    high_label = models.CharField(_("5 の意味"), max_length=30, blank=True, default="そう思う")
    # The version its edit form carries (lib/optimistic.py).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("アンケートの質問")
        verbose_name_plural = _("アンケートの質問")
        db_table = "needs_question"  # the table it had in the needs app
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def audit_area(self) -> Area:
        return self.survey.area

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def has_choices(self) -> bool:
        return self.kind in CHOICE_KINDS

    def scale_label(self, value: int) -> str:
        words = {1: self.low_label, 5: self.high_label}.get(value, "")
        return f"{value}（{words}）" if words else str(value)


class Channel(models.TextChoices):
    WEB = "web", _("ウェブ")
    PAPER = "paper", _("紙（職員が入力）")


class Response(Audited):
    """One person's answers to a survey, as sent from the web or typed in from paper."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    channel = models.CharField(
        _("回答の方法"), max_length=8, choices=Channel.choices, default=Channel.WEB
    )
    submitted_at = models.DateTimeField(_("回答日時"), default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("入力した職員"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("アンケートの回答")
        verbose_name_plural = _("アンケートの回答")
        db_table = "needs_response"  # the table it had in the needs app
        ordering = ["submitted_at", "id"]
        indexes = [models.Index(fields=["survey", "submitted_at"], name="response_survey_at")]

    def __str__(self) -> str:
        return f"{self.survey} {self.submitted_at:%Y-%m-%d}"

    @property
    def audit_area(self) -> Area:
        return self.survey.area


class Answer(Audited):
    """The answer to one question: a chosen choice (one row per choice of a multiple choice
    question), a point on the scale, or free text, which staff may turn into a need."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # The position of the choice (from 0), or the point on the 1–5 scale.
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(max_length=1000, blank=True)
    need = models.ForeignKey(
        Need, on_delete=models.SET_NULL, null=True, blank=True, related_name="survey_answers",
        verbose_name=_("この回答から記録した困りごと"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("質問への答え")
        verbose_name_plural = _("質問への答え")
        db_table = "needs_answer"  # the table it had in the needs app
        ordering = ["id"]
        indexes = [models.Index(fields=["question", "value"], name="answer_question_value")]

    def __str__(self) -> str:
        return self.text[:40] if self.text else str(self.value)

    @property
    def audit_area(self) -> Area:
        return self.question.survey.area
