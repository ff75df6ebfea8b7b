"""Two people (or one person in two tabs) edit the same case, question or answer at once: the
second to save gets the 409 page with their input kept and what is saved now; nothing of
theirs is written until they press 保存する again after looking (lib/optimistic.py)."""

from __future__ import annotations

import pytest

from sasaeai.accounts.models import User
from sasaeai.lib.tests.conflicts import second_saver_is_told

from ..models import Answer, AskedQuestion, Case
from .builders import make_answer, make_case, make_question

pytestmark = pytest.mark.django_db


def test_the_second_to_save_a_case_is_told(users: dict[str, User]) -> None:
    case = make_case(by=users["sc"], title="団地の見守り")
    second_saver_is_told(
        f"/staff/knowhow/cases/{case.pk}/edit/", (users["sc"], users["block"]), "title",
        ("団地の見守り（SCが直した）", "団地の見守り（ブロックが直した）"),
        lambda: Case.objects.get(pk=case.pk).title,
    )  # fmt: skip


def test_the_second_tab_to_save_a_question_is_told(users: dict[str, User]) -> None:
    asked = make_question(users["sc"])
    second_saver_is_told(
        f"/staff/knowhow/questions/{asked.pk}/edit/", (users["sc"], users["sc"]), "title",
        ("男性の参加者を増やすには？（1）", "男性の参加者を増やすには？（2）"),
        lambda: AskedQuestion.objects.get(pk=asked.pk).title,
    )  # fmt: skip


def test_the_second_tab_to_save_an_answer_is_told(users: dict[str, User]) -> None:
    written = make_answer(make_question(users["sc"]), users["other_sc"])
    second_saver_is_told(
        f"/staff/knowhow/answers/{written.pk}/edit/", (users["other_sc"], users["other_sc"]),
        "text", ("将棋の会を開きました。", "囲碁の会を開きました。"),
        lambda: Answer.objects.get(pk=written.pk).text,
    )  # fmt: skip
