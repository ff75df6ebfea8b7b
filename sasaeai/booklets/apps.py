from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookletsConfig(AppConfig):
    name = "sasaeai.booklets"
    label = "booklets"
    verbose_name = _("ガイドブック")
