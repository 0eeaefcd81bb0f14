from django.urls import path

from . import calendar_views, views

app_name = "plans"

urlpatterns = [
    path("", views.plan_page, name="plan"),
    path("tasks/<int:task_id>/", views.task_save, name="task_save"),
    path("tasks/actions/", views.task_action, name="task_action"),
    path("settings/", views.plan_settings_page, name="settings"),
    path("baselines/", views.baselines_page, name="baselines"),
    path("baselines/<int:number>/", views.baseline_compare, name="baseline_compare"),
    path("baselines/<int:number>/delete/", views.baseline_delete, name="baseline_delete"),
    path("milestones/", views.milestones_page, name="milestones"),
    path("calendar/", calendar_views.project_calendar_page, name="calendar"),
    path("import/", views.import_page, name="import"),
    path("export/", views.export_plan, name="export"),
]
