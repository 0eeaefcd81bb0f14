"""Organisation-wide log pages under /logs/: escalations, lessons library, scales, digest."""

from django.urls import path

from .views import digest, library, register, scales

app_name = "orglogs"

urlpatterns = [
    path("escalations/", library.escalation_list_view, name="escalations"),
    path("lessons/", library.lesson_list_view, name="lessons"),
    path("scales/", scales.scale_list_view, name="scales"),
    path("digest/", digest.digest_view, name="digest"),
    path("register/", register.risk_register_view, name="register"),
]
