"""Where the pages link to: the main navigation's sections and a project's tabs.

The one declaration of both. The context processor builds the main navigation from
``SECTIONS``, the section view shows the placeholder of a section not built yet, and the
project header renders ``PROJECT_TABS`` (through the ``project_tabs`` template tag). A new
section or tab is one entry here; when a placeholder section's app arrives, its entry
gets a ``url_name`` instead of its ``placeholder``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from steerco.accounts.rules import P, has_perm


@dataclass(frozen=True)
class Placeholder:
    """What a section not built yet will hold: these pages must not pretend to work yet."""

    summary: str
    coming: tuple[str, ...]
    # (label, URL name) of the pages of this section that already exist elsewhere.
    available: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Section:
    """One link of the main navigation."""

    key: str
    label: str
    # The page the link opens; a placeholder section is served at /<key>/ instead.
    url_name: str | None = None
    # URL namespaces whose pages belong to this section, so the link shows as current there.
    namespaces: tuple[str, ...] = ()
    # Only users with this permission see the link (the page itself checks it too).
    permission: P | None = None
    placeholder: Placeholder | None = None

    def url(self) -> str:
        if self.placeholder is not None:
            return reverse("ui:section", kwargs={"slug": self.key})
        return reverse(self.url_name)

    def is_current(self, match) -> bool:
        if match is None:
            return False
        if match.view_name == "ui:section":
            return self.placeholder is not None and match.kwargs.get("slug") == self.key
        return match.view_name == self.url_name or match.namespace in self.namespaces


@dataclass(frozen=True)
class Tab:
    """One tab of a project's pages; its URL takes the project's id."""

    key: str
    label: str
    url_name: str


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url: str
    current: bool


SECTIONS: tuple[Section, ...] = (
    Section("my-work", _("My work"), "home:home", namespaces=("jobs",)),
    Section("projects", _("Projects"), "projects:list", namespaces=("projects", "plans", "logs")),
    Section("portfolio", _("Portfolio"), "portfolios:list", namespaces=("portfolios",)),
    Section(
        "resources",
        _("Resources"),
        namespaces=("people", "calendars", "staffing"),
        placeholder=Placeholder(
            summary=_("People, their skills and calendars, and who is allocated to what."),
            available=(
                (
                    _("Resource heatmap: everyone's load by week or month, and what makes it"),
                    "staffing:heatmap",
                ),
                (
                    _("Allocations: requests for people and roles, approvals, open requests"),
                    "staffing:allocations",
                ),
                (_("Roles: demand against capacity by month, with the gap"), "staffing:roles"),
                (_("Skills search: who has a skill and free time"), "staffing:skills"),
                (_("People directory: everyone who works on or for projects"), "people:list"),
                (
                    _("Working calendars: office hours, public holidays and closures"),
                    "calendars:list",
                ),
            ),
            coming=(
                _("Resource levelling of plans against people's capacity."),
                _("Bookings of rooms and equipment, with clash detection."),
            ),
        ),
    ),
    Section(
        "methods",
        _("Methods"),
        placeholder=Placeholder(
            summary=_("The lifecycles your projects follow and the checks along the way."),
            coming=(
                _("Lifecycles made of stages and gates, with gate reviews and decisions."),
                _("Project templates and checklists for each stage."),
                _("Quality health checks of projects against the chosen method."),
            ),
        ),
    ),
    Section(
        "capability",
        _("Capability"),
        placeholder=Placeholder(
            summary=_("How mature the organisation's project practice is, and how to grow it."),
            coming=(
                _("Maturity frameworks and assessments with scores by area."),
                _("Competency frameworks for project professionals and self-assessments."),
                _("Development plans that follow from the assessments."),
            ),
        ),
    ),
    Section(
        "reports",
        _("Reports"),
        placeholder=Placeholder(
            summary=_("Status reporting and dashboards across projects and portfolios."),
            coming=(
                _("Highlight and status reports with RAG ratings, submitted and approved."),
                _("Portfolio dashboards and trends built from the projects' data."),
                _("Exports to PDF, PowerPoint and Excel."),
            ),
        ),
    ),
    # The organisation-wide log pages: everyone may search lessons, only portfolio
    # viewers may read escalations and the register, as on the pages themselves.
    Section("rooms", _("Rooms"), "bookings:rooms", namespaces=("bookings",)),
    Section("lessons", _("Lessons"), "orglogs:lessons"),
    Section("escalations", _("Escalations"), "orglogs:escalations", permission=P.PORTFOLIO_VIEW),
    Section("register", _("Risk register"), "orglogs:register", permission=P.PORTFOLIO_VIEW),
)

PROJECT_TABS: tuple[Tab, ...] = (
    Tab("overview", _("Overview"), "projects:detail"),
    Tab("plan", _("Plan"), "plans:plan"),
    Tab("logs", _("Logs"), "logs:overview"),
    Tab("members", _("Members"), "projects:members"),
    Tab("history", _("History"), "projects:history"),
)

PLACEHOLDERS: dict[str, Section] = {s.key: s for s in SECTIONS if s.placeholder is not None}


def main_navigation(request) -> list[NavItem]:
    """The sections this request's user may see, the one its page belongs to marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    match = getattr(request, "resolver_match", None)
    return [
        NavItem(key=s.key, label=s.label, url=s.url(), current=s.is_current(match))
        for s in SECTIONS
        if s.permission is None or has_perm(user, s.permission)
    ]


def project_tabs(project, current: str) -> list[NavItem]:
    """A project's tabs, ``current`` (a tab's key) marked."""
    return [
        NavItem(
            key=tab.key,
            label=tab.label,
            url=reverse(tab.url_name, args=[project.pk]),
            current=tab.key == current,
        )
        for tab in PROJECT_TABS
    ]
