from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "steerco.ui"
    label = "ui"
    verbose_name = "User interface"
