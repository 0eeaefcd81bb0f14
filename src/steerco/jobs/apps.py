from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "steerco.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
