"""iCalendar feeds (parsed back with ``icalendar``, occurrences expanded and compared with
dates worked out by hand) and e-mail invitations (iMIP) to attendees."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.rrule import rrulestr
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from steerco.bookings import services
from steerco.bookings.models import CalendarFeed

from .conftest import LONDON, NOW, at


def _feed(org, username, kind, subject) -> str:
    _feed, token = services.feed_create(actor=org.users[username], kind=kind, subject=subject)
    return reverse("bookings:feed", kwargs={"feed_token": token})


def _expand(event) -> list[dt.datetime]:
    """The occurrences a calendar application would show for a master VEVENT: its RRULE
    from its DTSTART, less its EXDATEs."""
    start = event.decoded("dtstart")
    rule = event["rrule"].to_ical().decode()
    dates = list(rrulestr(rule, dtstart=start))
    exdates = event.get("exdate")
    excluded = set()
    for group in exdates if isinstance(exdates, list) else [exdates] if exdates else []:
        excluded |= {d.dt for d in group.dts}
    return [d for d in dates if d not in excluded]


@pytest.fixture
def stand_up(org, rooms, book):
    """Weekly on Tuesdays 09:30–09:45 from 3 March, six times, for ALPHA; the third
    (17 March) cancelled, the fifth (31 March, after the clocks change) moved to 10:00."""
    first = book(
        "priya",
        rooms.east,
        at(3, 9, 30),
        at(3, 9, 45),
        purpose="CRM stand-up",
        project=org.alpha,
        recurrence_rule="FREQ=WEEKLY;BYDAY=TU;COUNT=6",
        attendees=[org.people["tom"], org.people["mary"]],
    )
    occurrences = list(first.series.occurrences.order_by("start"))
    services.booking_cancel(
        actor=org.priya, booking=occurrences[2], expected_version=occurrences[2].version
    )
    services.booking_update(
        actor=org.priya,
        booking=occurrences[4],
        expected_version=occurrences[4].version,
        start=at(31, 10, 0),
        end=at(31, 10, 15),
        now=NOW,
    )
    return first


def test_room_feed_writes_the_series_as_rrule_with_exdate_and_recurrence_id(
    org, rooms, stand_up, client
):
    url = _feed(org, "tom", CalendarFeed.Kind.RESOURCE, rooms.east)
    response = client.get(url)  # no login: the secret address is the credential
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Europe/London"
    events = calendar.walk("VEVENT")
    masters = [e for e in events if "rrule" in e]
    changed = [e for e in events if "recurrence-id" in e]
    assert len(masters) == 1 and len(changed) == 1
    # Worked out by hand: Tuesdays from 3 March 2026, six of them, less 17 March.
    assert [d.replace(tzinfo=None) for d in _expand(masters[0])] == [
        dt.datetime(2026, 3, 3, 9, 30),
        dt.datetime(2026, 3, 10, 9, 30),
        dt.datetime(2026, 3, 24, 9, 30),
        dt.datetime(2026, 3, 31, 9, 30),  # replaced by the changed occurrence below
        dt.datetime(2026, 4, 7, 9, 30),
    ]
    assert all(d.tzinfo is not None and d.utcoffset() is not None for d in _expand(masters[0]))
    moved = changed[0]
    assert moved.decoded("recurrence-id") == dt.datetime(2026, 3, 31, 9, 30, tzinfo=LONDON)
    assert moved.decoded("dtstart") == dt.datetime(2026, 3, 31, 10, 0, tzinfo=LONDON)
    assert moved["uid"] == masters[0]["uid"]


def test_a_series_cancelled_from_one_occurrence_on_ends_its_rule_there(org, rooms, book, client):
    first = book(
        "priya",
        rooms.west,
        at(2, 15),
        at(2, 16),
        purpose="Weekly sync",
        recurrence_rule="FREQ=WEEKLY",
    )
    third = first.series.occurrences.order_by("start")[2]
    services.booking_cancel(
        actor=org.priya, booking=third, expected_version=third.version, whole_series=True
    )
    calendar = Calendar.from_ical(
        client.get(_feed(org, "priya", CalendarFeed.Kind.RESOURCE, rooms.west)).content
    )
    (master,) = [e for e in calendar.walk("VEVENT") if "rrule" in e]
    # By hand: Mondays 2 and 9 March stand; from 16 March on the series is cancelled.
    assert [d.replace(tzinfo=None) for d in _expand(master)] == [
        dt.datetime(2026, 3, 2, 15, 0),
        dt.datetime(2026, 3, 9, 15, 0),
    ]


def test_project_and_person_feeds_hold_the_series(org, stand_up, client, rooms, book):
    book("tom", rooms.west, at(4, 14), at(4, 15), purpose="Tom's own")
    project = Calendar.from_ical(
        client.get(_feed(org, "priya", CalendarFeed.Kind.PROJECT, org.alpha)).content
    )
    assert {str(e["summary"]) for e in project.walk("VEVENT")} == {"CRM stand-up"}
    toms = Calendar.from_ical(
        client.get(_feed(org, "tom", CalendarFeed.Kind.PERSON, org.people["tom"])).content
    )
    assert {str(e["summary"]) for e in toms.walk("VEVENT")} == {"CRM stand-up", "Tom's own"}


def test_a_person_feed_is_only_for_that_person(org):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.feed_create(
            actor=org.tom, kind=CalendarFeed.Kind.PERSON, subject=org.people["priya"]
        )


def test_a_revoked_feed_answers_410_saying_so_and_an_unknown_one_404(org, rooms, client):
    feed, token = services.feed_create(
        actor=org.tom, kind=CalendarFeed.Kind.RESOURCE, subject=rooms.east
    )
    url = reverse("bookings:feed", kwargs={"feed_token": token})
    services.feed_revoke(actor=org.tom, feed=feed)
    response = client.get(url)
    assert response.status_code == 410
    assert "revoked" in response.content.decode()
    unknown = client.get(reverse("bookings:feed", kwargs={"feed_token": "nope" * 10}))
    assert unknown.status_code == 404 and "no calendar feed" in unknown.content.decode()


def test_a_project_feed_stops_when_its_owner_leaves_the_project(org, client):
    from steerco.projects.models import Membership

    _feed, token = services.feed_create(
        actor=org.tom, kind=CalendarFeed.Kind.PROJECT, subject=org.alpha
    )
    Membership.objects.filter(person=org.people["tom"], project=org.alpha).delete()
    response = client.get(reverse("bookings:feed", kwargs={"feed_token": token}))
    assert response.status_code == 410


def test_free_busy_lists_the_busy_times_of_the_room_and_its_whole(org, rooms, client):
    from django.utils import timezone

    soon = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
    whole = services.booking_create(
        actor=org.tom,
        resource=rooms.hall,
        start=soon,
        end=soon + dt.timedelta(hours=1),
        purpose="All hands",
    )
    _feed, token = services.feed_create(
        actor=org.tom, kind=CalendarFeed.Kind.RESOURCE, subject=rooms.east
    )
    response = client.get(reverse("bookings:freebusy", kwargs={"feed_token": token}))
    assert response.status_code == 200
    freebusy = Calendar.from_ical(response.content).walk("VFREEBUSY")[0]
    periods = freebusy["freebusy"]
    periods = periods if isinstance(periods, list) else [periods]
    assert [(p.dt[0], p.dt[1]) for p in periods] == [(whole.start, whole.end)]


def test_attendees_get_an_imip_request_and_then_a_cancel(
    org, rooms, book, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(
            "priya",
            rooms.east,
            at(3, 10),
            at(3, 11),
            purpose="Design review",
            attendees=[org.people["tom"], org.people["mary"]],
        )
    assert len(mail.outbox) == 1
    invitation = mail.outbox[0]
    assert sorted(invitation.to) == ["mary@example.org", "tom@example.org"]
    content, mimetype = invitation.alternatives[0]
    assert mimetype.startswith("text/calendar; method=REQUEST")
    request = Calendar.from_ical(content)
    assert str(request["method"]) == "REQUEST"
    event = request.walk("VEVENT")[0]
    assert str(event["organizer"]) == "mailto:priya@example.org"
    assert {str(a) for a in event["attendee"]} == {
        "mailto:tom@example.org",
        "mailto:mary@example.org",
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(actor=org.priya, booking=booking, expected_version=booking.version)
    cancel = Calendar.from_ical(mail.outbox[1].alternatives[0][0])
    assert str(cancel["method"]) == "CANCEL"
    cancelled = cancel.walk("VEVENT")[0]
    assert cancelled["uid"] == event["uid"] and str(cancelled["status"]) == "CANCELLED"
    assert int(cancelled["sequence"]) > int(event["sequence"])


def test_a_refused_booking_sends_nothing(org, rooms, book, django_capture_on_commit_callbacks):
    book("tom", rooms.east, at(3, 10), at(3, 11))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.BookingClash):
        book("priya", rooms.east, at(3, 10), at(3, 11), attendees=[org.people["mary"]])
    assert mail.outbox == []
