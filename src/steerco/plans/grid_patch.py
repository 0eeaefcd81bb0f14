"""Which rows of the plan page a save changed (ADR 18).

A cell save reschedules the plan, and the page gets back only the rows that now look
different: their grid row (dates, float, critical, % complete, roll-ups of summaries)
and their bar in the chart. Rows are compared by a fingerprint of what the page shows
of them (the grid row's values, the bar's moments, float, criticality, progress and
hover text), so a change that would not show sends nothing and one that would is never
missed.

``PageFacts`` are those fingerprints for a page as it was drawn. The plan page keeps them
for each page it draws (in the cache, under a token the page sends back with its
requests), so a save compares the plan after it with the page the user is looking at:
rows someone else changed since that page was drawn come back too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from .grid import GridRow
from .selectors import PlanView


@dataclass(frozen=True)
class PageFacts:
    """What a drawn page shows: its rows in order as (task id, fingerprint), the chart's
    drawing options and time span, and the arrows drawn (predecessor uid, successor uid)."""

    rows: tuple[tuple[int, bytes], ...]
    chart: tuple | None
    links: frozenset[tuple[int, int]]


def _bar_facts(view: PlanView) -> dict[int, tuple]:
    """What each task's bar shows, by task id."""
    facts = {}
    for item in view.rows:
        result, task = item.result, item.task
        facts[task.pk] = (
            None
            if result is None
            else (
                result.start,
                result.finish,
                result.total_slack_minutes,
                result.critical,
                task.percent_complete,
                task.name,
                task.wbs,
                task.milestone,
            )
        )
    return facts


def page_facts(
    view: PlanView,
    rows: Sequence[GridRow],
    *,
    chart: tuple | None,
    shown_uids: Collection[int],
) -> PageFacts:
    """The facts of a page showing ``rows`` of ``view``. ``chart``: what fixes where the
    chart draws anything (its options and time span), None without a chart."""
    bars = _bar_facts(view)
    fingerprints = []
    for row in rows:
        # The version is left out: only the saved row's changes, and it is always sent.
        shown = repr((replace(row, version=0), bars[row.pk])).encode()
        fingerprints.append((row.pk, hashlib.blake2b(shown, digest_size=12).digest()))
    shown = frozenset(shown_uids)
    links = frozenset(
        (link.predecessor_uid, link.successor_uid)
        for link in view.inputs.plan.links
        if link.predecessor_uid in shown and link.successor_uid in shown
    )
    return PageFacts(rows=tuple(fingerprints), chart=chart, links=links)


def changed_rows(before: PageFacts, after: PageFacts, *, saved: int) -> list[int] | None:
    """The indexes of the rows that differ between two drawings of the page, with row
    ``saved`` (a task id) always among them, since its version changed. None when the
    page must be drawn again: other rows are shown (a filter now matches other tasks).
    Whether the chart must be drawn again is ``chart_moved``."""
    if [pk for pk, _ in before.rows] != [pk for pk, _ in after.rows]:
        return None
    return [
        index
        for index, (old, new) in enumerate(zip(before.rows, after.rows, strict=True))
        if new[0] == saved or old[1] != new[1]
    ]


def chart_moved(before: PageFacts, after: PageFacts) -> bool:
    """The chart's options or time span differ (the plan now ends in another week): every
    shape moves or the chart widens, so it is drawn again whole."""
    return before.chart is None or before.chart != after.chart
