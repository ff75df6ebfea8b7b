"""The demo's organisers' network: members in every region, one message in 高島平."""

from __future__ import annotations

from typing import Any

import pytest

from sasaeai.directory.demo import build_activities
from sasaeai.directory.models import NetworkMember, NetworkMessage
from sasaeai.directory.network_demo import build_network

pytestmark = pytest.mark.django_db


def test_the_demo_network(itabashi: Any) -> None:
    build_activities(itabashi, 7)
    joined = build_network(itabashi, 7)
    assert joined == NetworkMember.objects.count() > 18
    message = NetworkMessage.objects.get()
    assert message.area.code == "takashimadaira" and message.recipients.count() > 1
    assert build_network(itabashi, 7) == 0  # once only
