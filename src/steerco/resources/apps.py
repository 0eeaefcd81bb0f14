from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "steerco.resources"
    label = "resources"
    verbose_name = "People and resources"
