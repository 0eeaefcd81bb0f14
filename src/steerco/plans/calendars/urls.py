from django.urls import path

from . import views

app_name = "calendars"

urlpatterns = [
    path("", views.calendar_list_view, name="list"),
    path("<int:pk>/", views.calendar_detail_view, name="detail"),
]
