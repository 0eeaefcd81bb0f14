"""Working-time arithmetic, checked against cases worked by hand on a wall calendar.

The standard calendar is Monday–Friday 08:00–12:00 and 13:00–17:00 (480 minutes a day).
2024-05-03 is a Friday; 2024-05-06 a Monday.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from steerco.engine.scheduling.calendar import (
    CalendarError,
    CalendarException,
    CalendarHorizonError,
    Form,
    NoWorkingTimeError,
    WorkingCalendar,
)

FRI = dt.date(2024, 5, 3)
MON = dt.date(2024, 5, 6)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


@pytest.fixture
def standard() -> WorkingCalendar:
    return WorkingCalendar()


def test_one_day_of_work_from_a_morning_finishes_at_five(standard):
    assert standard.add_working_minutes(at(MON, 8), 480) == at(MON, 17)


def test_adding_time_skips_the_lunch_break(standard):
    # 11:00 + 2 h: one hour before lunch, one after -> 14:00
    assert standard.add_working_minutes(at(MON, 11), 120) == at(MON, 14)


def test_a_finish_at_the_end_of_a_day_stays_there_not_next_morning(standard):
    """MS Project shows a one-day task on Friday as finishing Friday 17:00."""
    assert standard.add_working_minutes(at(FRI, 8), 480) == at(FRI, 17)


def test_adding_from_a_friday_finish_carries_over_the_weekend(standard):
    assert standard.add_working_minutes(at(FRI, 17), 60) == at(MON, 9)


def test_zero_minutes_moves_a_start_to_the_next_working_minute(standard):
    assert standard.add_working_minutes(at(FRI, 17), 0) == at(MON, 8)
    assert standard.add_working_minutes(at(MON, 12, 30), 0) == at(MON, 13)


def test_subtracting_lands_on_the_start_of_an_interval(standard):
    """Backward, a boundary result is a start: Monday 08:00 minus a day is Friday 08:00."""
    assert standard.add_working_minutes(at(MON, 17), -480) == at(MON, 8)
    assert standard.add_working_minutes(at(MON, 8), -480) == at(FRI, 8)
    assert standard.add_working_minutes(at(MON, 9), -120) == at(FRI, 16)


def test_next_and_previous_working_time(standard):
    saturday_noon = at(dt.date(2024, 5, 4), 12)
    assert standard.next_working_time(saturday_noon) == at(MON, 8)
    assert standard.previous_working_time(saturday_noon) == at(FRI, 17)
    assert standard.previous_working_time(at(MON, 12, 30)) == at(MON, 12)
    assert standard.next_working_time(at(MON, 10)) == at(MON, 10)


def test_working_minutes_between_counts_only_working_time(standard):
    assert standard.working_minutes_between(at(FRI, 8), at(MON, 17)) == 960
    assert standard.working_minutes_between(at(MON, 17), at(FRI, 8)) == -960
    assert standard.working_minutes_between(at(FRI, 17), at(MON, 8)) == 0


def test_a_non_working_exception_day_is_skipped():
    calendar = WorkingCalendar(exceptions=[CalendarException(MON, MON)])
    assert calendar.add_working_minutes(at(FRI, 17), 480) == at(dt.date(2024, 5, 7), 17)


def test_an_exception_range_with_its_own_hours():
    """Short days 09:00–13:00 on Mon–Tue: 8 h from Monday 09:00 ends Tuesday 13:00."""
    calendar = WorkingCalendar(
        exceptions=[CalendarException(MON, dt.date(2024, 5, 7), ((9 * 60, 13 * 60),))]
    )
    assert calendar.add_working_minutes(at(MON, 0), 480) == at(dt.date(2024, 5, 7), 13)


def test_a_saturday_made_working_by_exception():
    saturday = dt.date(2024, 5, 4)
    calendar = WorkingCalendar(
        exceptions=[CalendarException(saturday, saturday, ((8 * 60, 12 * 60),))]
    )
    assert calendar.add_working_minutes(at(FRI, 17), 240) == at(saturday, 12)


def test_recurring_yearly_exception_applies_every_year():
    christmas = CalendarException(
        dt.date(2000, 12, 25), dt.date(2000, 12, 26), recurring_yearly=True
    )
    calendar = WorkingCalendar(exceptions=[christmas])
    # 2030-12-24 is a Tuesday; 25 and 26 are off, so a day after Tue 17:00 ends Fri 27th 17:00
    assert calendar.add_working_minutes(dt.datetime(2030, 12, 24, 17), 480) == dt.datetime(
        2030, 12, 27, 17
    )


def test_public_holidays_of_a_country():
    """England and Wales: 2024-05-06 is the Early May bank holiday (a Monday)."""
    calendar = WorkingCalendar(country="GB")
    assert calendar.add_working_minutes(at(FRI, 17), 480) == at(dt.date(2024, 5, 7), 17)
    assert not calendar.is_working_day(MON)


def test_holidays_are_computed_for_any_year_lazily():
    """New Year's Day 2040 is a Sunday, so the UK substitute holiday is Monday 2 January."""
    calendar = WorkingCalendar(country="GB")
    assert calendar.next_working_time(dt.datetime(2039, 12, 30, 17)) == dt.datetime(2040, 1, 3, 8)


def test_derived_calendar_inherits_from_its_base():
    base = WorkingCalendar(name="Company", exceptions=[CalendarException(MON, MON)])
    night = WorkingCalendar(name="Alice", week={4: ((20 * 60, 24 * 60),)}, base=base)
    # Friday is Alice's own: 20:00–24:00; Monday is inherited (the base's holiday).
    assert night.intervals_on(FRI) == ((20 * 60, 24 * 60),)
    assert night.intervals_on(MON) == ()
    assert night.intervals_on(dt.date(2024, 5, 7)) == ((480, 720), (780, 1020))
    assert night.add_working_minutes(at(FRI, 8), 240) == dt.datetime(2024, 5, 4, 0, 0)


def test_night_shift_crossing_midnight():
    """Night shift as in MS Project: Mon 23:00–24:00, Tue 00:00–03:00 and 04:00–08:00, ..."""
    night = WorkingCalendar(
        week={0: ((23 * 60, 1440),), 1: ((0, 180), (240, 480), (23 * 60, 1440))}
        | {d: () for d in range(2, 7)}
    )
    # 8 hours from Monday 23:00: 1 h + 3 h + 4 h -> Tuesday 08:00
    assert night.add_working_minutes(at(MON, 12), 480) == at(dt.date(2024, 5, 7), 8)


def test_a_calendar_without_working_time_is_refused():
    idle = WorkingCalendar(week={d: () for d in range(7)})
    with pytest.raises(CalendarError):
        idle.add_working_minutes(at(MON, 8), 60)


def test_a_calendar_without_working_time_says_it_has_none():
    idle = WorkingCalendar(name="Idle", week={d: () for d in range(7)})
    with pytest.raises(NoWorkingTimeError, match=r"^Calendar 'Idle' has no working time\.$"):
        idle.next_working_time(at(MON, 8))


def test_working_time_past_the_horizon_is_refused_with_the_horizon_date(standard):
    """The index stops widening once it spans a century: 150 years of work lies beyond."""
    with pytest.raises(CalendarHorizonError) as caught:
        standard.add_working_minutes(at(MON, 8), 150 * 260 * 480)
    horizon = caught.value.horizon
    assert not caught.value.before and 100 <= (horizon - MON).days / 365.25 <= 102
    assert str(caught.value) == (
        f"Calendar 'Standard' reaches only up to {horizon.isoformat()}, its horizon."
    )
    # The position at the horizon lets a scheduler tell which dates lie beyond it.
    assert standard.datetime_at(caught.value.position - 1, Form.FINISH).date() <= horizon


def test_dates_stop_at_the_year_9999_as_a_horizon(standard):
    with pytest.raises(CalendarHorizonError) as caught:
        standard.add_working_minutes(dt.datetime(9999, 12, 1, 8), 100 * 480)
    assert caught.value.horizon == dt.date.max


def test_overlapping_intervals_are_refused():
    with pytest.raises(CalendarError):
        WorkingCalendar(week={0: ((480, 720), (700, 800))})


def test_far_dates_extend_the_index_both_ways(standard):
    assert standard.add_working_minutes(dt.datetime(1990, 1, 1, 8), 480) == dt.datetime(
        1990, 1, 1, 17
    )
    assert standard.add_working_minutes(dt.datetime(2090, 1, 2, 8), 480) == dt.datetime(
        2090, 1, 2, 17
    )
    # Positions stay consistent after widening: Friday to Monday is still one day.
    assert standard.working_minutes_between(at(FRI, 8), at(MON, 8)) == 480


def test_vectorised_conversion_matches_the_scalar_one(standard):
    origin = standard.position(at(MON, 8))
    positions = np.array([origin, origin + 240, origin + 480, origin + 500])
    for form in Form:
        expected = [standard.datetime_at(int(p), form) for p in positions]
        assert standard.datetimes_at(positions, form) == expected
    assert standard.datetimes_at(positions, Form.FINISH)[2] == at(MON, 17)
    assert standard.datetimes_at(positions, Form.START)[2] == at(dt.date(2024, 5, 7), 8)


def test_missing_reference_data_skips_or_fails_loudly(monkeypatch, tmp_path):
    """Without shared/ beside the repo the reference tests skip with the reason, or fail when
    STEERCO_REQUIRE_ALL=1 (as CI sets it)."""
    from . import conftest

    monkeypatch.setattr(conftest, "SHARED_DATA", tmp_path / "missing")
    monkeypatch.delenv("STEERCO_REQUIRE_ALL", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"reference data .* is missing"):
        conftest.shared_file("mspdi", "x.xml")
    monkeypatch.setenv("STEERCO_REQUIRE_ALL", "1")
    with pytest.raises(pytest.fail.Exception, match="missing"):
        conftest.shared_file("mspdi", "x.xml")


def test_unknown_holiday_country_is_a_calendar_error():
    with pytest.raises(CalendarError, match="no public holidays are known"):
        WorkingCalendar(country="XX").is_working_day(MON)


# --- working days between two dates ------------------------------------------------------


def test_working_days_between_skip_weekends_and_holidays():
    """Worked on a wall calendar: Friday 1 May 2026 to Monday 18 May 2026 spans 17
    calendar days; without two weekends and the May Day holiday (Monday 4 May, GB) the
    days after 1 May up to 18 May are Tue 5–Fri 8 (4), Mon 11–Fri 15 (5), Mon 18 (1): 10."""
    calendar = WorkingCalendar(country="GB", subdivision="ENG")

    assert calendar.working_days_between(dt.date(2026, 5, 1), dt.date(2026, 5, 18)) == 10


def test_working_days_between_is_negative_when_the_second_date_is_earlier(standard):
    assert standard.working_days_between(MON, FRI) == -1
    assert standard.working_days_between(FRI, MON) == 1


def test_working_days_between_a_date_and_itself_or_a_weekend_day_is_zero(standard):
    assert standard.working_days_between(FRI, FRI) == 0
    assert standard.working_days_between(FRI, FRI + dt.timedelta(days=2)) == 0


def test_working_days_between_counts_an_exceptional_working_saturday(standard):
    saturday = FRI + dt.timedelta(days=1)
    calendar = WorkingCalendar(
        exceptions=[CalendarException(saturday, saturday, intervals=((540, 780),))]
    )
    assert calendar.working_days_between(FRI, MON) == 2
