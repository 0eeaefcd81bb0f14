from django.urls import path

from . import calendar_views

app_name = "calendars"

urlpatterns = [
    path("", calendar_views.organisation_calendars, name="list"),
    path("<int:pk>/", calendar_views.organisation_calendar, name="detail"),
]
