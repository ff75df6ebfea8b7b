from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetsConfig(AppConfig):
    name = "sasaeai.budgets"
    label = "budgets"
    verbose_name = _("協議体の運営費")

    def ready(self) -> None:
        from . import figures  # noqa: F401
