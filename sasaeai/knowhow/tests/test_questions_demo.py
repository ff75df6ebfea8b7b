"""The demo questions: a dozen from regions across the ward, answered from other regions, some
citing a case, most with the answer that helped marked, one joint review of a block."""

from __future__ import annotations

import datetime as dt

import pytest

from sasaeai.accounts.models import Role
from sasaeai.areas.models import Area
from sasaeai.directory.kinds import seed_kinds
from sasaeai.test import make_user

from ..demo import build_knowhow
from ..models import Answer, AskedQuestion
from ..questions_demo import QUESTIONS, build_questions

pytestmark = pytest.mark.django_db


def test_the_demo_questions(itabashi: Area) -> None:
    seed_kinds(itabashi)
    make_user("ward@demo.sasaeai.jp", Role.WARD_STAFF, "131199")
    make_user("block@demo.sasaeai.jp", Role.BLOCK_SC, "blk-akatsuka")
    codes = {code for code, *_rest in QUESTIONS} | {a[0] for q in QUESTIONS for a in q[5]}
    for code in sorted(codes - {"block"}):
        email = "sc@demo.sasaeai.jp" if code == "takashimadaira" else f"sc-{code}@demo.sasaeai.jp"
        make_user(email, Role.REGION_SC, code)
    build_knowhow(itabashi, dt.date(2026, 12, 1))  # the cases, then the questions
    questions = AskedQuestion.objects.of(itabashi)
    assert questions.count() >= 12
    assert len(set(questions.values_list("area", flat=True))) >= 10
    assert questions.filter(block__code="blk-akatsuka").count() == 1
    assert questions.filter(helpful_answer__isnull=False).count() >= 6
    answers = Answer.objects.filter(question__municipality=itabashi)
    assert answers.exclude(area=models_area(answers.first())).exists()
    assert answers.filter(cases__isnull=False).count() >= 3
    assert build_questions(itabashi) == 0  # once


def models_area(answer: Answer | None) -> Area | None:
    return answer.question.area if answer else None
