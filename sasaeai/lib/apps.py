from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "sasaeai.lib"
    label = "lib"
