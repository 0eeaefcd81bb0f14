"""Template context shared by every page: the main navigation and the current section."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Placeholder sections served by ui:section until their apps arrive.
SECTION_SLUGS = ("resources", "methods", "capability", "reports")

# URL namespaces that belong to a navigation section other than their own name.
_SECTION_OF_NAMESPACE = {
    "projects": "projects",
    "portfolios": "portfolio",
    "people": "resources",
    "calendars": "resources",
    "plans": "projects",
    "accounts": None,
    "jobs": "my-work",
}


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url: str
    current: bool


def current_section(request) -> str | None:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    if match.view_name == "ui:home":
        return "my-work"
    if match.view_name == "ui:section":
        return match.kwargs.get("slug")
    return _SECTION_OF_NAMESPACE.get(match.namespace)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": [], "current_section": None}
    section = current_section(request)
    entries = [
        ("my-work", _("My work"), reverse("ui:home")),
        ("projects", _("Projects"), reverse("projects:list")),
        ("portfolio", _("Portfolio"), reverse("portfolios:list")),
        ("resources", _("Resources"), reverse("ui:section", kwargs={"slug": "resources"})),
        ("methods", _("Methods"), reverse("ui:section", kwargs={"slug": "methods"})),
        ("capability", _("Capability"), reverse("ui:section", kwargs={"slug": "capability"})),
        ("reports", _("Reports"), reverse("ui:section", kwargs={"slug": "reports"})),
    ]
    return {
        "navigation": [
            NavItem(key=key, label=label, url=url, current=key == section)
            for key, label, url in entries
        ],
        "current_section": section,
    }
