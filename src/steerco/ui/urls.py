from django.urls import re_path

from . import views
from .navigation import PLACEHOLDERS

app_name = "ui"

urlpatterns = [
    # Only the known slugs: this module is included at the root, after every other app.
    re_path(
        r"^(?P<slug>{})/$".format("|".join(PLACEHOLDERS)),
        views.section,
        name="section",
    ),
]
