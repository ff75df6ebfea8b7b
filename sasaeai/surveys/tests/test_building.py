"""An SC builds a survey as a draft (questions in order), publishes it with its link and QR
code, types in paper answers and closes it; questions are fixed once published."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.surveys.demo import build_surveys
from sasaeai.surveys.models import Channel, Question, Response, Survey, SurveyStatus
from sasaeai.test import area

from .builders import make_survey

pytestmark = pytest.mark.django_db
BASE = "/staff/needs/surveys/"


def texts(survey: Survey) -> list[str]:
    return list(survey.questions.values_list("text", flat=True))


def test_build_publish_and_close(client: Client, users: dict) -> None:
    client.force_login(users["sc"])
    data = {
        "area": area("takashimadaira").pk,
        "title": "買い物のアンケート",
        "intro": "教えてください。",
    }
    response = client.post(BASE + "new/", data)
    survey = Survey.objects.get()
    assert response["Location"] == f"{BASE}{survey.pk}/" and survey.status == SurveyStatus.DRAFT
    assert "公開する前なら" in client.get(response["Location"]).content.decode()

    new = f"{BASE}{survey.pk}/questions/new/"
    one_choice = {"text": "よく行くお店は？", "kind": "single", "required": "on", "choices": "駅前"}
    page = client.post(new, one_choice).content.decode()
    assert "選択肢を2〜10個、1行に1つずつ書いてください。" in page
    assert client.post(new, {**one_choice, "choices": "駅前\n駅前"}).status_code == 200
    assert client.post(new, {**one_choice, "choices": "<b>駅前</b>\n商店街"}).status_code == 200
    assert not survey.questions.exists()
    client.post(new, {**one_choice, "choices": " 駅前 \n\n商店街\n"})
    client.post(new, {"text": "困っていることは？", "kind": "text", "choices": "捨てられる"})
    client.post(new, {"text": "満足ですか？", "kind": "scale", "required": "on",
                      "low_label": "不満", "high_label": "満足"})  # fmt: skip
    assert texts(survey) == ["よく行くお店は？", "困っていることは？", "満足ですか？"]
    first, second, third = survey.questions.all()
    assert first.choice_list == ["駅前", "商店街"] and second.choices == "" and not second.required
    client.post(f"{BASE}questions/{third.pk}/up/")
    client.post(f"{BASE}questions/{first.pk}/down/")
    assert texts(survey) == ["満足ですか？", "よく行くお店は？", "困っていることは？"]
    client.post(f"{BASE}questions/{second.pk}/delete/")
    assert texts(survey) == ["満足ですか？", "よく行くお店は？"]

    public = f"/needs/surveys/{survey.token}/"
    assert Client().get(public).status_code == 404  # a draft is not answered
    client.post(f"{BASE}{survey.pk}/publish/")
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.PUBLISHED and survey.published_at is not None
    detail = client.get(f"{BASE}{survey.pk}/").content.decode()
    assert f"http://testserver{public}" in detail and 'src="data:image/svg+xml;base64,' in detail
    assert Client().get(public).status_code == 200

    locked = client.post(f"{BASE}questions/{first.pk}/edit/", {"text": "x", "kind": "text"},
                         follow=True)  # fmt: skip
    assert "公開したアンケートの質問は変えられません。" in locked.content.decode()
    client.post(f"{BASE}questions/{first.pk}/delete/")
    client.post(new, {"text": "追加", "kind": "text"})
    assert texts(survey) == ["満足ですか？", "よく行くお店は？"]

    client.post(f"{BASE}{survey.pk}/close/")
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED and survey.closed_at is not None
    assert Client().get(public).status_code == 410


def test_an_empty_draft_cannot_be_published(client: Client, users: dict) -> None:
    survey = make_survey(status="draft", questions=[])
    client.force_login(users["sc"])
    response = client.post(f"{BASE}{survey.pk}/publish/", follow=True)
    assert "質問を1つ以上作ってから公開してください。" in response.content.decode()
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.DRAFT


def test_paper_answers_are_typed_in_with_the_same_form(client: Client, users: dict) -> None:
    survey = make_survey(status="closed")  # paper forms arrive after closing too
    q = list(survey.questions.all())
    client.force_login(users["sc"])
    paper = f"{BASE}{survey.pk}/paper/"
    page = client.get(paper).content.decode()
    assert "あなたの年代は？" in page and 'name="website"' not in page
    bad = client.post(paper, {f"q{q[0].pk}": "9"})
    assert "選びなおしてください。" in bad.content.decode() and not Response.objects.exists()
    data = {f"q{q[0].pk}": "2", f"q{q[1].pk}": ["3"], f"q{q[2].pk}": "1"}
    response = client.post(paper, data, follow=True)
    assert "紙の回答 1 件目" in response.content.decode()
    stored = Response.objects.get()
    assert stored.channel == Channel.PAPER and stored.entered_by == users["sc"]
    assert stored.answers.count() == 3


def test_paper_answers_wait_for_publishing(client: Client, users: dict) -> None:
    survey = make_survey(status="draft")
    client.force_login(users["sc"])
    response = client.get(f"{BASE}{survey.pk}/paper/", follow=True)
    assert "公開してから、紙の回答を入力できます。" in response.content.decode()


def test_demo_surveys_are_deterministic_and_fast(itabashi: Any) -> None:
    import time

    started = time.monotonic()
    made = build_surveys(itabashi, 20261126)
    assert time.monotonic() - started < 5
    assert 100 <= made <= 250 and build_surveys(itabashi, 20261126) == 0
    surveys = Survey.objects.of(itabashi)
    assert set(surveys.values_list("status", flat=True)) == set(SurveyStatus)
    assert surveys.values("area").distinct().count() == 4
    assert surveys.filter(area__code="takashimadaira").exists()
    assert Response.objects.filter(channel=Channel.PAPER).exists()
    assert not Response.objects.filter(survey__status=SurveyStatus.DRAFT).exists()
    assert Question.objects.filter(survey__in=surveys).count() == 4 * 5 + 2 * 3 + 2
    counts = sorted(surveys.values_list("area__code", "title", "status"))
    Survey.objects.all().delete()
    assert build_surveys(itabashi, 20261126) == made
    assert sorted(Survey.objects.values_list("area__code", "title", "status")) == counts
