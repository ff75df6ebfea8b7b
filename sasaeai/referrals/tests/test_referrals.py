"""Referral workflows through the pages: open from a need, consent before sending, the
institution's answers, notifications without personal data, delete now, disclosure."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from sasaeai.lib import links
from sasaeai.needs.tests.builders import make_need
from sasaeai.referrals import services
from sasaeai.referrals.models import Notice, Outcome, Referral, Status
from sasaeai.test import area, run_tasks

from .builders import PERSON, consent, link_staff, make_institution, make_referral

pytestmark = pytest.mark.django_db
BASE = "/staff/referrals/"


@pytest.fixture
def houkatsu(users: dict) -> Any:
    institution = make_institution()
    link_staff(users["institution"], institution)
    return institution


def form_data(institution: Any, **extra: Any) -> dict[str, Any]:
    return {
        "area": area("takashimadaira").pk, "institution": institution.pk,
        "problem_kind": "dementia", "person_name": PERSON, "person_contact": "03-0000-1234",
        "problem": "物忘れが増え、一人暮らしが心配。", "tried": "サロンに誘った。", **extra,
    }  # fmt: skip


def test_sc_opens_a_referral_from_a_need(client: Client, users: dict, houkatsu: Any) -> None:
    need = make_need()
    client.force_login(users["sc"])
    page = client.get(BASE + f"new/?need={need.pk}")
    assert page.status_code == 200 and need.number in page.content.decode()
    response = client.post(BASE + "new/", {**form_data(houkatsu), "need": need.pk})
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{BASE}{referral.pk}/"
    assert referral.need == need and referral.status == Status.DRAFT
    assert referral.created_by == users["sc"] and PERSON not in response["Location"]


def test_cannot_send_without_consent(client: Client, users: dict, houkatsu: Any) -> None:
    referral = make_referral(houkatsu, by=users["sc"])
    client.force_login(users["sc"])
    page = client.get(BASE + f"{referral.pk}/").content.decode()
    assert "まだ送れません" in page
    response = client.post(BASE + f"{referral.pk}/send/", follow=True)
    assert "同意が記録されていないため送れません" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.DRAFT and not mail.outbox
    # Verbal consent needs a witness.
    with pytest.raises(ValidationError):
        referral.consent_by, referral.consent_method = "person", "verbal"
        referral.consent_on, referral.consent_purpose = consent()["consent_on"], "相談のため"
        services.send(referral, by=users["sc"])
    # And the database refuses a sent referral without consent, whatever the code does.
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(status=Status.SENT, consent_on=None)


def test_send_answer_close_and_notifications(
    client: Client, users: dict, houkatsu: Any, django_capture_on_commit_callbacks: Any
) -> None:
    referral = make_referral(houkatsu, by=users["sc"], **consent())
    client.force_login(users["sc"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(BASE + f"{referral.pk}/send/", {"note": "よろしくお願いします"})
    assert response.status_code == 302
    assert mail.outbox == [] and run_tasks() == 1  # the worker sends the mail
    referral.refresh_from_db()
    assert referral.status == Status.SENT and referral.sent_at is not None
    client.force_login(users["institution"])
    steps = [
        {"to": "received"},
        {"to": "in_progress", "note": "訪問の予定を調整中"},
        {"to": "closed", "outcome": Outcome.SERVICE, "note": "要介護認定を申請"},
    ]
    for step in steps:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(BASE + f"{referral.pk}/answer/", step)
        assert response.status_code == 302
        run_tasks()
    referral.refresh_from_db()
    assert referral.status == Status.CLOSED and referral.outcome == Outcome.SERVICE
    assert [e.status for e in referral.events.all()] == [
        "draft",
        "sent",
        "received",
        "in_progress",
        "closed",
    ]
    assert referral.events.last().by == users["institution"]  # type: ignore[union-attr]
    # The institution was told once (sent), the sender three times; in-app and by mail.
    assert Notice.objects.filter(user=users["sc"], read_at__isnull=True).count() == 3
    assert [m.to for m in mail.outbox] == [["institution@example.jp"]] + [["sc@example.jp"]] * 3
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}"
        for secret in (PERSON, "03-0000-1234", "物忘れ", "要介護", "訪問", "介護の相談"):
            assert secret not in text
        assert links.absolute(f"{BASE}{referral.pk}/", referral.municipality) in message.body
    client.force_login(users["sc"])
    assert "お知らせあり" in client.get(BASE).content.decode()
    client.get(BASE + f"{referral.pk}/")
    assert not Notice.objects.filter(user=users["sc"], read_at__isnull=True).exists()


def test_return_needs_a_reason(client: Client, users: dict, houkatsu: Any) -> None:
    referral = make_referral(houkatsu, by=users["sc"], status=Status.SENT)
    client.force_login(users["institution"])
    response = client.post(BASE + f"{referral.pk}/answer/", {"to": "returned"})
    assert response.status_code == 400 and "差し戻す理由" in response.content.decode()
    client.post(BASE + f"{referral.pk}/answer/", {"to": "returned", "note": "担当地域外のため"})
    referral.refresh_from_db()
    assert referral.status == Status.RETURNED and referral.finished_at is not None


def test_institution_never_sees_drafts_nor_edits(
    client: Client, users: dict, houkatsu: Any
) -> None:
    referral = make_referral(houkatsu, by=users["sc"], status=Status.SENT)
    client.force_login(users["institution"])
    page = client.get(BASE + f"{referral.pk}/").content.decode()
    assert PERSON in page and "内容を編集する" not in page and "閲覧の記録" not in page
    assert "機関からの回答を記録する" in page


def test_delete_now_keeps_only_anonymous_facts(
    client: Client, users: dict, houkatsu: Any, django_capture_on_commit_callbacks: Any
) -> None:
    referral = make_referral(houkatsu, by=users["sc"], status=Status.IN_PROGRESS,
                             person_address="高島平九丁目", tried="見守りを続けた")  # fmt: skip
    mail.outbox.clear()
    client.force_login(users["sc"])
    assert client.post(BASE + f"{referral.pk}/erase/").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(BASE + f"{referral.pk}/erase/", {"confirm": "on"})
    assert response.status_code == 302
    run_tasks()
    referral.refresh_from_db()
    assert referral.is_anonymised and referral.consent_withdrawn
    assert referral.status == Status.CLOSED and referral.outcome == Outcome.WITHDRAWN
    assert PERSON not in referral.person_name and not referral.person_contact
    assert not referral.person_address and not referral.tried
    assert all(
        e.note in ("", "ご本人の同意の撤回により、個人情報を削除しました。")
        for e in referral.events.all()
    )
    assert referral.area.code == "takashimadaira" and referral.problem_kind
    assert [m.to for m in mail.outbox] == [["institution@example.jp"]]


def test_disclosure_record_lists_who_read(client: Client, users: dict, houkatsu: Any) -> None:
    referral = make_referral(houkatsu, by=users["sc"], status=Status.SENT)
    client.force_login(users["institution"])
    client.get(BASE + f"{referral.pk}/")
    client.force_login(users["sc"])
    page = client.get(BASE + f"{referral.pk}/disclosure/").content.decode()
    assert "institution@example.jp" in page and "閲覧" in page and "127.0.0.1" in page
    assert PERSON not in page


def test_print_page(client: Client, users: dict, houkatsu: Any) -> None:
    referral = make_referral(houkatsu, by=users["sc"], status=Status.SENT)
    client.force_login(users["sc"])
    page = client.get(BASE + f"{referral.pk}/print/").content.decode()
    assert PERSON in page and "取扱注意" in page


def test_staff_see_institutions_of_their_region_first(
    client: Client, users: dict, houkatsu: Any
) -> None:
    make_institution("あいうえお成増センター", covers=("narimasu",))
    client.force_login(users["sc"])
    page = client.get(BASE + "institutions/").content.decode()
    assert page.index("おとしより相談センター高島平") < page.index("あいうえお成増センター")
    form = client.get(BASE + "new/").content.decode()
    assert form.index("おとしより相談センター高島平") < form.index("あいうえお成増センター")
