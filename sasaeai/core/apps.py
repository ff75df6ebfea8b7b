from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "sasaeai.core"
    label = "core"

    def ready(self) -> None:
        from django.db.models import fields

        # Django 6.1's label for a choice left blank ("- Select an option -") has no Japanese
        # in its catalogue yet; Django asks projects to set their own here.
        fields.BLANK_CHOICE_LABEL = _("選んでください")
