"""Small builders for the organisers' network (directory/network.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sasaeai.directory import network
from sasaeai.directory.models import Activity, NetworkMember, NetworkRecipient
from sasaeai.directory.tests.builders import make_activity


def make_member(
    name: str,
    area_code: str = "takashimadaira",
    *,
    contact_name: str = "山田 花子",
    contact_phone: str = "03-1234-5678",
    contact_email: str = "",
    by: Any = None,
    **fields: Any,
) -> NetworkMember:
    """An activity with a contact, in its region's network."""
    activity = make_activity(
        name, area_code, contact_name=contact_name, contact_phone=contact_phone,
        contact_email=contact_email, **fields,
    )  # fmt: skip
    return network.join(activity, dt.date(2026, 4, 1), by)


def network_objects(activity: Activity, by: Any, mark: str) -> dict[str, Any]:
    """For the URL sweep: the activity's organiser in the network, and a message to them."""
    member = network.join(activity, dt.date(2026, 4, 1), by)
    region = network.region_for(activity)
    assert region is not None
    sent = network.send(region, f"{mark} 連絡会のお知らせ", [member], by)
    recipient = NetworkRecipient.objects.get(message=sent.message)
    return {"network_member": member, "network_message": sent.message, "network_token": recipient}
