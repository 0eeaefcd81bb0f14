from django.contrib import admin
from django.urls import include, path

from steerco.config.api import api
from steerco.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("accounts/", include("steerco.accounts.urls")),
    path("projects/", include("steerco.projects.urls")),
    path("projects/<int:project_id>/plan/", include("steerco.plans.urls")),
    path("projects/<int:project_id>/logs/", include("steerco.logs.urls")),
    path("logs/", include("steerco.logs.org_urls")),
    path("portfolios/", include("steerco.projects.portfolio_urls")),
    path("people/", include("steerco.resources.urls")),
    path("staffing/", include("steerco.staffing.urls")),
    path("jobs/", include("steerco.jobs.urls")),
    path("bookings/", include("steerco.bookings.urls")),
    path("calendars/", include("steerco.plans.calendars.urls")),
    path("", include("steerco.home.urls")),
    path("", include("steerco.ui.urls")),
]
