from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "steerco.plans"
    label = "plans"
    verbose_name = "Project plans and schedules"

    def ready(self) -> None:
        # The projects app sits below plans and cannot import it: the plan's changes
        # reach the project's history through core's registry. Imported in ready(), as
        # Django requires: the selectors load models, which the app registry must be
        # ready for.
        from steerco.core.history import contribute_project_history
        from steerco.core.project_pages import (
            contribute_overview_panels,
            contribute_schedule_outlooks,
        )

        from .selectors import plan_history_sources
        from .services import project_outlooks
        from .views.outlook import schedule_panels

        contribute_project_history(plan_history_sources)
        # Likewise the schedule's figures reach the project's overview, the project list,
        # the portfolio pages and the project export (ADR 12).
        contribute_overview_panels(schedule_panels)
        contribute_schedule_outlooks(project_outlooks)
