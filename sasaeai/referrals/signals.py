from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from sasaeai.areas.models import Area, AreaKind

from .kinds import seed_institution_kinds


@receiver(post_save, sender=Area, dispatch_uid="referrals-seed-kinds")
def seed_new_municipality(sender: type, instance: Area, created: bool, **kw: Any) -> None:
    if created and instance.kind == AreaKind.MUNICIPALITY:
        seed_institution_kinds(instance)
