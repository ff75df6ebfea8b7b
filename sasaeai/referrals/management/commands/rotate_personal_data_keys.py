from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction

from sasaeai.lib import photos
from sasaeai.referrals import crypto
from sasaeai.referrals.models import Referral, ReferralEvent, ReferralSheet
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
            sheets = sum(_rotate_scan(sheet) for sheet in ReferralSheet.objects.exclude(scan=""))
        self.stdout.write(f"re-encrypted {count} referrals and {sheets} paper referral forms")


def _rotate_scan(sheet: ReferralSheet) -> int:
    """The returned sheet's image written anew under the newest key, as a new file: the old
    one is deleted once the row points at the new (a rollback keeps both rows and old file)."""
    storage, old = sheet.scan.storage, sheet.scan.name or ""
    with storage.open(old, "rb") as file:
        rotated = crypto.rotate_bytes(file.read())
    new = storage.save(old, ContentFile(rotated))  # a free name beside the old
    ReferralSheet.objects.filter(pk=sheet.pk).update(scan=new)
    photos.delete_later(storage, old)
    return 1
