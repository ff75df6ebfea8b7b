"""An organiser's correction (issue 30) reaches the region's SC as a proposal to review,
naming what changed; the listing itself changes only when the SC acts."""

from __future__ import annotations

import pytest
from django.test import Client

from sasaeai.directory.models import Answer, Proposal, ProposalKind, ProposalStatus
from sasaeai.directory.tests.builders import make_activity

from .confirm_builders import make_request

pytestmark = pytest.mark.django_db


def test_a_correction_reaches_the_sc_review_showing_what_changed(
    client: Client, users: dict
) -> None:
    salon = make_activity("高島平ひだまりサロン", fee="100円")
    request, code = make_request(salon)
    form = client.get(f"/confirm/{code}/correct/").content.decode()
    assert "100円" in form and "続けています" in form  # the fields start as listed

    organiser = Client()
    response = organiser.post(
        f"/confirm/{code}/correct/",
        {"state": "paused", "schedule": "毎週水曜 14:00〜16:00",
         "place": "高島平ひだまりサロンの会場（板橋区）",
         "fee": "200円", "contact": "", "note": "夏のあいだは休みます", "reply_to": "03-0000-1111"},
        follow=True,
    )  # fmt: skip
    assert "コーディネーターに届けました" in response.content.decode()
    proposal = Proposal.objects.get()
    assert proposal.kind == ProposalKind.CORRECTION and proposal.activity == salon
    assert proposal.status == ProposalStatus.OPEN and proposal.area == salon.area
    assert "【参加費】いま: 100円 → 正しくは: 200円" in proposal.details
    assert (
        "いまはお休みしています" in proposal.details and "夏のあいだは休みます" in proposal.details
    )
    assert "いつ" not in proposal.details  # unchanged fields are not named
    request.refresh_from_db()
    assert request.answer == Answer.CORRECTED and request.proposal == proposal
    salon.refresh_from_db()
    assert salon.fee == "100円" and salon.status == "published"  # until the SC acts

    client.force_login(users["sc"])
    review = client.get("/staff/activities/proposals/").content.decode()
    assert "高島平ひだまりサロン" in review and "正しくは: 200円" in review
    batch = client.get(f"/staff/confirm/batches/{request.batch_id}/").content.decode()
    assert "訂正あり" in batch and "200円" in batch


def test_a_correction_that_changes_nothing_is_refused(client: Client, users: dict) -> None:
    salon = make_activity("高島平ひだまりサロン", fee="100円")
    request, code = make_request(salon)
    initial = client.get(f"/confirm/{code}/correct/").context["form"].initial
    page = client.post(f"/confirm/{code}/correct/", {**initial, "note": ""})
    assert page.status_code == 200
    assert "変わったところがありません" in page.content.decode()
    page = client.post(f"/confirm/{code}/correct/", {**initial, "fee": "<b>無料</b>"})
    assert "タグ" in page.content.decode()
    assert not Proposal.objects.exists()
    request.refresh_from_db()
    assert request.answer == Answer.NONE
