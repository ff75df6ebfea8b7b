from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "sasaeai.councils"
    label = "councils"
    verbose_name = _("支え合い会議")

    def ready(self) -> None:
        from . import calendar, figures  # noqa: F401
