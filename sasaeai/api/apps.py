from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sasaeai.api"
    verbose_name = "API"
