"""The eight logs as data: which model, reference prefix, permissions and fields each has.

Pages, the API, exports, imports and the digest read this table instead of repeating
eight near-identical classes, so a field added here appears everywhere at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from steerco.accounts.rules import P

from .models import (
    Action,
    Assumption,
    ChangeRequest,
    Decision,
    Issue,
    Lesson,
    LogItem,
    ProjectDependency,
    Risk,
)


@dataclass(frozen=True)
class LogKind:
    slug: str  # URL and API path segment
    model: type[LogItem]
    label: str  # singular, for headings and messages
    plural: str
    # Permission needed to add or update items; deleting always needs LOG_DELETE.
    change_permission: P
    # Fields a user edits (forms, API, import), in display order; ``title`` first.
    editable_fields: tuple[str, ...]
    # Columns of the list page and export, in order (may include computed ``score_*``).
    list_fields: tuple[str, ...]
    # Fields the list can be filtered by with exact values (choices or people).
    filter_fields: tuple[str, ...]
    # Text fields searched by ``q``.
    search_fields: tuple[str, ...]
    # The date field by which the item is due for attention (digest, overdue), if any.
    due_field: str | None = None
    # Fields only the workflow services may change (not editable directly).
    workflow_fields: tuple[str, ...] = ()

    @property
    def prefix(self) -> str:
        return self.model.PREFIX


_COMMON_SEARCH = ("title", "description")

KINDS: dict[str, LogKind] = {
    kind.slug: kind
    for kind in (
        LogKind(
            slug="risks",
            model=Risk,
            label=_("risk"),
            plural=_("risks"),
            change_permission=P.LOG_CHANGE,
            editable_fields=(
                "title",
                "description",
                "risk_type",
                "category",
                "cause",
                "event",
                "effect",
                "owner",
                "actionee",
                "raised_by",
                "raised_on",
                "proximity",
                "probability",
                "impact",
                "strategy",
                "response",
                "probability_after",
                "impact_after",
                "status",
                "review_date",
                "cost_min",
                "cost_likely",
                "cost_max",
                "schedule_min_days",
                "schedule_likely_days",
                "schedule_max_days",
            ),
            list_fields=(
                "title",
                "risk_type",
                "category",
                "owner",
                "probability",
                "impact",
                "score_before",
                "strategy",
                "score_after",
                "status",
                "review_date",
            ),
            filter_fields=("status", "risk_type", "category", "owner", "proximity", "strategy"),
            search_fields=(*_COMMON_SEARCH, "cause", "event", "effect", "response"),
            due_field="review_date",
        ),
        LogKind(
            slug="assumptions",
            model=Assumption,
            label=_("assumption"),
            plural=_("assumptions"),
            change_permission=P.LOG_CHANGE,
            editable_fields=(
                "title",
                "description",
                "owner",
                "raised_by",
                "raised_on",
                "validation_due",
                "status",
                "consequence_if_invalid",
            ),
            list_fields=("title", "owner", "validation_due", "status"),
            filter_fields=("status", "owner"),
            search_fields=(*_COMMON_SEARCH, "consequence_if_invalid"),
            due_field="validation_due",
        ),
        LogKind(
            slug="issues",
            model=Issue,
            label=_("issue"),
            plural=_("issues"),
            change_permission=P.LOG_CONTRIBUTE,
            editable_fields=(
                "title",
                "description",
                "issue_type",
                "priority",
                "severity",
                "owner",
                "raised_by",
                "raised_on",
                "due_date",
                "status",
                "resolution",
                "escalated_to_pmo",
                "escalated_to",
                "escalated_on",
                "escalation_reason",
            ),
            list_fields=(
                "title",
                "issue_type",
                "priority",
                "severity",
                "owner",
                "due_date",
                "status",
                "escalated_to_pmo",
            ),
            filter_fields=("status", "issue_type", "priority", "severity", "owner"),
            search_fields=(*_COMMON_SEARCH, "resolution", "escalation_reason"),
            due_field="due_date",
        ),
        LogKind(
            slug="dependencies",
            model=ProjectDependency,
            label=_("dependency"),
            plural=_("dependencies"),
            change_permission=P.LOG_CHANGE,
            editable_fields=(
                "title",
                "description",
                "direction",
                "other_project",
                "external_party",
                "owner",
                "raised_by",
                "raised_on",
                "need_by",
                "status",
            ),
            list_fields=(
                "title",
                "direction",
                "other_project",
                "external_party",
                "owner",
                "need_by",
                "status",
            ),
            filter_fields=("status", "direction", "owner"),
            search_fields=(*_COMMON_SEARCH, "external_party"),
            due_field="need_by",
        ),
        LogKind(
            slug="decisions",
            model=Decision,
            label=_("decision"),
            plural=_("decisions"),
            change_permission=P.LOG_CHANGE,
            editable_fields=(
                "title",
                "description",
                "rationale",
                "alternatives",
                "owner",
                "raised_by",
                "raised_on",
                "decided_by",
                "decided_on",
                "status",
            ),
            list_fields=("title", "decided_by", "decided_on", "status"),
            filter_fields=("status", "decided_by", "owner"),
            search_fields=(*_COMMON_SEARCH, "rationale", "alternatives"),
        ),
        LogKind(
            slug="changes",
            model=ChangeRequest,
            label=_("change request"),
            plural=_("change requests"),
            change_permission=P.LOG_CHANGE,
            editable_fields=(
                "title",
                "description",
                "reason",
                "owner",
                "raised_by",
                "raised_on",
                "impact_time",
                "impact_cost",
                "impact_scope",
                "impact_quality",
                "impact_risk",
                "schedule_adjustment_days",
                "budget_adjustment",
            ),
            list_fields=(
                "title",
                "owner",
                "raised_on",
                "status",
                "schedule_adjustment_days",
                "budget_adjustment",
                "decided_by",
            ),
            filter_fields=("status", "owner"),
            search_fields=(*_COMMON_SEARCH, "reason"),
            workflow_fields=("status", "decided_by", "decided_at"),
        ),
        LogKind(
            slug="actions",
            model=Action,
            label=_("action"),
            plural=_("actions"),
            change_permission=P.LOG_CONTRIBUTE,
            editable_fields=(
                "title",
                "description",
                "owner",
                "raised_by",
                "raised_on",
                "due_date",
                "status",
                "source",
                "source_detail",
                "blocked_by",
            ),
            list_fields=("title", "owner", "due_date", "status", "source"),
            filter_fields=("status", "owner", "source"),
            search_fields=(*_COMMON_SEARCH, "source_detail", "blocked_by"),
            due_field="due_date",
            workflow_fields=("completed_on",),
        ),
        LogKind(
            slug="lessons",
            model=Lesson,
            label=_("lesson"),
            plural=_("lessons"),
            change_permission=P.LOG_CHANGE,
            editable_fields=(
                "title",
                "lesson_type",
                "category",
                "stage",
                "what_happened",
                "learned",
                "recommendation",
                "description",
                "owner",
                "raised_by",
                "raised_on",
            ),
            list_fields=("title", "lesson_type", "category", "stage", "raised_on"),
            filter_fields=("lesson_type", "category", "stage", "owner"),
            search_fields=(*_COMMON_SEARCH, "what_happened", "learned", "recommendation"),
        ),
    )
}

_BY_MODEL = {kind.model: kind for kind in KINDS.values()}
_BY_PREFIX = {kind.prefix: kind for kind in KINDS.values()}


def kind_for(slug: str) -> LogKind:
    """The log called ``slug`` (e.g. "risks"); Http404 for an unknown one."""
    try:
        return KINDS[slug]
    except KeyError:
        raise Http404("No such log.") from None


def kind_of(item: LogItem | type[LogItem]) -> LogKind:
    model = item if isinstance(item, type) else type(item)
    return _BY_MODEL[model]


def kind_for_prefix(prefix: str) -> LogKind | None:
    """The log whose references start with ``prefix`` ("R" for R-012), or None."""
    return _BY_PREFIX.get(prefix.upper())
