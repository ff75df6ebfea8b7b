from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "sasaeai.progress"
    label = "progress"
    verbose_name = _("地域の進み具合（山登り）")

    def ready(self) -> None:
        from . import figures  # noqa: F401 - registers the app's indicators
