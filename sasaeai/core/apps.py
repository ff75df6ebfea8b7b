from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sasaeai.core"
    label = "core"

    def ready(self) -> None:
        from django.db.models import fields
        from django.db.models.signals import post_delete, post_save

        from sasaeai.areas.models import AreaContact
        from sasaeai.lib import memo

        # The footer's desk is remembered for half a second (context_processors.desk_of and
        # directory.views): a desk saved here shows at once.
        post_save.connect(memo.forget, sender=AreaContact, dispatch_uid="desk-memo-save")
        post_delete.connect(memo.forget, sender=AreaContact, dispatch_uid="desk-memo-delete")

        # Django 6.1's label for a choice left blank ("- Select an option -") has no Japanese
        # in its catalogue yet; Django asks projects to set their own here.
        fields.BLANK_CHOICE_LABEL = _("選んでください")
