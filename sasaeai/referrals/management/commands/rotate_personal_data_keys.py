from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from sasaeai.referrals.models import Referral, ReferralEvent
from sasaeai.referrals.services import PERSONAL_FIELDS


class Command(BaseCommand):
    help = "個人情報を、SASAEAI_PERSONAL_DATA_KEYS の先頭（最新）の鍵で暗号化しなおします。"

    def handle(self, *args: Any, **options: Any) -> None:
        # Loading decrypts with any key; saving encrypts with the newest.
        count = 0
        with transaction.atomic():
            for referral in Referral.objects.iterator(chunk_size=500):
                Referral.objects.filter(pk=referral.pk).update(
                    **{name: getattr(referral, name) for name in PERSONAL_FIELDS}
                )
                count += 1
            for event in ReferralEvent.objects.iterator(chunk_size=500):
                ReferralEvent.objects.filter(pk=event.pk).update(note=event.note)
        self.stdout.write(f"re-encrypted {count} referrals")
