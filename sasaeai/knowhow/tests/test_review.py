"""Send for review → the block or the ward publishes it, or returns it with a comment."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sasaeai.accounts.models import User

from ..models import Audience, CaseStatus, Notice
from .builders import make_case

pytestmark = pytest.mark.django_db


def test_sent_then_published_by_the_block(client: Client, users: dict[str, User]) -> None:
    case = make_case(by=users["sc"], audience=Audience.PUBLIC)
    client.force_login(users["sc"])
    response = client.post(f"/staff/knowhow/cases/{case.pk}/send/")
    case.refresh_from_db()
    assert case.status == CaseStatus.REVIEW
    assert "確認をお願いしました。" in client.get(response["Location"]).content.decode()
    told = set(Notice.objects.filter(case=case).values_list("user__email", flat=True))
    assert {"block@example.jp", "ward@example.jp"} <= told and "sc@example.jp" not in told
    # The writer may not publish their own case; the public does not see it yet.
    assert client.post(f"/staff/knowhow/cases/{case.pk}/approve/").status_code == 403
    assert Client().get(f"/knowhow/{case.pk}/").status_code == 404
    client.force_login(users["block"])
    page = client.get(f"/staff/knowhow/cases/{case.pk}/").content.decode()
    assert "承認して公開する" in page
    client.post(f"/staff/knowhow/cases/{case.pk}/approve/")
    case.refresh_from_db()
    assert case.status == CaseStatus.PUBLISHED and case.published_at is not None
    assert Notice.objects.filter(case=case, user=users["sc"]).exists()
    assert Client().get(f"/knowhow/{case.pk}/").status_code == 200


def test_returned_with_a_comment(client: Client, users: dict[str, User]) -> None:
    case = make_case(by=users["sc"], status=CaseStatus.REVIEW)
    client.force_login(users["ward"])
    response = client.post(f"/staff/knowhow/cases/{case.pk}/send-back/", {"text": " "})
    assert "直してほしいことを書いてください" in client.get(response["Location"]).content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.REVIEW
    client.post(f"/staff/knowhow/cases/{case.pk}/send-back/", {"text": "数字を足してください"})
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT
    client.force_login(users["sc"])
    page = client.get(f"/staff/knowhow/cases/{case.pk}/").content.decode()
    assert "数字を足してください" in page and "確認をお願いする" in page


def test_in_review_it_cannot_be_changed(client: Client, users: dict[str, User]) -> None:
    case = make_case(by=users["sc"], status=CaseStatus.REVIEW)
    client.force_login(users["sc"])
    response = client.get(f"/staff/knowhow/cases/{case.pk}/edit/")
    assert response.status_code == 302
    assert "差し戻しを待ってください" in client.get(response["Location"]).content.decode()


def test_another_block_cannot_review(client: Client, users: dict[str, User]) -> None:
    case = make_case("itabashi", by=users["other_sc"], status=CaseStatus.REVIEW)
    client.force_login(users["block"])  # 赤塚 block; 板橋 is in another block
    assert client.post(f"/staff/knowhow/cases/{case.pk}/approve/").status_code == 404
    client.force_login(users["other_sc"])
    assert client.post(f"/staff/knowhow/cases/{case.pk}/approve/").status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.REVIEW


def test_a_published_case_changed_by_its_writer_goes_back_to_review(
    client: Client, users: dict[str, User]
) -> None:
    from .test_case_edit import form

    case = make_case(by=users["sc"], status=CaseStatus.PUBLISHED, audience=Audience.PUBLIC)
    client.force_login(users["sc"])
    page = client.get(f"/staff/knowhow/cases/{case.pk}/edit/").content.decode()
    assert "保存すると下書きに戻り" in page
    client.post(f"/staff/knowhow/cases/{case.pk}/edit/", form(audience="public"))
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT
    assert Client().get(f"/knowhow/{case.pk}/").status_code == 404
    # Its reviewer corrects it where it stands.
    make_case(by=users["sc"], status=CaseStatus.PUBLISHED)
    other = make_case(by=users["sc"], status=CaseStatus.PUBLISHED, title="直す前")
    client.force_login(users["block"])
    data: dict[str, Any] = form(title="直した後")
    client.post(f"/staff/knowhow/cases/{other.pk}/edit/", data)
    other.refresh_from_db()
    assert other.status == CaseStatus.PUBLISHED and other.title == "直した後"
