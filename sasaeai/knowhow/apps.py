from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowhowConfig(AppConfig):
    name = "sasaeai.knowhow"
    label = "knowhow"
    verbose_name = _("学び合う（事例）")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from sasaeai.lib import memo

        from .models import Theme

        # The search form's theme options are remembered (filters.py): a theme saved or
        # deleted forgets them, as the areas' and kinds' apps do for theirs.
        post_save.connect(memo.forget, sender=Theme, dispatch_uid="knowhow-theme-memo-save")
        post_delete.connect(memo.forget, sender=Theme, dispatch_uid="knowhow-theme-memo-delete")
