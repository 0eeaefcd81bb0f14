"""Routine governance actions every project has; each project gets a few, at its own times.

``first`` picks where in the list a project starts, so neighbouring projects do not all
refresh their risk registers at once; the older actions are done, the latest still open.
"""

from __future__ import annotations

from collections.abc import Callable

from .story import DaysAfter, DaysFromToday, ItemStory, action, done

ROUTINE_ACTIONS = [
    ("Refresh the risk register before the quarterly portfolio review", "Portfolio review, {date}"),
    ("Send the monthly highlight report to {sponsor}", "Project board, {date}"),
    ("Confirm attendees and papers for the stage gate", "Stage gate, {date}"),
    ("Reconcile project spend to date with the finance ledger", "Month end, {date}"),
    ("Update the plan baseline after the approved change", "Change control, {date}"),
    ("Check the benefits measures with finance", "Project board, {date}"),
    ("Close or re-plan open actions older than a month", "RAID review, {date}"),
    ("Update the communications plan for the next stage", "Project board, {date}"),
    ("Agree stage tolerances with {sponsor}", "Project board, {date}"),
    ("Confirm team availability for the next stage with resourcing", "Project board, {date}"),
    ("Prepare the end-of-stage report for {sponsor}", "Stage gate, {date}"),
    ("Book the lessons learned session for the end of the stage", "Project board, {date}"),
]


def governance_actions(
    first: int, owners: tuple[str, ...], raised_at: tuple[float, ...]
) -> list[ItemStory]:
    """Routine actions: the older ones done, the latest still open (one of them late)."""
    items = []
    for number, at in enumerate(raised_at):
        title, detail = ROUTINE_ACTIONS[(first + number) % len(ROUTINE_ACTIONS)]
        owner = owners[number % len(owners)]
        last = number == len(raised_at) - 1
        if at < 0.85:
            steps = (done(min(at + 0.04, 0.99)),)
            due = DaysAfter(10)
        else:
            steps = ()
            due = DaysFromToday(-4) if last else DaysFromToday(11)
        items.append(action(None, at, title, owner=owner, due=due, detail=detail, steps=steps))
    return items


def with_governance(
    story: Callable[[], list[ItemStory]],
    first: int,
    owners: tuple[str, ...],
    raised_at: tuple[float, ...],
) -> Callable[[], list[ItemStory]]:
    """The project's ``story`` followed by its routine governance actions."""
    return lambda: [*story(), *governance_actions(first, owners, raised_at)]
