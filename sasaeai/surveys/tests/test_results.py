"""Survey results against a hand-counted set, the bar chart page, the .xlsx export read
back, and a free-text answer becoming a need in one step."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.test import Client

from sasaeai.needs.models import Need, Source
from sasaeai.needs.tests.builders import need_kind
from sasaeai.surveys.models import Answer, Survey
from sasaeai.surveys.results import results

from .builders import answer_survey, make_survey

pytestmark = pytest.mark.django_db
BASE = "/staff/needs/surveys/"

# Six people; (single, multiple, scale, text), one of them on paper.
ANSWERS: list[tuple[Any, ...]] = [
    ("0", ["0", "1"], "5", "買い物が大変。"),
    ("1", ["0"], "4", ""),
    ("1", ["1", "2"], "2", "=1+1"),
    ("2", ["3"], "5", None),
    ("1", ["0", "2"], "3", "電球を替えてほしい。"),
    ("0", ["0"], None, ""),
]


@pytest.fixture
def survey(itabashi: Any) -> Survey:
    made = make_survey()
    for number, values in enumerate(ANSWERS):
        answer_survey(made, *values, channel="paper" if number == 4 else "web")
    return made


def test_counts_shares_and_average_by_hand(survey: Survey) -> None:
    total, rows = results(survey)
    assert total == 6
    single, multiple, scale, text = rows
    assert single.answered == 6
    assert [(b.label, b.count, b.percent) for b in single.bars] == [
        ("60代以下", 2, 33), ("70代", 3, 50), ("80代", 1, 17)]  # fmt: skip
    assert multiple.answered == 6
    assert [(b.label, b.count, b.percent) for b in multiple.bars] == [
        ("買い物", 4, 67), ("外出", 2, 33), ("家事", 2, 33), ("特にない", 1, 17)]  # fmt: skip
    assert scale.answered == 5 and scale.average == 3.8
    assert [(b.count, b.percent) for b in scale.bars] == [(0, 0), (1, 20), (1, 20), (1, 20),
                                                          (2, 40)]  # fmt: skip
    assert scale.bars[0].label == "1（感じない）" and scale.bars[4].label == "5（感じる）"
    assert text.answered == 3 and text.bars == []
    assert [a.text for a in text.texts] == ["買い物が大変。", "=1+1", "電球を替えてほしい。"]


def test_results_page_draws_bars_with_their_numbers(
    client: Client, users: dict, survey: Survey
) -> None:
    client.force_login(users["member"])
    text = client.get(f"{BASE}{survey.pk}/results/").content.decode()
    assert "回答 6 件" in text and "うち紙 1 件" in text
    assert "3人（50%）" in text and "4人（67%）" in text and "平均 3.80" in text
    assert '<rect width="67" height="10">' in text  # the bar is drawn as wide as its share
    assert "電球を替えてほしい。" in text
    assert "困りごととして記録する" not in text  # a council member may not change anything
    client.force_login(users["sc"])
    assert "困りごととして記録する" in client.get(f"{BASE}{survey.pk}/results/").content.decode()


def test_export_reads_back(client: Client, users: dict, survey: Survey) -> None:
    client.force_login(users["sc"])
    response = client.get(f"{BASE}{survey.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith(f'attachment; filename="survey-{survey.pk}-')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["集計", "回答一覧"]
    summary = [tuple(c for c in row if c is not None) for row in book["集計"].values]
    assert ("暮らしのアンケート",) in summary and ("回答数", 6) in summary
    assert ("70代", 3, 50) in summary and ("買い物", 4, 67) in summary
    assert ("平均", 3.8) in summary and ("5（感じる）", 2, 40) in summary
    rows = list(book["回答一覧"].values)
    assert rows[0][:4] == ("回答番号", "回答日時", "回答の方法", "Q1. あなたの年代は？")
    assert len(rows) == 7
    assert rows[1][3:] == ("60代以下", "買い物、外出", "5", "買い物が大変。")
    assert rows[3][6] == "=1+1"  # kept as text, never a formula
    assert book["回答一覧"].cell(4, 7).data_type == "s"
    assert rows[5][2] == "紙（職員が入力）"
    assert rows[6][5:] == (None, None)  # left out: empty cells


def test_a_free_text_answer_becomes_a_need_in_one_step(
    client: Client, users: dict, survey: Survey
) -> None:
    answer = Answer.objects.get(text="電球を替えてほしい。")
    client.force_login(users["sc"])
    response = client.post(f"{BASE}answers/{answer.pk}/need/", {"kind": need_kind("small-jobs").pk})
    need = Need.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/staff/needs/{need.pk}/"
    assert need.source == Source.SURVEY and need.area == survey.area
    assert need.what == "電球を替えてほしい。" and need.kind.code == "small-jobs"
    answer.refresh_from_db()
    assert answer.need == need
    detail = client.get(f"/staff/needs/{need.pk}/").content.decode()
    assert "もとのアンケート" in detail and "暮らしのアンケート" in detail
    assert "アンケート「暮らしのアンケート」の回答から記録しました。" in detail  # the timeline
    page = client.get(f"{BASE}{survey.pk}/results/").content.decode()
    assert f'困りごとに記録しました：<a href="/staff/needs/{need.pk}/">{need.number}</a>' in page
    again = client.post(
        f"{BASE}answers/{answer.pk}/need/", {"kind": need_kind("talk").pk}, follow=True
    )
    assert "もう困りごとに記録しています" in again.content.decode()
    assert Need.objects.count() == 1


@pytest.mark.parametrize(
    "data", [{}, {"kind": "abc"}, {"kind": "999999"}], ids=["none", "word", "unknown"]
)
def test_a_need_needs_a_kind_of_the_municipality(
    client: Client, users: dict, survey: Survey, data: dict
) -> None:
    answer = Answer.objects.get(text="買い物が大変。")
    client.force_login(users["sc"])
    response = client.post(f"{BASE}answers/{answer.pk}/need/", data, follow=True)
    assert "困りごとの種類を選んでから押してください。" in response.content.decode()
    foreign = need_kind("shopping", "999991")
    client.post(f"{BASE}answers/{answer.pk}/need/", {"kind": foreign.pk})
    assert not Need.objects.exists()


def test_only_free_text_becomes_a_need(client: Client, users: dict, survey: Survey) -> None:
    choice = Answer.objects.filter(question__kind="single").first()
    assert choice is not None
    client.force_login(users["sc"])
    response = client.post(
        f"{BASE}answers/{choice.pk}/need/", {"kind": need_kind("shopping").pk}, follow=True
    )
    assert "自由記述の回答だけを困りごとにできます。" in response.content.decode()
    assert not Need.objects.exists()
