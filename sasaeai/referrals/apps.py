from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "sasaeai.referrals"
    label = "referrals"
    verbose_name = _("専門職へのつなぎ")

    def ready(self) -> None:
        from . import checks, figures, signals  # noqa: F401
