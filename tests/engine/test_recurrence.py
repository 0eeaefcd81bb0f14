"""RRULE expansion on a place's wall clock (RFC 5545 section 3.3.10), without Django."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from steerco.engine.recurrence import RecurrenceError, expand

NEW_YORK = ZoneInfo("America/New_York")
UTC = dt.UTC


def test_a_weekly_meeting_keeps_its_local_time_when_new_york_springs_forward():
    """US clocks go forward on Sunday 8 March 2026: 10:00 EST is 15:00Z, EDT 14:00Z."""
    start = dt.datetime(2026, 3, 2, 10, 0, tzinfo=NEW_YORK)
    occurrences = expand(
        "RRULE:FREQ=WEEKLY;COUNT=3",
        first_start=start,
        first_end=start + dt.timedelta(minutes=30),
        zone="America/New_York",
        until=dt.datetime(2027, 1, 1, tzinfo=UTC),
        limit=10,
    )
    assert [o.start for o in occurrences] == [
        dt.datetime(2026, 3, 2, 15, 0, tzinfo=UTC),
        dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC),
        dt.datetime(2026, 3, 16, 14, 0, tzinfo=UTC),
    ]
    assert all(o.end - o.start == dt.timedelta(minutes=30) for o in occurrences)


def test_until_in_utc_ends_the_series_and_the_horizon_cuts_an_endless_one():
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    until_rule = expand(
        "FREQ=DAILY;UNTIL=20260304T090000Z",
        first_start=start,
        first_end=start + dt.timedelta(hours=1),
        zone="UTC",
        until=dt.datetime(2027, 1, 1, tzinfo=UTC),
        limit=10,
    )
    assert [o.start.day for o in until_rule] == [2, 3, 4]
    endless = expand(
        "FREQ=WEEKLY",
        first_start=start,
        first_end=start + dt.timedelta(hours=1),
        zone="UTC",
        until=dt.datetime(2026, 3, 20, tzinfo=UTC),
        limit=10,
    )
    assert [o.start.day for o in endless] == [2, 9, 16]


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=MINUTELY",
        "",
        "DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY",
        "FREQ=DAILY;UNTIL=20260310",
    ],
)
def test_rules_that_cannot_be_booked_are_refused(rule):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with pytest.raises(RecurrenceError):
        expand(
            rule,
            first_start=start,
            first_end=start + dt.timedelta(hours=1),
            zone="Europe/London",
            until=dt.datetime(2027, 1, 1, tzinfo=UTC),
            limit=10,
        )
