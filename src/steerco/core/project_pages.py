"""What apps above ``projects`` add to the projects app's pages (ADR 12).

A project's overview shows its schedule (the plans app's) and its risks, issues and
actions (the logs app's); the project list, a portfolio's page and the project export
show each project's schedule outlook. ``projects`` sits below ``plans`` and ``logs`` in
the layer order and cannot import them, so, as with ``core.history``'s contributed
history, those apps register here from their ``AppConfig.ready`` and the projects views
ask. A table of callables, not a signal: each page calls them by name, and with none
registered a page simply shows nothing extra.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class OverviewPanel:
    """One panel of a project's overview page: ``template`` rendered with ``context``
    (beside the page's own), panels in ascending ``order``."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


OverviewPanels = Callable[..., list[OverviewPanel]]  # panels(*, user, project) -> [...]
_overview_panels: list[OverviewPanels] = []


def contribute_overview_panels(panels: OverviewPanels) -> None:
    """Add ``panels(user=..., project=...) -> [OverviewPanel]`` to every project's
    overview. Call from the contributing app's ``AppConfig.ready``."""
    if panels not in _overview_panels:
        _overview_panels.append(panels)


def overview_panels(*, user, project) -> list[OverviewPanel]:
    """The panels every contributor gives for ``project`` as ``user`` sees it, in order."""
    found: list[OverviewPanel] = []
    for panels in _overview_panels:
        found += panels(user=user, project=project)
    return sorted(found, key=lambda panel: panel.order)


class Slip(Protocol):
    days_late: int | None  # working days late (negative: early); None: nothing to compare
    short: str  # "10 d late"
    sentence: str  # "10 working days late against baseline 0"


class ScheduleOutlook(Protocol):
    """What the projects app reads of a project's schedule outlook (the plans app's
    ``ProjectOutlook`` is one)."""

    forecast_finish: dt.date | None
    percent_complete: int | None
    rag: str  # "green", "amber", "red" or "not_assessed"
    rag_label: str
    rag_reason: str  # the RAG in one sentence, with why
    baseline: Slip  # against baseline 0
    planned: Slip  # against the project's planned finish
    slip: Slip  # the one the RAG is judged on


ScheduleOutlooks = Callable[..., dict[int, ScheduleOutlook]]  # outlooks(*, projects)
_schedule_outlooks: list[ScheduleOutlooks] = []


def contribute_schedule_outlooks(outlooks: ScheduleOutlooks) -> None:
    """Register ``outlooks(projects=...) -> {project id: outlook}``, which lists call once
    per page for all their projects, so it must not cost a schedule per project."""
    if outlooks not in _schedule_outlooks:
        _schedule_outlooks.append(outlooks)


def schedule_outlooks(*, projects: Iterable) -> dict[int, ScheduleOutlook]:
    """Each project's schedule outlook by id; empty when no app contributes one."""
    projects = list(projects)
    found: dict[int, ScheduleOutlook] = {}
    for outlooks in _schedule_outlooks:
        found.update(outlooks(projects=projects))
    return found
