"""No double booking under concurrency, on SQLite and on PostgreSQL (issue 10).

``benchmarks/bench_booking_race.py`` runs against a real database shared by many threads,
each with its own connection (the test database of the SQLite suite lives in memory, where
locking is another matter): sixteen requests for the same slot, then sixteen for a split
hall and its half at overlapping times. Exactly one of each round is made; every other
request is refused 409 naming it.
"""

from __future__ import annotations

import pytest

THREADS = 16


@pytest.mark.alone
def test_many_concurrent_requests_for_one_slot_make_exactly_one_booking(
    benchmark_against_scratch_database,
):
    figures = benchmark_against_scratch_database(
        "bench_booking_race.py", "--threads", str(THREADS), timeout=600
    )
    for round_name in ("same_slot", "whole_and_parts"):
        outcome = figures[round_name]
        assert outcome["requests"] == THREADS, outcome
        assert outcome["made"] == 1, outcome
        assert outcome["refused_409"] == THREADS - 1, outcome
        assert outcome["refusals_name_the_winner"], outcome
    assert figures["overlapping_claims"] == 0, figures
