from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "sasaeai.needs"
    label = "needs"
    verbose_name = _("困りごと・仲間探し")

    def ready(self) -> None:
        from . import figures, signals  # noqa: F401
