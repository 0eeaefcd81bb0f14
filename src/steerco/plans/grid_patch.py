"""Which rows of the plan page a save changed (ADR 18).

A cell save reschedules the plan, and the page gets back only the rows that look
different: their grid row (dates, float, critical, % complete, roll-ups of summaries)
and their bar in the chart. Both are compared as the page shows them (the grid row's
values and the bar's dates, float, criticality and progress), so a change that would not
show sends nothing, and one that would is never missed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from .grid import GridRow
from .selectors import PlanView


@dataclass(frozen=True)
class RowChange:
    """One row to replace: where it is among the rows shown, what it shows now, and the
    task's uid (its bar in the chart)."""

    index: int
    row: GridRow
    uid: int


def _bar_facts(view: PlanView) -> dict[int, tuple]:
    """What a task's bar shows, by task id: its moments, float, criticality, progress and
    the words of its hover text."""
    facts = {}
    for item in view.rows:
        result, task = item.result, item.task
        if result is None:
            facts[task.pk] = None
            continue
        facts[task.pk] = (
            result.start,
            result.finish,
            result.total_slack_minutes,
            result.critical,
            task.percent_complete,
            task.name,
            task.wbs,
        )
    return facts


def changed_rows(
    before: tuple[PlanView, Sequence[GridRow]],
    after: tuple[PlanView, Sequence[GridRow]],
    *,
    saved: int,
) -> list[RowChange] | None:
    """The rows that differ between two renderings of the same page, with row ``saved``
    (a task id) always among them, since its version changed. None when the rows shown
    are not the same tasks in the same order (a filter now matches other tasks): the
    page must then be drawn again."""
    (view_before, rows_before), (view_after, rows_after) = before, after
    if [row.pk for row in rows_before] != [row.pk for row in rows_after]:
        return None
    bars_before, bars_after = _bar_facts(view_before), _bar_facts(view_after)
    uid_of = {item.task.pk: item.task.uid for item in view_after.rows}
    changes = []
    for index, (old, new) in enumerate(zip(rows_before, rows_after, strict=True)):
        same_row = replace(old, version=new.version) == new
        if new.pk == saved or not same_row or bars_before[new.pk] != bars_after[new.pk]:
            changes.append(RowChange(index=index, row=new, uid=uid_of[new.pk]))
    return changes
