from django.apps import AppConfig


class LogsConfig(AppConfig):
    name = "steerco.logs"
    label = "logs"
    verbose_name = "Project logs (RAID, decisions, changes, actions, lessons)"
