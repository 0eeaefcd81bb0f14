from django.apps import AppConfig


class LogsConfig(AppConfig):
    name = "steerco.logs"
    label = "logs"
    verbose_name = "Project logs (RAID, decisions, changes, actions, lessons)"

    def ready(self) -> None:
        # projects sits below logs and cannot import it: log items reach the project's
        # history through core's registry, and a purge tells the logs through a signal.
        from steerco.core.history import contribute_project_history
        from steerco.projects.signals import project_purging

        from .selectors import log_history_sources
        from .services import dependencies_on_purged_project

        contribute_project_history(log_history_sources)
        project_purging.connect(dependencies_on_purged_project, dispatch_uid="logs.purge")
