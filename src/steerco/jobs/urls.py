from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list_view, name="list"),
    path("export/projects/", views.project_export, name="project_export"),
    path("<int:job_id>/", views.job_detail, name="detail"),
    path("<int:job_id>/download/", views.job_download, name="download"),
]
