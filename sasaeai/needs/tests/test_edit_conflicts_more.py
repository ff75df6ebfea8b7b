"""Two staff correct the same helper (担い手), or the same peer call (仲間募集), at once: the
second to save is told, nothing of theirs is written, and a second press after looking saves
(lib/optimistic.py)."""

from __future__ import annotations

import pytest

from sasaeai.directory.tests.builders import make_activity
from sasaeai.lib.tests.conflicts import second_saver_is_told
from sasaeai.needs.models import Helper, PeerCall

from .builders import make_helper

pytestmark = pytest.mark.django_db


def test_the_second_saver_of_a_helper_is_told(users: dict) -> None:
    helper = make_helper(what="電球の交換ができます。", consent_how="spoken")
    second_saver_is_told(
        f"/staff/needs/helpers/{helper.pk}/edit/", (users["sc"], users["block"]), "what",
        ("月に2回、買い物に付き添えます。", "庭の草取りを手伝えます。"),
        lambda: Helper.objects.get(pk=helper.pk).what,
    )  # fmt: skip


def test_the_second_saver_of_a_peer_call_is_told(users: dict) -> None:
    activity = make_activity("高島平買い物クラブ", kinds=("shopping",))
    call = PeerCall.objects.create(activity=activity, looking_for="helpers", what="運転できる方")
    second_saver_is_told(
        f"/staff/needs/peers/{call.pk}/edit/", (users["sc"], users["block"]), "what",
        ("車の運転ができる方", "お茶の準備を手伝ってくれる方"),
        lambda: PeerCall.objects.get(pk=call.pk).what,
    )  # fmt: skip
