from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "sasaeai.events"
    label = "events"
    verbose_name = _("SCの研修と連絡会")

    def ready(self) -> None:
        from . import figures  # noqa: F401
