from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "sasaeai.surveys"
    label = "surveys"
    verbose_name = _("アンケート")

    def ready(self) -> None:
        from . import figures  # noqa: F401
