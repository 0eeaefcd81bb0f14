from django.apps import AppConfig


class LogsConfig(AppConfig):
    name = "steerco.logs"
    label = "logs"
    verbose_name = "Project logs (RAID, decisions, changes, actions, lessons)"

    def ready(self) -> None:
        # projects sits below logs and cannot import it: log items reach the project's
        # history through core's registry, and a purge calls the logs' step registered in
        # projects.purging.
        from steerco.core.history import contribute_project_history
        from steerco.projects.purging import contribute_purge_step

        from .selectors import log_history_sources
        from .services import dependencies_on_purged_project

        contribute_project_history(log_history_sources)
        contribute_purge_step(dependencies_on_purged_project)
