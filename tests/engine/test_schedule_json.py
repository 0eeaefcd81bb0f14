"""The status date as the command line and the API read it: ``status_date_from_text``."""

from __future__ import annotations

import datetime as dt

import pytest

from steerco.engine.interop.schedule_json import StatusDateError, status_date_from_text
from steerco.engine.scheduling import WorkingCalendar


def test_a_date_alone_is_the_end_of_that_working_day():
    assert status_date_from_text("2027-01-06", WorkingCalendar()) == dt.datetime(2027, 1, 6, 17)


def test_a_date_alone_on_a_weekend_is_the_end_of_the_friday_before():
    assert status_date_from_text("2027-01-09", WorkingCalendar()) == dt.datetime(2027, 1, 8, 17)


def test_a_date_and_time_is_taken_as_it_is_with_any_offset_kept_for_the_caller():
    calendar = WorkingCalendar()
    assert status_date_from_text("2027-01-06T12:30", calendar) == dt.datetime(2027, 1, 6, 12, 30)
    assert status_date_from_text("2027-01-06T12:30+01:00", calendar).utcoffset() == dt.timedelta(
        hours=1
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("next tuesday", "'next tuesday' is not an ISO date or date and time."),
        ("9999-12-31", "'9999-12-31' is outside the dates that can be scheduled."),
    ],
)
def test_an_unusable_status_date_says_why(text, message):
    with pytest.raises(StatusDateError) as caught:
        status_date_from_text(text, WorkingCalendar())
    assert str(caught.value) == message


def test_a_status_date_on_a_calendar_without_working_time_says_so():
    idle = WorkingCalendar(name="Idle", week={d: () for d in range(7)})
    with pytest.raises(StatusDateError) as caught:
        status_date_from_text("2027-01-06", idle)
    assert str(caught.value) == (
        "'2027-01-06' cannot end a working day: calendar 'Idle' has no working time."
    )
