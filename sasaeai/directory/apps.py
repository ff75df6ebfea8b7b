from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "sasaeai.directory"
    label = "directory"
    verbose_name = _("支え合い活動")

    def ready(self) -> None:
        from . import figures, signals  # noqa: F401
