"""How the plan grid writes durations and percentages (plans/display.py)."""

from __future__ import annotations

import pytest

from steerco.engine.interop.tasklist import parse_duration
from steerco.plans.display import duration_text, whole_percent_text


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (57.86, "58%"),
        (0, "0%"),
        (100, "100%"),
        (50.5, "51%"),
        ("12.50", "13%"),
        (0.4, "1%"),
        (99.6, "99%"),
    ],
)
def test_percentages_are_whole_and_never_claim_not_started_or_done_wrongly(value, shown):
    assert whole_percent_text(value) == shown


@pytest.mark.parametrize(
    ("minutes", "elapsed", "shown"),
    [
        (4800, False, "10 d"),
        (1200, False, "2.5 d"),
        (180, False, "3 h"),
        (45, False, "45 m"),
        (0, False, "0 d"),
        (2880, True, "2 ed"),
    ],
)
def test_durations_have_a_unit_and_read_back_exactly(minutes, elapsed, shown):
    assert duration_text(minutes, elapsed=elapsed, minutes_per_day=480) == shown
    parsed = parse_duration(shown, minutes_per_day=480)
    assert (parsed.minutes, parsed.elapsed) == (minutes, elapsed)
