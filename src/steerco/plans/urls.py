from django.urls import path

from .calendars.views import project_calendar_edit_view
from .views import baselines, milestones, plan, settings, transfer

app_name = "plans"

urlpatterns = [
    path("", plan.plan_detail_view, name="plan"),
    path("tasks/<int:task_id>/", plan.task_save_view, name="task_save"),
    path("tasks/actions/", plan.task_action_view, name="task_action"),
    path("outline/", plan.plan_outline_view, name="outline"),
    path("settings/", settings.plan_settings_edit_view, name="settings"),
    path("baselines/", baselines.baseline_list_view, name="baselines"),
    path("baselines/<int:number>/", baselines.baseline_compare_view, name="baseline_compare"),
    path("baselines/<int:number>/delete/", baselines.baseline_delete_view, name="baseline_delete"),
    path("milestones/", milestones.milestone_list_view, name="milestones"),
    path("calendar/", project_calendar_edit_view, name="calendar"),
    path("import/", transfer.plan_import_view, name="import"),
    path("export/", transfer.plan_export_view, name="export"),
]
