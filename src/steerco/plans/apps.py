from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "steerco.plans"
    label = "plans"
    verbose_name = "Project plans and schedules"
