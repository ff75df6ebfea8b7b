from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "sasaeai.areas"
    label = "areas"
    verbose_name = _("地域")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from sasaeai.lib import memo

        from .models import Area

        post_save.connect(memo.forget, sender=Area, dispatch_uid="areas-memo-save")
        post_delete.connect(memo.forget, sender=Area, dispatch_uid="areas-memo-delete")
