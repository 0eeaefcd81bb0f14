"""Reads of the project logs: lists with filters, item pages, links, history, heat maps,
the digest and the organisation-wide views (escalations, lessons library, my actions).

Functions that take ``user`` return only what that user may see.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, ExpressionWrapper, F, IntegerField, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steerco.accounts.rules import P, check_project, has_perm, visible_projects
from steerco.core.history import HistoryEntry, HistorySource, history_entries
from steerco.engine.risk.scoring import HeatMapCell, heat_map, score_band
from steerco.plans.models import Task
from steerco.plans.selectors import task_choices
from steerco.resources.models import Person

from .kinds import KINDS, LogKind, kind_for, kind_for_prefix
from .models import (
    DEFAULT_SCALE_LEVELS,
    Action,
    Assumption,
    Issue,
    ItemLink,
    Lesson,
    LogItem,
    ProjectDependency,
    Risk,
    ScaleLevel,
)

# ---------------------------------------------------------------- scales


def scale_levels(dimension: str) -> list[ScaleLevel]:
    """The levels of one scale, lowest first.

    An empty scale (all rows deleted, or a database emptied without its seeded rows)
    reads as the default 1–5 levels, unsaved, so risks can always be judged.
    """
    levels = list(ScaleLevel.objects.filter(dimension=dimension).order_by("value"))
    if levels:
        return levels
    return [
        ScaleLevel(dimension=dimension, value=value, label=label, description=description)
        for value, label, description in DEFAULT_SCALE_LEVELS.get(dimension, ())
    ]


def scale_values(dimension: str) -> set[int]:
    return {level.value for level in scale_levels(dimension)}


def scale_value_sets() -> dict[str, set[int]]:
    """The levels of every scale, {dimension: values}, read in one query (a risk's save
    checks both scales; an import saves thousands), with ``scale_levels``' defaults."""
    stored: dict[str, set[int]] = {}
    for dimension, value in ScaleLevel.objects.values_list("dimension", "value"):
        stored.setdefault(dimension, set()).add(value)
    return {
        dimension: stored.get(dimension) or {value for value, _label, _text in defaults}
        for dimension, defaults in DEFAULT_SCALE_LEVELS.items()
    }


def scale_sizes() -> tuple[int, int]:
    """(probability levels, impact levels) of the organisation's scales."""
    return (
        len(scale_values(ScaleLevel.Dimension.PROBABILITY)) or 5,
        len(scale_values(ScaleLevel.Dimension.IMPACT)) or 5,
    )


def risk_band(score: int | None) -> str | None:
    """ "low", "medium" or "high" for a score on the organisation's scales."""
    if score is None:
        return None
    probability_size, impact_size = scale_sizes()
    return score_band(score, probability_size=probability_size, impact_size=impact_size).value


# ---------------------------------------------------------------- lists


def _kind(kind):
    return kind if isinstance(kind, LogKind) else kind_for(kind)


def _with_scores(queryset: QuerySet) -> QuerySet:
    if queryset.model is not Risk:
        return queryset
    return queryset.annotate(
        score_before_value=ExpressionWrapper(F("probability") * F("impact"), IntegerField()),
        score_after_value=ExpressionWrapper(
            F("probability_after") * F("impact_after"), IntegerField()
        ),
    )


def sortable_fields(kind) -> tuple[str, ...]:
    """Names a list may be sorted by (``-name`` for descending)."""
    kind = _kind(kind)
    names = ["number"]
    for name in kind.list_fields:
        names.append(name)
    return tuple(dict.fromkeys(names))


def item_list(
    *,
    user,
    project,
    kind,
    filters: dict[str, Any] | None = None,
    q: str = "",
    state: str = "all",
    ordering: str = "number",
) -> QuerySet:
    """Items of one log of ``project`` visible to ``user``, filtered and sorted.

    ``filters`` maps names from the log's ``filter_fields`` to exact values (people and
    projects by id); ``state`` is "open", "closed" or "all"; ``q`` searches the log's
    text fields and matches references such as "R-012" or "12"; ``ordering`` is a name
    from ``sortable_fields`` with an optional leading "-". Unknown names raise
    ``ValueError`` with a message the caller can show.
    """
    kind = _kind(kind)
    check_project(user, project, P.PROJECT_VIEW)
    queryset = kind.model.objects.filter(project=project).select_related("owner", "project")
    if kind.model is ProjectDependency:
        queryset = kind.model.objects.filter(Q(project=project) | Q(other_project=project))
        queryset = queryset.select_related("owner", "project", "other_project")
    queryset = _with_scores(queryset)
    for name, value in (filters or {}).items():
        if value in (None, ""):
            continue
        if name not in kind.filter_fields:
            raise ValueError(f"Cannot filter {kind.plural} by '{name}'.")
        model_field = kind.model._meta.get_field(name)
        lookup = f"{name}_id" if model_field.is_relation else name
        queryset = queryset.filter(**{lookup: value})
    if state not in {"open", "closed", "all"}:
        raise ValueError("state must be open, closed or all.")
    if state != "all" and kind.model.OPEN_STATUSES:
        condition = Q(status__in=kind.model.OPEN_STATUSES)
        queryset = queryset.filter(condition if state == "open" else ~condition)
    q = (q or "").strip()
    if q:
        text = Q()
        for name in kind.search_fields:
            text |= Q(**{f"{name}__icontains": q})
        number = _number_in(q, kind.prefix)
        if number is not None:
            text |= Q(number=number)
        queryset = queryset.filter(text)
    descending = ordering.startswith("-")
    name = ordering.lstrip("-") or "number"
    if name not in sortable_fields(kind):
        raise ValueError(f"Cannot sort {kind.plural} by '{name}'.")
    if name in {"score_before", "score_after"}:
        name = f"{name}_value"
    elif kind.model._meta.get_field(name).is_relation:
        related = kind.model._meta.get_field(name).related_model
        name = f"{name}__name" if hasattr(related, "name") else f"{name}__username"
    expression = F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
    return queryset.order_by(expression, "number", "pk")


def _number_in(text: str, prefix: str) -> int | None:
    text = text.strip().upper()
    if text.startswith(prefix + "-"):
        text = text[len(prefix) + 1 :]
    return int(text) if text.isdigit() else None


def item_get(*, user, project, kind, item_id) -> LogItem:
    """One item of ``project``'s log by id; 404 if unknown or not visible."""
    kind = _kind(kind)
    check_project(user, project, P.PROJECT_VIEW)
    try:
        return kind.model.objects.select_related("project", "owner").get(
            pk=item_id, project=project
        )
    except (kind.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"No such {kind.label}.") from None


def item_by_ref(*, user, project, ref: str) -> LogItem:
    """The item of ``project`` whose reference is ``ref`` (e.g. "R-012"); 404 if none."""
    check_project(user, project, P.PROJECT_VIEW)
    prefix, _, number = (ref or "").strip().upper().rpartition("-")
    kind = kind_for_prefix(prefix)
    if kind is None or not number.isdigit():
        raise Http404(f"No item {ref}.")
    item = kind.model.objects.filter(project=project, number=int(number)).first()
    if item is None:
        raise Http404(f"No item {ref}.")
    return item


def open_counts(*, user, project) -> dict[str, int]:
    """Open items per log slug (all items for logs without a status, like lessons)."""
    check_project(user, project, P.PROJECT_VIEW)
    counts = {}
    for slug, kind in KINDS.items():
        queryset = kind.model.objects.filter(project=project)
        if kind.model.OPEN_STATUSES:
            queryset = queryset.filter(status__in=kind.model.OPEN_STATUSES)
        counts[slug] = queryset.count()
    return counts


# ---------------------------------------------------------------- what needs attention


def top_open_risks(*, user, project, limit: int = 5) -> QuerySet:
    """The open risks of ``project`` with the highest score before response, first."""
    items = item_list(user=user, project=project, kind="risks", state="open")
    return items.order_by(F("score_before_value").desc(nulls_last=True), "number")[:limit]


def open_issues(*, user, project) -> QuerySet:
    """The open issues of ``project``: escalated ones first, then by priority (highest
    first), then by reference."""
    items = item_list(user=user, project=project, kind="issues", state="open")
    escalated = Q(escalated_to_pmo=True) | Q(escalated_to__isnull=False)
    return items.annotate(
        escalated=ExpressionWrapper(escalated, output_field=BooleanField())
    ).order_by("-escalated", "-priority", "number")


def overdue_actions(*, user, project, today: date | None = None) -> QuerySet:
    """Open actions of ``project`` due before ``today``, the longest overdue first."""
    today = today or timezone.localdate()
    items = item_list(user=user, project=project, kind="actions", state="open")
    return items.filter(due_date__lt=today).order_by("due_date", "number")


@dataclass(frozen=True)
class ProjectHighlights:
    """What a project's overview shows of its logs: the top open risks, the open issues
    and the overdue actions (the first ``shown`` of each, and how many there are)."""

    risks: list[Risk]
    open_risks: int
    issues: list[Issue]
    open_issues: int
    overdue_actions: list[Action]
    overdue: int


def project_highlights(
    *, user, project, today: date | None = None, shown: int = 5
) -> ProjectHighlights:
    risks = item_list(user=user, project=project, kind="risks", state="open")
    issues = open_issues(user=user, project=project)
    overdue = overdue_actions(user=user, project=project, today=today)
    return ProjectHighlights(
        risks=list(top_open_risks(user=user, project=project, limit=shown)),
        open_risks=risks.count(),
        issues=list(issues[:shown]),
        open_issues=issues.count(),
        overdue_actions=list(overdue.select_related("owner")[:shown]),
        overdue=overdue.count(),
    )


# ---------------------------------------------------------------- links and history


@dataclass(frozen=True)
class LinkedObject:
    link: ItemLink
    other: Any  # a LogItem or a plans Task
    relation: str  # read from the item being shown, e.g. "resolves" or "is resolved by"
    outgoing: bool

    @property
    def is_task(self) -> bool:
        return not isinstance(self.other, LogItem)

    @property
    def label(self) -> str:
        if self.is_task:
            return f"{self.other.wbs} {self.other.name}".strip()
        return f"{self.other.ref} {self.other.title}"


_INVERSE = {
    ItemLink.Relation.RELATES_TO: "relates to",
    ItemLink.Relation.RESOLVES: "is resolved by",
    ItemLink.Relation.RAISED_FROM: "led to",
    ItemLink.Relation.AFFECTS: "is affected by",
    ItemLink.Relation.BLOCKS: "is blocked by",
}


def item_links(item: LogItem) -> list[LinkedObject]:
    """Everything linked to ``item``, from either end, with the relation read from it."""
    content_type = ContentType.objects.get_for_model(type(item))
    links = ItemLink.objects.filter(
        Q(source_type=content_type, source_id=item.pk)
        | Q(target_type=content_type, target_id=item.pk)
    ).select_related("source_type", "target_type")
    wanted: dict[int, set[int]] = {}
    for link in links:
        outgoing = link.source_type_id == content_type.pk and link.source_id == item.pk
        other_type, other_id = (
            (link.target_type, link.target_id) if outgoing else (link.source_type, link.source_id)
        )
        wanted.setdefault(other_type.pk, set()).add(other_id)
    objects: dict[tuple[int, int], Any] = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        for obj in model.objects.filter(pk__in=ids):
            objects[(type_id, obj.pk)] = obj
    result = []
    for link in links:
        outgoing = link.source_type_id == content_type.pk and link.source_id == item.pk
        key = (
            (link.target_type_id, link.target_id)
            if outgoing
            else (link.source_type_id, link.source_id)
        )
        other = objects.get(key)
        if other is None:  # the other end was deleted outside the services
            continue
        relation = link.get_relation_display() if outgoing else _INVERSE[link.relation]
        result.append(
            LinkedObject(link=link, other=other, relation=str(relation), outgoing=outgoing)
        )
    return result


def link_candidates(*, user, project, exclude: LogItem | None = None) -> list[tuple[str, str, str]]:
    """Items and plan tasks of ``project`` an item may link to.

    Returns (value, label, group) triples; value is "<prefix>-<number>" for items and
    "task-<id>" for tasks, as accepted by ``link_target``.
    """
    check_project(user, project, P.PROJECT_VIEW)
    options = []
    for kind in KINDS.values():
        for number, title in kind.model.objects.filter(project=project).values_list(
            "number", "title"
        ):
            if exclude is not None and type(exclude) is kind.model and exclude.number == number:
                continue
            ref = f"{kind.prefix}-{number:03d}"
            options.append((ref, f"{ref} {title}", str(kind.plural).capitalize()))
    for task_id, label in task_choices(project):
        options.append((f"task-{task_id}", label, "Plan tasks"))
    return options


def link_target(*, user, project, value: str):
    """Resolve a ``link_candidates`` value to the item or task; 404 if not found."""
    value = (value or "").strip()
    if value.lower().startswith("task-"):
        check_project(user, project, P.PROJECT_VIEW)
        task = Task.objects.filter(project=project, pk=value[5:] if value[5:].isdigit() else 0)
        task = task.first()
        if task is None:
            raise Http404("No such task.")
        return task
    return item_by_ref(user=user, project=project, ref=value)


def item_history(item: LogItem) -> list[HistoryEntry]:
    """Who changed what and when, newest first, with each changed field's old and new value."""
    records = item.history.select_related("history_user__person")
    return history_entries(records, ignored={"number", "project"})


def log_history_sources(*, project_id: int) -> list[HistorySource]:
    """The logs' part of the project's history: every item of every log, so adding,
    changing and deleting one (with who did it) shows there. Contributed in apps.py."""
    from .kinds import KINDS

    def subject(prefix: str):
        return lambda record: f"{prefix}-{record.number:03d} {record.title}"

    return [
        HistorySource(
            kind.model.history.filter(project_id=project_id).select_related("history_user__person"),
            subject_of=subject(kind.prefix),
            ignored=("number", "project"),
        )
        for kind in KINDS.values()
    ]


# ---------------------------------------------------------------- risk heat map


HEAT_MAP_BASES = ("before", "after")
# A cell's band in words, as the map prints it under the count.
BAND_WORDS = {
    "low": gettext_lazy("Low"),
    "medium": gettext_lazy("Medium"),
    "high": gettext_lazy("High"),
}
_CELL_NAME = re.compile(r"^(\d{1,3})-(\d{1,3})$")


@dataclass(frozen=True)
class HeatMap:
    """Risks counted per probability × impact cell of the organisation's scales.

    The project's heat map and the PMO's register both draw one (the same
    ``_heat_map_table.html``), so both are built by ``heat_map_of`` and laid out for the
    page by ``grid``; only which risks are counted and where a cell links differ.
    """

    basis: str  # "before" or "after"
    rows: list[list[HeatMapCell]]  # highest probability first; impact lowest first
    probability_labels: list[str]  # highest first, as the rows
    impact_labels: list[str]  # lowest first, as the columns
    unassessed: int  # risks without both levels on this basis, so not on the map

    @property
    def total(self) -> int:
        """Risks on the map."""
        return sum(cell.count for row in self.rows for cell in row)

    def cell(self, probability: int, impact: int) -> HeatMapCell | None:
        for row in self.rows:
            for cell in row:
                if (cell.probability, cell.impact) == (probability, impact):
                    return cell
        return None

    def cell_named(self, text: str) -> HeatMapCell | None:
        """The cell a query string names as "probability-impact" (4-3), if on the map."""
        match = _CELL_NAME.match(text)
        if match is None:
            return None
        return self.cell(int(match.group(1)), int(match.group(2)))

    def probability_label(self, value: int) -> str:
        return _level_label(value, self.probability_labels, len(self.rows) - value)

    def impact_label(self, value: int) -> str:
        return _level_label(value, self.impact_labels, value - 1)

    def impact_columns(self) -> list[str]:
        return [self.impact_label(cell.impact) for cell in self.rows[0]] if self.rows else []

    def grid(self, *, url_for: Callable[[str], str], selected: HeatMapCell | None) -> list[dict]:
        """The rows ``_heat_map_table.html`` draws; ``url_for(key)`` is where cell "4-3" links."""
        return [
            {
                "label": self.probability_label(row[0].probability),
                "cells": [
                    {
                        "cell": cell,
                        "band": BAND_WORDS[cell.band.value],
                        "key": f"{cell.probability}-{cell.impact}",
                        "url": url_for(f"{cell.probability}-{cell.impact}"),
                        "selected": cell == selected,
                    }
                    for cell in row
                ],
            }
            for row in self.rows
        ]


def _level_label(value: int, labels: list[str], index: int) -> str:
    label = labels[index] if 0 <= index < len(labels) else ""
    return f"{value} – {label}" if label else str(value)


def risk_levels(risk: Risk, basis: str) -> tuple[int | None, int | None]:
    """The risk's probability and impact before or after response."""
    if basis == "after":
        return risk.probability_after, risk.impact_after
    return risk.probability, risk.impact


def heat_map_of(
    levels: Iterable[tuple[int | None, int | None]],
    *,
    basis: str,
    probability_levels: list[ScaleLevel] | None = None,
    impact_levels: list[ScaleLevel] | None = None,
) -> HeatMap:
    """The heat map of risks given by their (probability, impact) levels on ``basis``,
    on the organisation's scales (read here unless the caller has read them already)."""
    if basis not in HEAT_MAP_BASES:
        raise ValueError("basis must be before or after.")
    levels = list(levels)
    if probability_levels is None:
        probability_levels = scale_levels(ScaleLevel.Dimension.PROBABILITY)
    if impact_levels is None:
        impact_levels = scale_levels(ScaleLevel.Dimension.IMPACT)
    rows = heat_map(
        levels, probability_size=len(probability_levels) or 5, impact_size=len(impact_levels) or 5
    )
    return HeatMap(
        basis=basis,
        rows=rows,
        probability_labels=[level.label for level in reversed(probability_levels)],
        impact_labels=[level.label for level in impact_levels],
        unassessed=sum(1 for p, i in levels if p is None or i is None),
    )


def risk_heat_map(*, user, project, basis: str = "before") -> HeatMap:
    """Open risks of ``project`` counted per probability × impact cell."""
    check_project(user, project, P.PROJECT_VIEW)
    if basis not in HEAT_MAP_BASES:
        raise ValueError("basis must be before or after.")
    fields = (
        ("probability", "impact") if basis == "before" else ("probability_after", "impact_after")
    )
    pairs = Risk.objects.filter(project=project, status=Risk.Status.OPEN).values_list(*fields)
    return heat_map_of(pairs, basis=basis)


# ---------------------------------------------------------------- dependencies


NO_ACCESS = gettext_lazy("a project you do not have access to")


def project_named_for(user, other) -> str:
    """How ``user`` may see another project named: its code and name if they may see it
    (saying so when it is in the trash), otherwise only that it is one they cannot see."""
    if not has_perm(user, P.PROJECT_VIEW, other):
        return str(NO_ACCESS)
    if other.in_trash:
        return _("%(code)s %(name)s (in the trash)") % {"code": other.code, "name": other.name}
    return f"{other.code} {other.name}"


def may_open_project(user, other) -> bool:
    return other is not None and not other.in_trash and has_perm(user, P.PROJECT_VIEW, other)


def hides_origin(user, project, item: LogItem) -> bool:
    """True for a dependency another project recorded about ``project`` which ``user``
    may not see: all they may learn is that it exists."""
    return (
        isinstance(item, ProjectDependency)
        and item.project_id != project.pk
        and not has_perm(user, P.PROJECT_VIEW, item.project)
    )


def as_seen_by(user, project, item: LogItem) -> LogItem:
    """``item`` as ``user`` may see it from ``project``'s dependency list: unchanged, or,
    for a dependency recorded by a project they cannot see, a copy that says only that
    a dependency exists on a project they have no access to (no title, people, dates or
    text of that project). The copy is never saved."""
    if not hides_origin(user, project, item):
        return item
    hidden = copy.copy(item)
    hidden.title = _("A dependency recorded by %(who)s") % {"who": NO_ACCESS}
    hidden.description = ""
    hidden.owner = None
    hidden.raised_by = None
    hidden.need_by = None
    hidden.external_party = ""
    hidden.origin_hidden = True
    return hidden


def dependency_as_seen_from(dependency: ProjectDependency, project) -> dict[str, Any]:
    """Direction and counterpart of a dependency from ``project``'s side.

    A dependency recorded by another project appears mirrored: their outbound is our
    inbound, and the counterpart is the project that recorded it.
    """
    if dependency.project_id == project.pk:
        return {
            "direction": dependency.direction,
            "counterpart": dependency.other_project or dependency.external_party,
            "recorded_here": True,
        }
    mirrored = (
        ProjectDependency.Direction.OUTBOUND
        if dependency.direction == ProjectDependency.Direction.INBOUND
        else ProjectDependency.Direction.INBOUND
    )
    return {"direction": mirrored, "counterpart": dependency.project, "recorded_here": False}


# ---------------------------------------------------------------- across projects


def _due_ordering(name: str):
    return (F(name).asc(nulls_last=True), "project__code", "number")


def actions_for_person(*, user, person, include_done: bool = False) -> QuerySet:
    """Actions ``person`` owns in projects ``user`` may see, soonest due first."""
    queryset = Action.objects.filter(owner=person, project__in=visible_projects(user))
    if not include_done:
        queryset = queryset.filter(status__in=Action.OPEN_STATUSES)
    return queryset.select_related("project").order_by(*_due_ordering("due_date"))


def escalated_issues(*, user, include_closed: bool = False) -> QuerySet:
    """Issues escalated to the PMO or to a named person, in projects ``user`` may see."""
    if not has_perm(user, P.PORTFOLIO_VIEW):
        return Issue.objects.none()
    queryset = Issue.objects.filter(
        Q(escalated_to_pmo=True) | Q(escalated_to__isnull=False),
        project__in=visible_projects(user),
    )
    if not include_closed:
        queryset = queryset.filter(status__in=Issue.OPEN_STATUSES)
    return queryset.select_related("project", "owner", "escalated_to").order_by(
        F("escalated_on").desc(nulls_last=True), "project__code", "number"
    )


def lessons_library(
    *, user, q: str = "", category: str = "", stage: str = "", lesson_type: str = ""
) -> QuerySet:
    """Lessons of every project ``user`` may see, searched and filtered."""
    queryset = Lesson.objects.filter(project__in=visible_projects(user)).select_related(
        "project", "owner"
    )
    for name, value in (("category", category), ("stage", stage), ("lesson_type", lesson_type)):
        if value:
            queryset = queryset.filter(**{name: value})
    for word in (q or "").split():
        text = Q()
        for name in ("title", "description", "what_happened", "learned", "recommendation"):
            text |= Q(**{f"{name}__icontains": word})
        text |= Q(project__name__icontains=word) | Q(project__code__iexact=word)
        queryset = queryset.filter(text)
    return queryset.order_by("-raised_on", "project__code", "number")


# ---------------------------------------------------------------- digest


@dataclass
class Digest:
    """What a person should act on: overdue and soon-due actions and reviews."""

    person: Any
    today: date
    horizon: date
    overdue_actions: list[Action] = field(default_factory=list)
    due_actions: list[Action] = field(default_factory=list)
    overdue_reviews: list[LogItem] = field(default_factory=list)
    due_reviews: list[LogItem] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.overdue_actions or self.due_actions or self.overdue_reviews or self.due_reviews
        )


def digest_for(*, person, today: date | None = None, horizon_days: int = 7) -> Digest:
    """``person``'s open actions and risk/assumption reviews due by ``today + horizon_days``.

    Items the person owns in any project count: the digest goes to its owner whatever
    their project role. Dates are calendar days; "overdue" means due before today.
    """
    today = today or timezone.localdate()
    horizon = today + timedelta(days=horizon_days)
    digest = Digest(person=person, today=today, horizon=horizon)
    actions = Action.objects.filter(
        owner=person,
        status__in=Action.OPEN_STATUSES,
        due_date__lte=horizon,
        project__deleted_at__isnull=True,
    ).select_related("project")
    for action in actions.order_by("due_date", "project__code", "number"):
        (digest.overdue_actions if action.due_date < today else digest.due_actions).append(action)
    reviews: list[tuple[date, LogItem]] = []
    for model, date_field in ((Risk, "review_date"), (Assumption, "validation_due")):
        queryset = model.objects.filter(
            owner=person,
            status__in=model.OPEN_STATUSES,
            project__deleted_at__isnull=True,
            **{f"{date_field}__lte": horizon},
        ).select_related("project")
        reviews.extend((getattr(item, date_field), item) for item in queryset)
    for when, item in sorted(
        reviews, key=lambda pair: (pair[0], pair[1].project.code, pair[1].ref)
    ):
        (digest.overdue_reviews if when < today else digest.due_reviews).append(item)
    return digest


def digest_recipients():
    """People who own something open with a due date and can receive e-mail."""
    live = Q(project__deleted_at__isnull=True)  # the trash sends no reminders
    owners = set(
        Action.objects.filter(
            live, status__in=Action.OPEN_STATUSES, due_date__isnull=False
        ).values_list("owner_id", flat=True)
    )
    owners |= set(
        Risk.objects.filter(
            live, status__in=Risk.OPEN_STATUSES, review_date__isnull=False
        ).values_list("owner_id", flat=True)
    )
    owners |= set(
        Assumption.objects.filter(
            live, status__in=Assumption.OPEN_STATUSES, validation_due__isnull=False
        ).values_list("owner_id", flat=True)
    )
    owners.discard(None)
    return Person.objects.filter(pk__in=owners, active=True).exclude(email="").order_by("name")
