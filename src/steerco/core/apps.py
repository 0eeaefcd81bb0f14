from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "steerco.core"
    label = "core"
    verbose_name = "SteerCo core"
