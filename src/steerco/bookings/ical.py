"""Bookings as iCalendar (RFC 5545) with the ``icalendar`` package: feeds and invitations.

A series is written once, as its first occurrence with the RRULE, plus an EXDATE for each
occurrence cancelled on its own and a VEVENT with RECURRENCE-ID for each one changed on
its own, which is how Outlook, Google Calendar and Thunderbird expect a changed series.
Times are written in the resource's time zone with its VTIMEZONE, so a client expands
the rule on the same wall clock as SteerCo did.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, FreeBusy, vCalAddress, vPeriod, vRecur, vText

from .models import Booking, BookingSeries

PRODID = "-//SteerCo//Bookings//EN"


def uid_of(booking: Booking) -> str:
    """One UID per series (its occurrences share it, told apart by RECURRENCE-ID), else
    one per booking."""
    domain = getattr(settings, "STEERCO_CALENDAR_DOMAIN", "steerco.invalid")
    if booking.series_id is not None:
        return f"series-{booking.series_id}@{domain}"
    return f"booking-{booking.pk}@{domain}"


def new_calendar(*, name: str = "", method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def _local(moment: dt.datetime, zone: str) -> dt.datetime:
    return moment.astimezone(ZoneInfo(zone))


def _event(booking: Booking, *, start: dt.datetime, end: dt.datetime, sequence: int) -> Event:
    zone = booking.resource.time_zone
    event = Event()
    event.add("uid", uid_of(booking))
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", _local(start, zone))
    event.add("dtend", _local(end, zone))
    event.add("summary", booking.purpose)
    event.add("location", booking.resource.name)
    event.add("sequence", sequence)
    description = [f"{booking.resource.name}, booked by {booking.booked_by.name}."]
    if booking.project_id is not None:
        description.append(f"Project {booking.project.code} {booking.project.name}.")
    event.add("description", " ".join(description))
    return event


def _with_people(event: Event, booking: Booking, attendees: Iterable) -> None:
    if booking.booked_by.email:
        organizer = vCalAddress(f"mailto:{booking.booked_by.email}")
        organizer.params["cn"] = vText(booking.booked_by.name)
        event.add("organizer", organizer)
    for person in attendees:
        if not person.email:
            continue
        address = vCalAddress(f"mailto:{person.email}")
        address.params["cn"] = vText(person.name)
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("NEEDS-ACTION")
        address.params["rsvp"] = vText("TRUE")
        event.add("attendee", address)


def series_events(series: BookingSeries, occurrences: list[Booking]) -> list[Event]:
    """The master VEVENT (RRULE, EXDATEs) and one VEVENT per changed occurrence."""
    if not occurrences:
        return []
    first = min(occurrences, key=lambda b: b.original_start or b.start)
    master = _event(first, start=series.first_start, end=series.first_end, sequence=series.version)
    master["summary"] = vText(series.purpose)
    rule = vRecur.from_ical(series.rrule)
    zone = series.time_zone
    kept = occurrences
    if series.cancelled_at is not None:
        # Cancelled from one occurrence on: the rule ends with the last occurrence before
        # it, so calendar applications stop there rather than expand it for ever.
        cut = min(
            (b.original_start for b in occurrences if b.cancelled_at == series.cancelled_at),
            default=None,
        )
        if cut is not None:
            kept = [b for b in occurrences if b.original_start < cut]
            if not kept:
                return []  # cancelled from its first occurrence: nothing left to show
            rule.pop("COUNT", None)
            rule["UNTIL"] = [cut.astimezone(dt.UTC) - dt.timedelta(seconds=1)]
    master.add("rrule", rule)
    cancelled = [
        _local(b.original_start, zone)
        for b in kept
        if b.status != Booking.Status.CONFIRMED and b.original_start is not None
    ]
    for day in sorted(cancelled):
        master.add("exdate", day)
    events = [master]
    for booking in occurrences:
        if booking.is_live and booking.is_exception:
            event = _event(booking, start=booking.start, end=booking.end, sequence=booking.version)
            event.add("recurrence-id", _local(booking.original_start, zone))
            events.append(event)
    return events


def feed_calendar(*, name: str, bookings: list[Booking], series_occurrences: dict) -> Calendar:
    """A subscription calendar: single bookings that are live, and each series whole.

    ``series_occurrences`` maps each series to all its occurrences (live or not), which
    its EXDATEs and RECURRENCE-IDs are made from.
    """
    calendar = new_calendar(name=name)
    for booking in bookings:
        if booking.series_id is None and booking.is_live:
            calendar.add_component(
                _event(booking, start=booking.start, end=booking.end, sequence=booking.version)
            )
    for series, occurrences in series_occurrences.items():
        for event in series_events(series, occurrences):
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar


def free_busy_calendar(
    *, name: str, busy: list[tuple[dt.datetime, dt.datetime]], start, end
) -> Calendar:
    """VFREEBUSY of a resource: the busy periods (UTC) between ``start`` and ``end``."""
    calendar = new_calendar(name=name)
    component = FreeBusy()
    component.add("uid", f"freebusy-{name}-{start:%Y%m%d}")
    component.add("dtstamp", timezone.now().astimezone(dt.UTC))
    component.add("dtstart", start.astimezone(dt.UTC))
    component.add("dtend", end.astimezone(dt.UTC))
    for busy_start, busy_end in busy:
        component.add(
            "freebusy", vPeriod((busy_start.astimezone(dt.UTC), busy_end.astimezone(dt.UTC)))
        )
    calendar.add_component(component)
    return calendar


def invitation(booking: Booking, *, method: str, whole_series: bool = False) -> Calendar:
    """An iMIP message body (RFC 6047): METHOD:REQUEST for a new or changed booking,
    METHOD:CANCEL for a cancellation, for the booking's attendees."""
    calendar = new_calendar(method=method)
    attendees = list(booking.attendees.all())
    if (
        booking.series_id is not None
        and (method == "REQUEST" or whole_series)
        and not booking.is_exception
    ):
        series = booking.series
        occurrences = list(series.occurrences.select_related("resource", "booked_by", "project"))
        events = series_events(series, occurrences)[:1]
        if method == "CANCEL":
            events[0]["sequence"] = series.version + booking.version
    elif booking.series_id is not None:
        event = _event(booking, start=booking.start, end=booking.end, sequence=booking.version)
        event.add("recurrence-id", _local(booking.original_start, booking.resource.time_zone))
        events = [event]
    else:
        events = [_event(booking, start=booking.start, end=booking.end, sequence=booking.version)]
    for event in events:
        _with_people(event, booking, attendees)
        event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar
