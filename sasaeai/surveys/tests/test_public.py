"""The public answer page /needs/surveys/<token>/: a resident answers without an account;
bad input is refused in Japanese and stores nothing; drafts, closed surveys, bots and floods
are turned away."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.surveys.models import Answer, Channel, Response, Survey

from .builders import make_survey

pytestmark = pytest.mark.django_db
CHECK = "入力内容を確認してください。"


def url(survey: Survey) -> str:
    return f"/needs/surveys/{survey.token}/"


def fields(survey: Survey, single: Any = "1", multiple: Any = ("0", "2"), scale: Any = "4",
           text: Any = "近くに集まれる場所がほしい。") -> dict[str, Any]:  # fmt: skip
    q = list(survey.questions.all())
    return {f"q{q[0].pk}": single, f"q{q[1].pk}": list(multiple), f"q{q[2].pk}": scale,
            f"q{q[3].pk}": text}  # fmt: skip


def test_the_page_is_in_plain_japanese_and_needs_no_account(client: Client, itabashi: Any) -> None:
    survey = make_survey()
    assert len(survey.token) >= 20 and survey.token != str(survey.pk)
    text = client.get(url(survey)).content.decode()
    assert "暮らしのアンケート" in text and "地域のことを教えてください。" in text
    assert "問1" in text and "あなたの年代は？" in text and "70代" in text
    assert "4（" not in text and "1（感じない）" in text and "5（感じる）" in text
    assert "いくつでも選んでください" in text and "必須" in text
    assert "書かなくてもかまいません" in text
    assert client.get(f"/needs/surveys/{survey.pk}/").status_code == 404  # never by its number


def test_an_answer_is_stored_with_its_channel(client: Client, itabashi: Any) -> None:
    survey = make_survey()
    response = client.post(url(survey), fields(survey))
    assert response.status_code == 302 and response["Location"] == "/needs/surveys/thanks/"
    stored = Response.objects.get()
    assert stored.channel == Channel.WEB and stored.entered_by is None
    values = sorted(
        (a.question.position, a.value, a.text) for a in Answer.objects.select_related("question")
    )
    assert values == [(0, 1, ""), (1, 0, ""), (1, 2, ""), (2, 4, ""),
                      (3, None, "近くに集まれる場所がほしい。")]  # fmt: skip
    thanks = client.get("/needs/surveys/thanks/").content.decode()
    assert "ありがとうございました" in thanks and "暮らしのアンケート" in thanks


def test_an_optional_question_may_be_left_out(client: Client, itabashi: Any) -> None:
    survey = make_survey()
    assert client.post(url(survey), fields(survey, text="")).status_code == 302
    assert Answer.objects.filter(question__kind="text").count() == 0
    assert Response.objects.count() == 1


BAD: list[tuple[str, dict[str, Any], list[str]]] = [
    ("empty", {"single": "", "multiple": (), "scale": ""},
     ["1つ選んでください。", "あてはまるものを選んでください。", "問1", "問2", "問3"]),
    ("blank", {"single": " ", "scale": "  "}, ["1つ選んでください。"]),
    ("choice as a word", {"single": "abc"}, ["選びなおしてください。"]),
    ("choice out of range", {"single": "7"}, ["選びなおしてください。"]),
    ("negative choice", {"single": "-1"}, ["選びなおしてください。"]),
    ("choice as a list", {"single": ["0", "1 OR 1=1"]}, ["選びなおしてください。"]),
    ("unknown multiple", {"multiple": ("0", "99")}, ["選びなおしてください。"]),
    ("scale above 5", {"scale": "6"}, ["選びなおしてください。"]),
    ("scale of 0", {"scale": "0"}, ["選びなおしてください。"]),
    ("scale as a fraction", {"scale": "3.5"}, ["選びなおしてください。"]),
    ("too long", {"text": "あ" * 1001}, ["1000文字までで書いてください（いまは1001文字です）。"]),
    ("script tag", {"text": "<script>alert(1)</script>"}, ["タグ（HTMLなど）は使えません"]),
    ("null character", {"text": "買い物\x00"}, []),
]  # fmt: skip


@pytest.mark.parametrize(("case", "changes", "messages"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_refused_in_japanese_and_nothing_is_stored(
    client: Client, itabashi: Any, case: str, changes: dict, messages: list[str]
) -> None:
    survey = make_survey()
    response = client.post(url(survey), fields(survey, **changes))
    text = response.content.decode()
    assert response.status_code == 200, case
    assert CHECK in text
    for message in messages:
        assert message in text, (case, message)
    assert "<script>alert(1)" not in text
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_an_empty_post_is_refused(client: Client, itabashi: Any) -> None:
    survey = make_survey()
    response = client.post(url(survey))
    assert response.status_code == 200 and CHECK in response.content.decode()
    assert not Response.objects.exists()


def test_a_closed_survey_says_so_and_takes_nothing(client: Client, itabashi: Any) -> None:
    survey = make_survey(status="closed")
    page = client.get(url(survey))
    assert page.status_code == 410 and "締め切りました" in page.content.decode()
    response = client.post(url(survey), fields(survey))
    assert response.status_code == 410 and "回答は受け付けていません" in response.content.decode()
    assert not Response.objects.exists()


def test_a_draft_is_not_found_and_takes_nothing(client: Client, itabashi: Any) -> None:
    survey = make_survey(status="draft")
    page = client.get(url(survey))
    assert page.status_code == 404 and "ページが見つかりません" in page.content.decode()
    assert client.post(url(survey), fields(survey)).status_code == 404
    assert not Response.objects.exists()


def test_unknown_token_and_another_municipality(client: Client, itabashi: Any) -> None:
    survey = make_survey()
    assert client.get("/needs/surveys/not-a-real-token/").status_code == 404
    host = "midori.example.jp"
    assert client.get(url(survey), HTTP_HOST=host).status_code == 404
    assert client.post(url(survey), fields(survey), HTTP_HOST=host).status_code == 404
    theirs = make_survey("minami-jhs", title="みどり町のアンケート")
    assert client.get(url(theirs)).status_code == 404
    assert "みどり町のアンケート" in client.get(url(theirs), HTTP_HOST=host).content.decode()
    assert not Response.objects.exists()


def test_honeypot_and_rate_limit(client: Client, itabashi: Any) -> None:
    survey = make_survey()
    trapped = client.post(url(survey), {**fields(survey), "website": "http://spam.example"})
    assert "送信できませんでした。" in trapped.content.decode()
    assert not Response.objects.exists()
    for _ in range(10):
        assert client.post(url(survey), fields(survey)).status_code == 302
    response = client.post(url(survey), fields(survey))
    assert response.status_code == 429 and "一時的に止めています" in response.content.decode()
    assert Response.objects.count() == 10
    other = make_survey(title="別のアンケート")
    assert client.post(url(other), fields(other)).status_code == 429  # the limit is per sender
    assert Response.objects.count() == 10


def test_thanks_without_an_answer_goes_home(client: Client, itabashi: Any) -> None:
    response = client.get("/needs/surveys/thanks/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_wrong_methods(client: Client, itabashi: Any) -> None:
    survey = make_survey()
    assert client.put(url(survey)).status_code == 405
    assert client.delete(url(survey)).status_code == 405
    assert client.post("/needs/surveys/thanks/").status_code == 405
