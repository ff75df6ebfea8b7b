from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sasaeai.areas.models import Area, AreaKind
from sasaeai.lib import memo

from .kinds import seed_kinds
from .models import Activity, Kind, delete_photo_later

post_save.connect(memo.forget, sender=Kind, dispatch_uid="kinds-memo-save")
post_delete.connect(memo.forget, sender=Kind, dispatch_uid="kinds-memo-delete")


@receiver(post_save, sender=Area)
def seed_new_municipality(sender: type, instance: Area, created: bool, **kw: Any) -> None:
    if created and instance.kind == AreaKind.MUNICIPALITY:
        seed_kinds(instance)


@receiver(post_delete, sender=Activity)
def delete_photo(sender: type, instance: Activity, **kw: Any) -> None:
    delete_photo_later(instance.photo.name or "")
