"""Asking, answering with a case, marking the answer that helped (one, changeable), and being
told of new questions and answers in the tags one follows (in-app, and a mail without the
words, through the task worker)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from sasaeai.accounts.models import User
from sasaeai.audit.models import AuditEntry
from sasaeai.test import area, run_tasks

from ..models import Answer, AskedQuestion, CaseStatus, Follow, Question, QuestionNotice
from ..services import ensure_themes
from .builders import make_answer, make_case, make_question

pytestmark = pytest.mark.django_db
ASK = {"title": "男性の参加者を増やすには？", "text": "体操教室が女性ばかりです。",
       "stars": [Question.MORE_MEMBERS]}  # fmt: skip


def test_a_council_member_asks_and_bad_input_changes_nothing(
    client: Client, users: dict[str, User]
) -> None:
    client.force_login(users["member"])
    page = client.get("/staff/knowhow/questions/new/").content.decode()
    assert "質問の題名" in page and "合同検討" not in page  # not a block SC
    bad = client.post("/staff/knowhow/questions/new/",
                      {"title": " ", "text": "<b>x</b>", "stars": []})  # fmt: skip
    text = bad.content.decode()
    assert bad.status_code == 200 and "題名を書いてください。" in text
    assert "★の問いを1つ以上選んでください。" in text and not AskedQuestion.objects.exists()
    response = client.post("/staff/knowhow/questions/new/", ASK)
    question = AskedQuestion.objects.get()
    assert response["Location"] == f"/staff/knowhow/questions/{question.pk}/"
    assert question.area.code == "takashimadaira" and question.block is None
    page = client.get(response["Location"]).content.decode()
    assert "質問しました。" in page and "体操教室が女性ばかりです。" in page
    assert "★ もっと参加者（仲間）を増やすにはどうする？" in page


def test_an_answer_cites_a_case_and_the_asker_marks_it(
    client: Client, users: dict[str, User]
) -> None:
    case = make_case("itabashi", "将棋の会から体操へ", by=users["ward"],
                     status=CaseStatus.PUBLISHED)  # fmt: skip
    question = make_question(users["sc"])
    client.force_login(users["other_sc"])
    page = client.get(f"/staff/knowhow/questions/{question.pk}/").content.decode()
    assert "回答する" in page and "将棋の会から体操へ（板橋）" in page
    empty = client.post(f"/staff/knowhow/questions/{question.pk}/answer/", {"text": ""})
    assert empty.status_code == 400 and "回答を書いてください。" in empty.content.decode()
    client.post(f"/staff/knowhow/questions/{question.pk}/answer/",
                {"text": "将棋の会のあとに体操をしています。", "cases": [case.pk]})  # fmt: skip
    first = Answer.objects.get()
    second = make_answer(question, users["member"], "散歩の会をつくりました。")
    assert first.area.code == "itabashi"
    # Both sides show the link.
    page = client.get(f"/staff/knowhow/questions/{question.pk}/").content.decode()
    assert f'href="/staff/knowhow/cases/{case.pk}/"' in page and "紹介された事例" in page
    page = client.get(f"/staff/knowhow/cases/{case.pk}/").content.decode()
    assert "この事例を紹介している質問" in page and "男性の参加者を増やすには？" in page
    # Only the asker marks; one answer at a time, changeable.
    url = f"/staff/knowhow/questions/{question.pk}/helpful/"
    assert client.post(url, {"answer": first.pk}).status_code == 403
    client.force_login(users["sc"])
    client.post(url, {"answer": first.pk})
    question.refresh_from_db()
    assert question.helpful_answer == first
    page = client.get(f"/staff/knowhow/questions/{question.pk}/").content.decode()
    assert "「役に立った回答」にしました。" in page
    assert page.index("役に立った回答</span>") < page.index("散歩の会をつくりました。")
    client.post(url, {"answer": second.pk})
    question.refresh_from_db()
    assert question.helpful_answer == second
    other = make_question(users["sc"], "別の質問")
    foreign = make_answer(other, users["ward"])
    client.post(url, {"answer": foreign.pk})  # an answer of another question: refused
    client.post(url, {"answer": "x"})
    question.refresh_from_db()
    assert question.helpful_answer == second
    client.post(url, {})
    question.refresh_from_db()
    assert question.helpful_answer is None


def test_followers_are_told_without_the_words(
    client: Client, users: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    themes = {t.name: t for t in ensure_themes(area("131199"))}
    client.force_login(users["other_sc"])
    page = client.get("/staff/knowhow/questions/follow/").content.decode()
    assert "お知らせを受けるテーマ" in page and "担い手" in page
    client.post("/staff/knowhow/questions/follow/",
                {"stars": [Question.MORE_MEMBERS], "themes": [themes["担い手"].pk]})  # fmt: skip
    assert set(Follow.objects.values_list("tag", flat=True)) == {
        "star:more_members", f"theme:{themes['担い手'].pk}"}  # fmt: skip
    client.force_login(users["block"])
    client.post("/staff/knowhow/questions/follow/", {"stars": [Question.SPREAD]})
    with django_capture_on_commit_callbacks(execute=True):
        question = make_question(users["sc"], text="ひみつの中身", themes=[themes["担い手"]])
    run_tasks()
    assert [m.to for m in mail.outbox] == [["other_sc@example.jp"]]  # not the block: SPREAD
    message = mail.outbox[0]
    assert "新しい質問" in message.subject and f"/staff/knowhow/questions/{question.pk}/" in (
        message.body
    )
    assert "ひみつの中身" not in message.body and "男性の参加者" not in message.body
    notice = QuestionNotice.objects.get(user=users["other_sc"])
    client.force_login(users["other_sc"])
    client.get(f"/staff/knowhow/questions/{question.pk}/")
    notice.refresh_from_db()
    assert notice.is_read
    # An answer: the asker hears of it, and the followers; not who answered.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_answer(question, users["other_sc"], "こたえのひみつ")
    run_tasks()
    assert [m.to for m in mail.outbox] == [["sc@example.jp"]]
    assert "こたえのひみつ" not in mail.outbox[0].body and "回答" in mail.outbox[0].subject
    # Unfollowing everything.
    client.post("/staff/knowhow/questions/follow/", {})
    assert not Follow.objects.filter(user=users["other_sc"]).exists()


def test_own_words_are_edited_and_deleted_and_audited(
    client: Client, users: dict[str, User]
) -> None:
    question = make_question(users["sc"])
    written = make_answer(question, users["other_sc"])
    client.force_login(users["other_sc"])  # not the asker
    assert client.get(f"/staff/knowhow/questions/{question.pk}/edit/").status_code == 403
    assert client.post(f"/staff/knowhow/questions/{question.pk}/delete/").status_code == 403
    response = client.post(f"/staff/knowhow/answers/{written.pk}/edit/", {"text": "書き直した"})
    assert response.status_code == 302
    written.refresh_from_db()
    assert written.text == "書き直した" and written.edited_at is not None
    client.force_login(users["sc"])
    assert client.post(f"/staff/knowhow/answers/{written.pk}/delete/").status_code == 403
    edit = {**ASK, "title": "書き直した質問"}
    client.post(f"/staff/knowhow/questions/{question.pk}/edit/", edit)
    question.refresh_from_db()
    assert question.title == "書き直した質問" and question.edited_at is not None
    page = client.get(f"/staff/knowhow/questions/{question.pk}/delete/").content.decode()
    assert "元には戻せません" in page
    client.post(f"/staff/knowhow/questions/{question.pk}/delete/")
    assert not AskedQuestion.objects.exists() and not Answer.objects.exists()
    logged = set(AuditEntry.objects.filter(model__startswith="knowhow.")
                 .values_list("model", "action"))  # fmt: skip
    assert {("knowhow.AskedQuestion", "update"), ("knowhow.AskedQuestion", "delete"),
            ("knowhow.Answer", "update"), ("knowhow.Answer", "delete")} <= logged  # fmt: skip
