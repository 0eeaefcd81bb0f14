"""The booking pages through Django's test client: finder, form, calendar, mine, cancel
and undo, feeds."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from steerco.bookings.models import Booking, CalendarFeed


def _future_day(days: int = 3) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def _form(resource, day, start="10:00", end="11:00", **extra):
    return {
        "resource": resource.pk,
        "day": day.isoformat(),
        "start_time": start,
        "end_time": end,
        "purpose": "Planning",
        **extra,
    }


def test_every_page_needs_a_login(client, rooms):
    for name in (
        "bookings:rooms",
        "bookings:find",
        "bookings:create",
        "bookings:mine",
        "bookings:feeds",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_the_finder_lists_rooms_that_fit_and_are_free(client_for, rooms, org):
    day = _future_day()
    tom = client_for("tom")
    tom.post(reverse("bookings:create"), _form(rooms.small, day, "13:00", "14:00"))
    response = tom.get(
        reverse("bookings:find"),
        {
            "day": day.isoformat(),
            "from_time": "13:00",
            "to_time": "17:30",
            "minutes": 60,
            "capacity": 8,
            "features": "projector",
            "kind": "room",
        },
    )
    assert response.status_code == 200
    found = [(s["slot"].resource.name, s["slot"].start) for s in response.context["slots"]]
    names = [name for name, _start in found]
    # West has no projector; Kew (8) is taken 13:00–14:00 plus its 15-minute buffer.
    assert "Thames West" not in names and "Kew" in names and "Thames East" in names
    kew_start = next(start for name, start in found if name == "Kew")
    assert timezone.localtime(kew_start).time() == dt.time(14, 25)  # 14:00 + 15 after + 10 before
    assert names[0] == "Kew"  # the smallest room that fits comes first


def test_the_finder_refuses_a_window_that_ends_before_it_starts(client_for, rooms):
    response = client_for("tom").get(
        reverse("bookings:find"),
        {
            "day": _future_day().isoformat(),
            "from_time": "15:00",
            "to_time": "13:00",
            "minutes": 60,
            "kind": "room",
        },
    )
    assert response.status_code == 422
    assert "after its start" in response.content.decode()


def test_booking_from_the_form_and_a_clash_names_the_booking(client_for, rooms):
    day = _future_day()
    tom, priya = client_for("tom"), client_for("priya")
    response = tom.post(reverse("bookings:create"), _form(rooms.east, day))
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "bookings:detail", kwargs={"booking_id": booking.pk}
    )
    refused = priya.post(reverse("bookings:create"), _form(rooms.hall, day, "09:00", "12:00"))
    assert refused.status_code == 409
    assert "Thames East is already booked" in refused.content.decode()
    assert Booking.objects.count() == 1


def test_a_recurring_booking_from_the_form(client_for, rooms):
    day = _future_day()
    response = client_for("priya").post(
        reverse("bookings:create"), _form(rooms.east, day, repeat="FREQ=WEEKLY", count=3)
    )
    assert response.status_code == 302
    booking = Booking.objects.order_by("start").first()
    assert booking.series.rrule == "FREQ=WEEKLY;COUNT=3" and booking.series.occurrences.count() == 3


def test_a_booking_that_ends_before_it_starts_is_refused_on_the_form(client_for, rooms):
    response = client_for("tom").post(
        reverse("bookings:create"), _form(rooms.east, _future_day(), "11:00", "10:00")
    )
    assert response.status_code == 422
    assert "end after it starts" in response.content.decode()


def test_cancel_and_undo_from_my_bookings(client_for, rooms):
    tom = client_for("tom")
    tom.post(reverse("bookings:create"), _form(rooms.east, _future_day()))
    booking = Booking.objects.get()
    mine = tom.get(reverse("bookings:mine"))
    assert "Planning" in mine.content.decode()
    tom.post(
        reverse("bookings:cancel", kwargs={"booking_id": booking.pk}),
        {"version": booking.version, "next": reverse("bookings:mine")},
    )
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert "Undo cancel" in tom.get(reverse("bookings:mine")).content.decode()
    tom.post(
        reverse("bookings:restore", kwargs={"booking_id": booking.pk}), {"version": booking.version}
    )
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_someone_else_may_not_cancel(client_for, rooms):
    client_for("tom").post(reverse("bookings:create"), _form(rooms.east, _future_day()))
    booking = Booking.objects.get()
    response = client_for("priya").post(
        reverse("bookings:cancel", kwargs={"booking_id": booking.pk}), {"version": booking.version}
    )
    assert response.status_code == 403
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_the_calendar_shows_the_week_including_bookings_of_the_whole(client_for, rooms):
    day = _future_day()
    client_for("tom").post(reverse("bookings:create"), _form(rooms.hall, day, purpose="Town hall"))
    response = client_for("priya").get(
        reverse("bookings:calendar", kwargs={"resource_id": rooms.west.pk}),
        {"date": day.isoformat()},
    )
    assert response.status_code == 200
    assert (
        "Town hall" in response.content.decode()
        and "booked as Thames Hall" in response.content.decode()
    )
    day_view = client_for("priya").get(
        reverse("bookings:calendar", kwargs={"resource_id": rooms.west.pk}),
        {"date": day.isoformat(), "view": "day"},
    )
    assert len(day_view.context["days"]) == 1


def test_making_and_revoking_a_feed(client_for, rooms, org, client):
    tom = client_for("tom")
    response = tom.post(reverse("bookings:feeds"), {"what": "resource", "resource": rooms.east.pk})
    address = response.context["new_address"]
    assert address and "/calendar.ics" in address
    assert client.get(address.replace("http://testserver", "")).status_code == 200
    feed = CalendarFeed.objects.get()
    assert (
        client_for("priya")
        .post(reverse("bookings:feed_revoke", kwargs={"feed_id": feed.pk}))
        .status_code
        == 404
    )
    tom.post(reverse("bookings:feed_revoke", kwargs={"feed_id": feed.pk}))
    assert client.get(address.replace("http://testserver", "")).status_code == 410


def test_the_calendar_takes_any_date_without_failing(client_for, rooms):
    url = reverse("bookings:calendar", kwargs={"resource_id": rooms.east.pk})
    for value in ("9999-12-31", "0001-01-01", "not-a-date"):
        assert client_for("tom").get(url, {"date": value}).status_code == 200
