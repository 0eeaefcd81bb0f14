from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "steerco.projects"
    label = "projects"
    verbose_name = "Projects and portfolios"
