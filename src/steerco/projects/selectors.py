"""Reads for projects and portfolios, always through the permission rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q, QuerySet

from steerco.accounts.rules import P, has_perm, visible_projects

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


def project_members(*, project: Project) -> QuerySet[Membership]:
    return project.memberships.select_related("person", "person__user").order_by(
        "role", "person__name"
    )


def portfolio_list(*, user) -> QuerySet[Portfolio]:
    if has_perm(user, P.PORTFOLIO_VIEW):
        return Portfolio.objects.select_related("owner").all()
    # Project members see the portfolios their projects belong to, nothing more.
    return Portfolio.objects.filter(projects__in=visible_projects(user)).distinct()


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    subject: str
    action: str
    changes: list[FieldChange] = field(default_factory=list)


_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


def _display(record, field_name: str, value) -> str:
    if value is None or value == "":
        return "—"
    model_field = record.instance_type._meta.get_field(field_name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        related = model_field.related_model.objects.filter(pk=value).first()
        return str(related) if related else f"#{value} (deleted)"
    return str(value)


def _entries(records, subject_of) -> list[HistoryEntry]:
    entries = []
    for record in records:
        changes = []
        if record.history_type == "~" and record.prev_record is not None:
            delta = record.diff_against(record.prev_record, excluded_fields=["version"])
            for change in delta.changes:
                changes.append(
                    FieldChange(
                        field=str(record.instance_type._meta.get_field(change.field).verbose_name),
                        old=_display(record, change.field, change.old),
                        new=_display(record, change.field, change.new),
                    )
                )
            if not changes:
                continue
        who = record.history_user.get_username() if record.history_user else "system"
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=who,
                subject=subject_of(record),
                action=_ACTIONS[record.history_type],
                changes=changes,
            )
        )
    return entries


def project_history(*, project_id: int) -> list[HistoryEntry]:
    """Who changed what on the project and its memberships, newest first."""
    project_records = Project.history.filter(id=project_id).select_related("history_user")
    membership_records = Membership.history.filter(project_id=project_id).select_related(
        "history_user"
    )
    entries = _entries(project_records, lambda r: "Project")
    entries += _entries(
        membership_records,
        lambda r: f"Membership of {_display(r, 'person', r.person_id)}",
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
