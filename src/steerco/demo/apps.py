from django.apps import AppConfig


class DemoConfig(AppConfig):
    # An app only so that ``steerco demo`` is found; it has no models.
    name = "steerco.demo"
    label = "demo"
    verbose_name = "Demo organisation"
