"""lib.history.Step.record: who took a step is kept by name; a step without a signed-in user
is the system's, or whoever the history names for it (a need's: the residents' form)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from sasaeai.needs.models import NeedEvent
from sasaeai.needs.tests.builders import make_need
from sasaeai.support.models import RequestEvent, Status
from sasaeai.support.tests.builders import make_request

pytestmark = pytest.mark.django_db


def test_a_step_keeps_who_took_it_and_a_trimmed_note(users: dict) -> None:
    req = make_request(by=users["sc"])
    step = RequestEvent.record(request=req, status=Status.ACCEPTED, by=users["ward"],
                               note="  引き受けます。\n")  # fmt: skip
    step.refresh_from_db()
    assert (step.by, step.by_name, step.note) == (
        users["ward"],
        str(users["ward"]),
        "引き受けます。",
    )
    users["ward"].delete()
    step.refresh_from_db()
    assert step.by is None and step.by_name  # the history still says who


def test_nobody_signed_in_is_the_system_or_the_historys_own_name(users: dict) -> None:
    req = make_request(by=users["sc"])
    for nobody in (None, AnonymousUser()):
        step = RequestEvent.record(request=req, status=Status.DONE, by=nobody)
        assert step.by is None and step.by_name == "システム"
    need = make_need()
    moved = NeedEvent.record(need=need, action="moved", status=need.status, by=None)
    assert moved.by_name == "住民（受付フォーム）"
