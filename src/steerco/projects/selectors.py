"""Reads for projects and portfolios, always through the permission rules."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from steerco.accounts.rules import P, has_perm, visible_projects
from steerco.core.history import (
    HistoryEntry,
    HistorySource,
    contributed_project_history,
    display_value,
    history_entries,
    read_history,
)

from .models import Membership, Portfolio, Project


def project_list(
    *,
    user,
    status: str | None = None,
    portfolio_id: int | None = None,
    manager_id: int | None = None,
    search: str | None = None,
) -> QuerySet[Project]:
    projects = visible_projects(user).select_related("portfolio", "manager", "sponsor")
    if status:
        projects = projects.filter(status=status)
    if portfolio_id:
        projects = projects.filter(portfolio_id=portfolio_id)
    if manager_id:
        projects = projects.filter(manager_id=manager_id)
    if search:
        term = search.strip()
        projects = projects.filter(
            Q(code__icontains=term) | Q(name__icontains=term) | Q(description__icontains=term)
        )
    return projects.order_by("code")


def trash_list() -> QuerySet[Project]:
    """Projects in the trash, most recently deleted first (for those who may restore)."""
    return (
        Project.all_objects.filter(deleted_at__isnull=False)
        .select_related("deleted_by__person", "manager")
        .order_by("-deleted_at", "code")
    )


def purged_projects(*, limit: int = 50) -> list[HistoryEntry]:
    """Projects deleted for good, newest first, from their last history row: who purged
    them, when and why ("Purged project GAMMA"), since their own history page is gone."""
    records = (
        Project.history.filter(history_type="-")
        .select_related("history_user__person")
        .order_by("-history_date", "-history_id")[:limit]
    )
    return history_entries(records, subject_of=lambda record: f"{record.code} {record.name}")


def project_members(*, project: Project) -> QuerySet[Membership]:
    return project.memberships.select_related("person", "person__user").order_by(
        "role", "person__name"
    )


def portfolio_list(*, user) -> QuerySet[Portfolio]:
    if has_perm(user, P.PORTFOLIO_VIEW):
        return Portfolio.objects.select_related("owner").all()
    # Project members see the portfolios their projects belong to, nothing more.
    return Portfolio.objects.filter(projects__in=visible_projects(user)).distinct()


def project_history(*, project_id: int) -> list[HistoryEntry]:
    """Who changed what on the project, its memberships and what other apps keep about it
    (its plan), newest first; a change set (a plan import) is one entry."""
    people: dict = {}
    return read_history(
        [
            HistorySource(
                Project.history.filter(id=project_id).select_related("history_user__person"),
                subject_of=lambda r: "Project",
            ),
            HistorySource(
                Membership.history.filter(project_id=project_id).select_related(
                    "history_user__person"
                ),
                subject_of=lambda r: (
                    "Membership of " + display_value(Membership, "person", r.person_id, people)
                ),
            ),
            *contributed_project_history(project_id=project_id),
        ]
    )
