"""The schedule's RAG from a finish's slip in working days, at the tolerances' edges."""

from __future__ import annotations

import pytest

from steerco.engine.scheduling.outlook import ScheduleRag, SlipTolerance, schedule_rag

TOLERANCE = SlipTolerance(green_days=5, amber_days=20)


@pytest.mark.parametrize(
    ("days_late", "rag"),
    [
        (-12, ScheduleRag.GREEN),  # early
        (0, ScheduleRag.GREEN),
        (5, ScheduleRag.GREEN),  # within the green tolerance
        (6, ScheduleRag.AMBER),
        (20, ScheduleRag.AMBER),
        (21, ScheduleRag.RED),
    ],
)
def test_a_slip_is_green_then_amber_then_red(days_late, rag):
    assert schedule_rag(days_late, TOLERANCE) is rag


def test_a_zero_tolerance_makes_any_lateness_amber():
    assert schedule_rag(1, SlipTolerance(green_days=0, amber_days=0)) is ScheduleRag.RED
    assert schedule_rag(1, SlipTolerance(green_days=0, amber_days=10)) is ScheduleRag.AMBER


def test_tolerances_out_of_order_are_refused():
    with pytest.raises(ValueError, match="green"):
        SlipTolerance(green_days=10, amber_days=5)
