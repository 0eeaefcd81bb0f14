"""The pause a large import leaves SQLite's write lock free after each batch (ADR 15):
long enough for every writer that waited meanwhile to try again, and no longer."""

from __future__ import annotations

import pytest

from steerco.plans.transfer import SQLITE_PAUSE_SECONDS, sqlite_pause

#: SQLite's own busy handler (sqliteDefaultBusyCallback in main.c): the sleeps, in ms,
#: between a waiting writer's tries; after the last, 100 ms at a time.
BUSY_DELAYS_MS = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100]


def next_try_after(waited: float) -> float:
    """When a writer that began waiting ``waited`` seconds ago next tries, from now."""
    slept = 0.0
    for delay in BUSY_DELAYS_MS + [100] * 1000:
        slept += delay / 1000
        if slept >= waited:
            return slept - waited
    raise AssertionError("waited too long")


@pytest.mark.parametrize("held", [0.0005, 0.004, 0.02, 0.05, 0.09, 0.12, 0.15, 0.2, 0.3, 2.0])
def test_every_writer_that_waited_during_a_batch_tries_again_during_the_pause(held):
    # A writer may have begun waiting at any moment of the batch.
    for tenth in range(11):
        waited = held * tenth / 10
        assert next_try_after(waited) < sqlite_pause(waited=0.0, held=held)


def test_a_short_batch_pauses_briefly():
    assert sqlite_pause(waited=0.0, held=0.1) < SQLITE_PAUSE_SECONDS / 2


def test_a_batch_that_waited_for_the_lock_pauses_longest():
    """Whoever else was waiting may be in the busy handler's longest sleep."""
    assert sqlite_pause(waited=0.03, held=0.001) == SQLITE_PAUSE_SECONDS


def test_a_long_batch_pauses_longest():
    assert sqlite_pause(waited=0.0, held=0.5) == SQLITE_PAUSE_SECONDS
