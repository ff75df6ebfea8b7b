"""Re-sending a returned referral: the sender corrects it and sends it again, perhaps to
another institution; the history keeps both steps; the institution that returned it stops
seeing it once it has gone elsewhere."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from sasaeai.accounts.models import Role
from sasaeai.audit.models import Action, AuditEntry
from sasaeai.referrals.models import Notice, Referral, Status
from sasaeai.test import area, make_user, run_tasks

from .builders import PERSON, consent, link_staff, make_institution, make_referral

pytestmark = pytest.mark.django_db
BASE = "/staff/referrals/"


@pytest.fixture
def case(users: dict) -> dict:
    first = make_institution()
    second = make_institution("赤塚地域リハビリ支援センター", covers=("blk-akatsuka",),
                              kind="rehabilitation")  # fmt: skip
    link_staff(users["institution"], first)
    users["rehab"] = make_user("rehab@example.jp", Role.INSTITUTION_STAFF, "narimasu")
    link_staff(users["rehab"], second)
    referral = make_referral(first, by=users["sc"], status=Status.RETURNED)
    return {"first": first, "second": second, "referral": referral}


def form(case: dict, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "area": area("takashimadaira").pk, "institution": case["second"].pk,
        "problem_kind": "housing", "person_name": PERSON, "person_contact": "03-0000-1234",
        "problem": "階段の上り下りが難しい。", "note": "住まいの改修の相談をお願いします。",
        **{k: str(v) for k, v in consent().items()},
    }  # fmt: skip
    data.update(changes)
    return data


def test_sender_sees_the_reason_and_resends_elsewhere(
    client: Client, users: dict, case: dict, django_capture_on_commit_callbacks: Any
) -> None:
    referral = case["referral"]
    client.force_login(users["sc"])
    detail = client.get(f"{BASE}{referral.pk}/").content.decode()
    assert "直して送り直す" in detail
    page = client.get(f"{BASE}{referral.pk}/resend/").content.decode()
    assert "理由" in page  # the return's note, written by make_referral
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}{referral.pk}/resend/", form(case))
    assert response.status_code == 302
    run_tasks()
    referral.refresh_from_db()
    assert referral.status == Status.SENT and referral.institution == case["second"]
    assert referral.finished_at is None and referral.problem_kind == "housing"
    steps = [e.status for e in referral.events.all()]
    assert steps == [Status.DRAFT, Status.SENT, Status.RETURNED, Status.SENT]
    last = referral.events.last()
    assert last is not None and "前の送り先: おとしより相談センター高島平" in last.note
    assert "住まいの改修" in last.note
    assert [m.to for m in mail.outbox] == [["rehab@example.jp"]]
    assert PERSON not in mail.outbox[0].body


def test_the_returning_institution_no_longer_sees_it(
    client: Client, users: dict, case: dict
) -> None:
    referral = case["referral"]
    Notice.objects.create(user=users["institution"], referral=referral)
    client.force_login(users["sc"])
    client.post(f"{BASE}{referral.pk}/resend/", form(case))
    client.force_login(users["institution"])
    assert client.get(f"{BASE}{referral.pk}/").status_code == 404
    assert AuditEntry.objects.filter(action=Action.DENIED, actor="institution@example.jp")
    assert not Notice.objects.filter(user=users["institution"]).exists()
    client.force_login(users["rehab"])
    response = client.get(f"{BASE}{referral.pk}/")
    assert response.status_code == 200 and PERSON in response.content.decode()
    # The new institution can answer it.
    assert client.post(f"{BASE}{referral.pk}/answer/", {"to": "received"}).status_code == 302


def test_resending_to_the_same_institution_keeps_it_there(
    client: Client, users: dict, case: dict
) -> None:
    referral = case["referral"]
    client.force_login(users["sc"])
    client.post(f"{BASE}{referral.pk}/resend/", form(case, institution=case["first"].pk))
    client.force_login(users["institution"])
    assert client.get(f"{BASE}{referral.pk}/").status_code == 200
    assert Referral.objects.get(pk=referral.pk).status == Status.SENT


def test_missing_consent_changes_nothing(client: Client, users: dict, case: dict) -> None:
    referral = case["referral"]
    client.force_login(users["sc"])
    response = client.post(f"{BASE}{referral.pk}/resend/", form(case, consent_purpose=""))
    assert response.status_code == 400
    assert "ご本人の同意が記録されていないため送れません" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.RETURNED and referral.institution == case["first"]
    assert referral.problem_kind == "other"


def test_only_returned_referrals_can_be_resent(client: Client, users: dict, case: dict) -> None:
    sent = make_referral(case["first"], by=users["sc"], status=Status.SENT)
    client.force_login(users["sc"])
    response = client.post(f"{BASE}{sent.pk}/resend/", form(case), follow=True)
    assert "差し戻されたつなぎだけを送り直せます" in response.content.decode()
    sent.refresh_from_db()
    assert sent.institution == case["first"]
