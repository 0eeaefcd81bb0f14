from django.urls import path, re_path

from . import views
from .context_processors import SECTION_SLUGS

app_name = "ui"

urlpatterns = [
    path("", views.home, name="home"),
    # Only the known slugs: this module is included at the root, after every other app.
    re_path(
        r"^(?P<slug>{})/$".format("|".join(SECTION_SLUGS)),
        views.section,
        name="section",
    ),
]
