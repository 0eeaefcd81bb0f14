"""The booking rules: clashes (with buffers, and between a room and its parts), notice and
advance limits, groups, recurring series and their exceptions, cancel and undo."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied

from steerco.bookings import services
from steerco.bookings.models import Booking, Claim
from steerco.core.exceptions import DomainError

from .conftest import NOW, at


def test_a_clash_is_refused_naming_the_booking_it_meets(rooms, book):
    first = book("tom", rooms.east, at(3, 10), at(3, 11), purpose="Sprint review")
    with pytest.raises(services.BookingClash) as caught:
        book("priya", rooms.east, at(3, 10, 30), at(3, 11, 30))
    assert caught.value.conflicting.pk == first.pk
    assert "Sprint review" in caught.value.message and "Tom Turner" in caught.value.message
    assert caught.value.details["booking"] == first.pk
    assert Booking.objects.filter(resource=rooms.east).count() == 1


def test_back_to_back_bookings_without_buffers_both_stand(rooms, book):
    book("tom", rooms.east, at(3, 10), at(3, 11))
    book("priya", rooms.east, at(3, 11), at(3, 12))
    assert Booking.objects.filter(resource=rooms.east).count() == 2


def test_buffers_keep_bookings_apart(rooms, book):
    """Kew needs 15 minutes after and 10 before: a booking ending at 11:00 holds it until
    11:15, and the next one's span starts 10 minutes before its start."""
    book("tom", rooms.small, at(3, 10), at(3, 11))
    with pytest.raises(services.BookingClash):
        book("priya", rooms.small, at(3, 11, 20), at(3, 12))  # its span starts 11:10
    book("priya", rooms.small, at(3, 11, 25), at(3, 12))  # span from 11:15: free


def test_booking_the_whole_hall_blocks_each_half(rooms, book):
    hall = book("tom", rooms.hall, at(3, 9), at(3, 12), purpose="Town hall")
    for half in (rooms.east, rooms.west):
        with pytest.raises(services.BookingClash) as caught:
            book("priya", half, at(3, 10), at(3, 11))
        assert caught.value.conflicting.pk == hall.pk


def test_booking_a_half_blocks_the_whole_but_not_the_other_half(rooms, book):
    east = book("tom", rooms.east, at(3, 10), at(3, 11))
    book("priya", rooms.west, at(3, 10), at(3, 11))
    with pytest.raises(services.BookingClash) as caught:
        book("mary", rooms.hall, at(3, 9), at(3, 12))
    assert caught.value.conflicting.pk == east.pk


def test_a_booking_that_ends_before_it_starts_is_refused(rooms, book):
    with pytest.raises(DomainError, match="end after it starts") as caught:
        book("tom", rooms.east, at(3, 11), at(3, 10))
    assert "end" in caught.value.fields


def test_a_time_without_offset_is_refused(rooms, book):
    with pytest.raises(DomainError, match="offset"):
        book("tom", rooms.east, dt.datetime(2026, 3, 3, 10), dt.datetime(2026, 3, 3, 11))


def test_minimum_notice_and_furthest_advance(rooms, book):
    with pytest.raises(DomainError, match="at least 120 minutes"):
        book("tom", rooms.projector, NOW + dt.timedelta(minutes=60), NOW + dt.timedelta(hours=2))
    with pytest.raises(DomainError, match="at most 14 days ahead"):
        book("tom", rooms.projector, at(20, 9), at(20, 10))
    book("tom", rooms.projector, at(2, 10, 30), at(2, 11))  # 150 minutes' notice
    book("tom", rooms.projector, at(16, 7), at(16, 8))  # within 14 days


def test_a_booking_in_the_past_is_refused(rooms, book):
    with pytest.raises(DomainError, match="in the past"):
        book("tom", rooms.east, at(1, 10), at(1, 11))


def test_only_the_groups_a_resource_names_may_book_it(org, rooms, book):
    drivers = Group.objects.create(name="Drivers")
    rooms.projector.allowed_groups.add(drivers)
    with pytest.raises(DomainError, match="Drivers"):
        book("tom", rooms.projector, at(3, 10), at(3, 11))
    org.tom.groups.add(drivers)
    book("tom", rooms.projector, at(3, 10), at(3, 11))


def test_weekly_series_keeps_its_wall_clock_time_across_summer_time(rooms, book):
    """London moves to UTC+1 on 29 March 2026: 09:30 local is 09:30Z before, 08:30Z after."""
    first = book(
        "priya", rooms.east, at(3, 9, 30), at(3, 10), recurrence_rule="FREQ=WEEKLY;COUNT=6"
    )
    starts = list(first.series.occurrences.order_by("start").values_list("start", flat=True))
    utc = dt.UTC
    assert starts == [
        dt.datetime(2026, 3, 3, 9, 30, tzinfo=utc),
        dt.datetime(2026, 3, 10, 9, 30, tzinfo=utc),
        dt.datetime(2026, 3, 17, 9, 30, tzinfo=utc),
        dt.datetime(2026, 3, 24, 9, 30, tzinfo=utc),
        dt.datetime(2026, 3, 31, 8, 30, tzinfo=utc),
        dt.datetime(2026, 4, 7, 8, 30, tzinfo=utc),
    ]
    assert Claim.objects.filter(booking__series=first.series).count() == 6


def test_a_series_clashing_in_one_occurrence_is_refused_naming_its_date(rooms, book):
    blocker = book("tom", rooms.east, at(17, 9), at(17, 10), purpose="Supplier visit")
    with pytest.raises(services.BookingClash) as caught:
        book("priya", rooms.east, at(3, 9, 30), at(3, 10), recurrence_rule="FREQ=WEEKLY;COUNT=4")
    assert "2026-03-17" in caught.value.message
    assert caught.value.details["occurrence_date"] == "2026-03-17"
    assert caught.value.conflicting.pk == blocker.pk
    assert Booking.objects.filter(resource=rooms.east).count() == 1  # nothing of the series


@pytest.mark.parametrize(
    "rule, message",
    [
        ("FREQ=HOURLY", "daily, weekly"),
        ("BYDAY=MO", "needs a FREQ"),
        ("FREQ=WEEKLY;BYDAY=XX", "not valid"),
        ("FREQ=DAILY", "more than 520"),
        ("FREQ=WEEKLY;UNTIL=20260301T000000Z", "no occurrence"),
    ],
)
def test_unusable_rules_are_refused_with_a_reason(rooms, book, settings, rule, message):
    settings.STEERCO_BOOKING_HORIZON_DAYS = 3650
    with pytest.raises(DomainError, match=message):
        book("priya", rooms.east, at(3, 9), at(3, 10), recurrence_rule=rule)


def test_moving_one_occurrence_makes_it_an_exception_and_frees_its_old_time(rooms, book, org):
    first = book("priya", rooms.east, at(3, 9), at(3, 10), recurrence_rule="FREQ=WEEKLY;COUNT=3")
    second = first.series.occurrences.order_by("start")[1]
    moved = services.booking_update(
        actor=org.priya,
        booking=second,
        expected_version=second.version,
        start=at(11, 14),
        end=at(11, 15),
        now=NOW,
    )
    assert moved.is_exception and moved.original_start == at(10, 9)
    book("tom", rooms.east, at(10, 9), at(10, 10))  # the old time is free
    with pytest.raises(services.BookingClash):
        book("tom", rooms.east, at(11, 14), at(11, 15))


def test_cancel_frees_the_time_and_undo_brings_it_back(rooms, book, org):
    booking = book("tom", rooms.east, at(3, 10), at(3, 11))
    services.booking_cancel(actor=org.tom, booking=booking, expected_version=booking.version)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and not booking.claims.exists()
    services.booking_restore(actor=org.tom, booking=booking, expected_version=booking.version)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED and booking.claims.count() == 1
    assert booking.history.count() >= 3  # created, cancelled, restored


def test_undo_is_refused_when_someone_took_the_time_meanwhile(rooms, book, org):
    booking = book("tom", rooms.east, at(3, 10), at(3, 11))
    services.booking_cancel(actor=org.tom, booking=booking, expected_version=booking.version)
    taker = book("priya", rooms.east, at(3, 10), at(3, 11), purpose="Taken")
    booking.refresh_from_db()
    with pytest.raises(services.BookingClash) as caught:
        services.booking_restore(actor=org.tom, booking=booking, expected_version=booking.version)
    assert caught.value.conflicting.pk == taker.pk


def test_cancelling_from_one_occurrence_on_keeps_the_earlier_ones(rooms, book, org):
    first = book("priya", rooms.east, at(3, 9), at(3, 10), recurrence_rule="FREQ=WEEKLY;COUNT=4")
    third = first.series.occurrences.order_by("start")[2]
    services.booking_cancel(
        actor=org.priya, booking=third, expected_version=third.version, whole_series=True
    )
    statuses = list(first.series.occurrences.order_by("start").values_list("status", flat=True))
    assert statuses == ["confirmed", "confirmed", "cancelled", "cancelled"]


def test_only_the_booker_the_managers_and_administrators_change_a_booking(rooms, book, org):
    booking = book("tom", rooms.small, at(3, 10), at(3, 11))
    with pytest.raises(PermissionDenied):
        services.booking_cancel(actor=org.priya, booking=booking, expected_version=booking.version)
    # mary manages Kew; bob is the PMO, which is no facilities role.
    with pytest.raises(PermissionDenied):
        services.booking_cancel(actor=org.bob, booking=booking, expected_version=booking.version)
    services.booking_cancel(actor=org.mary, booking=booking, expected_version=booking.version)


def test_a_stale_version_is_refused(rooms, book, org):
    from steerco.core.exceptions import VersionConflict

    booking = book("tom", rooms.east, at(3, 10), at(3, 11))
    services.booking_update(actor=org.tom, booking=booking, expected_version=1, purpose="New")
    with pytest.raises(VersionConflict):
        services.booking_cancel(actor=org.tom, booking=booking, expected_version=1)


def test_no_shows_are_released_after_the_grace_minutes(rooms, book, org):
    rooms.east.check_in_required = True
    rooms.east.auto_release_minutes = 15
    rooms.east.save()
    kept = book("tom", rooms.east, at(3, 10), at(3, 11))
    lost = book("priya", rooms.east, at(3, 12), at(3, 13))
    services.booking_check_in(actor=org.tom, booking=kept, now=at(3, 9, 50))
    assert services.release_no_shows(now=at(3, 12, 14)) == []
    assert services.release_no_shows(now=at(3, 12, 15)) == [lost.pk]
    lost.refresh_from_db()
    kept.refresh_from_db()
    assert (lost.status, kept.status) == ("released", "confirmed")
    book("mary", rooms.east, at(3, 12, 20), at(3, 13))  # the time is free again


def test_check_in_opens_fifteen_minutes_before(rooms, book, org):
    booking = book("tom", rooms.east, at(3, 10), at(3, 11))
    with pytest.raises(DomainError, match="15 minutes"):
        services.booking_check_in(actor=org.tom, booking=booking, now=at(3, 9, 40))


def test_series_are_extended_as_the_horizon_moves_without_double_booking(rooms, book, settings):
    """An occurrence someone else booked beyond the horizon is made cancelled, not doubled."""
    settings.STEERCO_BOOKING_HORIZON_DAYS = 14
    first = book("priya", rooms.east, at(3, 9), at(3, 10), recurrence_rule="FREQ=WEEKLY")
    assert first.series.occurrences.count() == 2  # 3 and 10 March; 17 March is beyond
    book("tom", rooms.east, at(17, 9), at(17, 10), purpose="Got there first")
    made = services.series_extend(now=NOW + dt.timedelta(days=14))
    assert made == 2  # 17 and 24 March
    occurrences = first.series.occurrences.order_by("start")
    assert [(o.start.day, o.status) for o in occurrences] == [
        (3, "confirmed"),
        (10, "confirmed"),
        (17, "cancelled"),
        (24, "confirmed"),
    ]
    assert services.series_extend(now=NOW + dt.timedelta(days=14)) == 0


def test_the_periodic_job_is_declared_and_its_tick_releases_and_extends(rooms, book, settings):
    from steerco.bookings.tasks import bookings_tick
    from steerco.core.background import periodic_jobs

    assert "bookings" in {job.name for job in periodic_jobs()}
    assert bookings_tick() == {"released": [], "occurrences_made": 0}
