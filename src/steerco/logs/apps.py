from django.apps import AppConfig


class LogsConfig(AppConfig):
    name = "steerco.logs"
    label = "logs"
    verbose_name = "Project logs (RAID, decisions, changes, actions, lessons)"

    def ready(self) -> None:
        # projects sits below logs and cannot import it: log items reach the project's
        # history and its overview through core's registries, and a purge calls the logs'
        # step registered in projects.purging.
        from steerco.core.history import contribute_project_history
        from steerco.core.project_pages import contribute_overview_panels
        from steerco.projects.purging import contribute_purge_step

        from .selectors import log_history_sources
        from .services import dependencies_on_purged_project
        from .views.highlights import log_panels

        contribute_project_history(log_history_sources)
        contribute_purge_step(dependencies_on_purged_project)
        # The project's overview shows its top risks, open issues and overdue actions.
        contribute_overview_panels(log_panels)
