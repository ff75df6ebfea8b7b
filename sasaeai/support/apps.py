from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "sasaeai.support"
    label = "support"
    verbose_name = _("協議体からの応援依頼と貸出")

    def ready(self) -> None:
        from . import figures  # noqa: F401
