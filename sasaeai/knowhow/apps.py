from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowhowConfig(AppConfig):
    name = "sasaeai.knowhow"
    label = "knowhow"
    verbose_name = _("学び合う（事例）")
