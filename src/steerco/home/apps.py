from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "steerco.home"
    label = "home"
    verbose_name = "My work"
