"""Demo data of the organisers' network (つながる): in every region about a third of the
running activities' organisers have agreed to join; the 高島平 SC has written to them once."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from sasaeai.accounts.models import User
from sasaeai.areas.models import Area

from . import network
from .models import Activity, NetworkMember, NetworkRecipient

DEMO_MESSAGE = (
    "高島平地域の活動者のみなさま\n\n"
    "いつもありがとうございます。6月の活動者連絡会は、6月18日（水）14時から"
    "高島平地域センターで開きます。それぞれの活動の近況や、困っていることを"
    "持ち寄りましょう。ご都合の悪い方は、このページの一覧から近くの方に声をかけてみてください。\n\n"
    "生活支援コーディネーター（例）"
)


def build_network(municipality: Area, seed: int, today: dt.date | None = None) -> int:
    """Join about a third of each region's running activities (some with an e-mail address,
    all `example.jp`) and send 高島平's network one message; return how many joined. Does
    nothing when the municipality has a network already."""
    activities = Activity.objects.of(municipality).live().select_related("area")
    if NetworkMember.objects.filter(activity__municipality=municipality).exists():
        return 0
    rng = random.Random(seed + 25)
    today = today or timezone.localdate()
    sc = User.objects.filter(email="sc@demo.sasaeai.jp").first()
    ward = User.objects.filter(email="ward@demo.sasaeai.jp").first()
    joined = 0
    with transaction.atomic():
        for activity in activities.order_by("pk"):
            if not network.may_join(activity) or rng.random() > 0.33:
                continue
            if rng.random() < 0.5:
                activity.contact_email = f"katsudo{activity.pk}@example.jp"
                Activity.objects.filter(pk=activity.pk).update(contact_email=activity.contact_email)
            by = sc if activity.area.code == "takashimadaira" else ward
            network.join(activity, today - dt.timedelta(days=rng.randint(7, 200)), by)
            joined += 1
        region = Area.objects.filter(municipality=municipality, code="takashimadaira").first()
        if region is not None:
            _message(region, sc, rng)
    return joined


def _message(region: Area, sc: User | None, rng: random.Random) -> None:
    """One message to the whole network, as if the worker had mailed it and some had read it."""
    chosen = list(network.members(region))
    if not chosen:
        return
    sent = network.send(region, DEMO_MESSAGE, chosen, sc)
    now = timezone.now()
    for recipient in NetworkRecipient.objects.filter(message=sent.message).select_related(
        "member__activity"
    ):
        recipient.mailed_at = now if recipient.member.activity.contact_email else None
        recipient.opened_at = now if rng.random() < 0.4 else None
        recipient.save(update_fields=["mailed_at", "opened_at"])
