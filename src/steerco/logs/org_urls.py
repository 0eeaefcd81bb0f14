"""Organisation-wide log pages under /logs/: escalations, lessons library, scales, digest."""

from django.urls import path

from . import digest_views, library_views, portfolio_views

app_name = "orglogs"

urlpatterns = [
    path("escalations/", library_views.escalations, name="escalations"),
    path("lessons/", library_views.lessons, name="lessons"),
    path("scales/", library_views.scales, name="scales"),
    path("digest/", digest_views.digest, name="digest"),
    path("register/", portfolio_views.register, name="register"),
]
