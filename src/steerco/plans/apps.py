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

        from .selectors import plan_history_sources

        contribute_project_history(plan_history_sources)
