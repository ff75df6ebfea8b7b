"""Who sees and does what with questions: the municipality only (another one gets 404), the
block's joint review for its regions only, hiding by the block or the ward with a reason."""

from __future__ import annotations

import pytest
from django.test import Client

from sasaeai.accounts.models import User
from sasaeai.events.tests.builders import make_event

from ..models import AskedQuestion, Question
from .builders import make_answer, make_question

pytestmark = pytest.mark.django_db


def test_another_municipality_gets_404_everywhere(client: Client, users: dict[str, User]) -> None:
    question = make_question(users["sc"])
    written = make_answer(question, users["other_sc"])
    client.force_login(users["other_admin"])
    for path in (f"/staff/knowhow/questions/{question.pk}/",
                 f"/staff/knowhow/questions/{question.pk}/edit/",
                 f"/staff/knowhow/answers/{written.pk}/edit/",
                 "/staff/knowhow/questions/block/takashimadaira/"):  # fmt: skip
        assert client.get(path).status_code == 404, path
    for path in (f"/staff/knowhow/questions/{question.pk}/answer/",
                 f"/staff/knowhow/questions/{question.pk}/hide/",
                 f"/staff/knowhow/answers/{written.pk}/hide/"):  # fmt: skip
        assert client.post(path, {"text": "x", "reason": "x"}).status_code == 404, path
    page = client.get("/staff/knowhow/questions/").content.decode()
    assert "男性の参加者" not in page
    assert question.answers.count() == 1
    client.force_login(users["institution"])  # no VIEW: no know-how at all
    assert client.get(f"/staff/knowhow/questions/{question.pk}/").status_code == 403


def test_a_block_joint_review_is_for_the_block_only(client: Client, users: dict[str, User]) -> None:
    client.force_login(users["block"])
    page = client.get("/staff/knowhow/questions/new/?block=blk-akatsuka").content.decode()
    assert "赤塚ブロックの合同検討（ブロックの地域だけ）" in page
    client.post("/staff/knowhow/questions/new/", {
        "title": "団地の見守りをどう分担する？", "text": "似た団地の課題です。",
        "stars": [Question.CONNECT], "scope": "blk-akatsuka",
    })  # fmt: skip
    question = AskedQuestion.objects.get()
    assert question.block is not None and question.block.code == "blk-akatsuka"
    for who in ("sc", "member", "ward", "admin"):  # the block's regions and the ward above
        client.force_login(users[who])
        assert client.get(f"/staff/knowhow/questions/{question.pk}/").status_code == 200, who
        assert "団地の見守り" in client.get("/staff/knowhow/questions/").content.decode(), who
    client.force_login(users["other_sc"])  # a region of another block
    assert client.get(f"/staff/knowhow/questions/{question.pk}/").status_code == 404
    assert client.post(f"/staff/knowhow/questions/{question.pk}/answer/",
                       {"text": "x"}).status_code == 404  # fmt: skip
    assert "団地の見守り" not in client.get("/staff/knowhow/questions/").content.decode()
    assert "団地の見守り" not in client.get("/staff/knowhow/").content.decode()
    # A region SC cannot open a joint review (the choice is not offered, a forged one is void).
    client.force_login(users["sc"])
    client.post("/staff/knowhow/questions/new/", {
        "title": "ブロックだけに", "text": "x", "stars": [Question.IDEAS], "scope": "blk-akatsuka",
    })  # fmt: skip
    assert not AskedQuestion.objects.filter(title="ブロックだけに", block__isnull=False).exists()


def test_the_joint_review_beside_the_liaison_meeting(
    client: Client, users: dict[str, User]
) -> None:
    meeting = make_event("blk-akatsuka", "block-liaison", title="赤塚ブロック連絡会")
    question = make_question(users["block"], "団地の見守り", block="blk-akatsuka")
    client.force_login(users["sc"])
    page = client.get(f"/staff/events/{meeting.pk}/").content.decode()
    assert 'href="/staff/knowhow/questions/block/blk-akatsuka/"' in page
    page = client.get("/staff/knowhow/questions/block/blk-akatsuka/").content.decode()
    assert "赤塚ブロックの合同検討" in page and "赤塚ブロック連絡会" in page
    assert "団地の見守り" in page and "ブロックに質問する" not in page
    # A region's code leads to its block; another block's region is not on one's line.
    assert client.get("/staff/knowhow/questions/block/takashimadaira/").status_code == 200
    assert client.get("/staff/knowhow/questions/block/itabashi/").status_code == 404
    page = client.get(f"/staff/knowhow/questions/{question.pk}/").content.decode()
    assert "このブロックの連絡会" in page and f"/staff/events/{meeting.pk}/" in page
    client.force_login(users["block"])
    page = client.get("/staff/knowhow/questions/block/blk-akatsuka/").content.decode()
    assert "<h1>赤塚ブロックの合同検討</h1>" in page
    assert 'href="/staff/knowhow/questions/new/?block=blk-akatsuka"' in page
    client.force_login(users["other_sc"])
    assert client.get("/staff/knowhow/questions/block/blk-akatsuka/").status_code == 404


def test_the_block_or_the_ward_hides_with_a_reason(client: Client, users: dict[str, User]) -> None:
    question = make_question(users["sc"], text="不適切な中身")
    written = make_answer(question, users["other_sc"], "不適切な回答")
    client.force_login(users["other_sc"])  # an SC: may not hide
    assert client.post(f"/staff/knowhow/questions/{question.pk}/hide/",
                       {"reason": "x"}).status_code == 403  # fmt: skip
    assert client.post(f"/staff/knowhow/answers/{written.pk}/hide/",
                       {"reason": "x"}).status_code == 403  # fmt: skip
    client.force_login(users["block"])
    response = client.post(f"/staff/knowhow/answers/{written.pk}/hide/", {"reason": " "})
    assert "非表示にする理由を書いてください。" in client.get(response["Location"]).content.decode()
    written.refresh_from_db()
    assert not written.is_hidden
    client.post(f"/staff/knowhow/answers/{written.pk}/hide/", {"reason": "個人名が書かれていた"})
    written.refresh_from_db()
    question.refresh_from_db()
    assert written.is_hidden and question.answer_count == 0
    client.force_login(users["ward"])
    client.post(f"/staff/knowhow/questions/{question.pk}/hide/", {"reason": "宣伝のため"})
    client.force_login(users["member"])
    page = client.get(f"/staff/knowhow/questions/{question.pk}/").content.decode()
    assert "この質問は非表示になりました。" in page and "宣伝のため" in page
    assert "不適切な中身" not in page and "不適切な回答" not in page and "回答する" not in page
    assert "男性の参加者" not in client.get("/staff/knowhow/questions/").content.decode()
    assert client.post(f"/staff/knowhow/questions/{question.pk}/answer/",
                       {"text": "まだ答える"}).status_code == 400  # fmt: skip
    assert question.answers.count() == 1
