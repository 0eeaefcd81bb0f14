"""Booking a room from the free-slot finder, in the browser."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from .browsing import log_in

pytestmark = pytest.mark.e2e


def test_tom_finds_a_room_for_eight_with_a_projector_and_books_it(
    page, live_server, org, artifacts
):
    """Given Kew (8 people, projector) taken 13:00–14:00 next Tuesday and a hall too big,
    when tom asks for a room for 8 with a projector that Tuesday afternoon for an hour,
    then Kew is offered from 14:25 (its buffers), and booking it there makes the booking."""
    from django.utils import timezone
    from playwright.sync_api import expect

    from steerco.bookings.models import Booking
    from steerco.bookings.services import booking_create, resource_create

    kew = resource_create(
        actor=org.admin,
        name="Kew",
        capacity=8,
        features=["projector"],
        buffer_before_minutes=10,
        buffer_after_minutes=15,
    )
    resource_create(actor=org.admin, name="Thames Hall", capacity=40, features=["projector"])
    resource_create(actor=org.admin, name="Heron", capacity=4, features=["projector"])
    today = timezone.localdate()
    tuesday = today + dt.timedelta(days=(1 - today.weekday()) % 7 or 7)
    zone = timezone.get_current_timezone()
    booking_create(
        actor=org.priya,
        resource=kew,
        purpose="Taken",
        start=dt.datetime.combine(tuesday, dt.time(13, 0), tzinfo=zone),
        end=dt.datetime.combine(tuesday, dt.time(14, 0), tzinfo=zone),
    )

    log_in(page, live_server, "tom", org.password, then=live_server.url + reverse("bookings:find"))
    page.get_by_label("Date").fill(tuesday.isoformat())
    page.get_by_label("From").fill("13:00")
    page.get_by_label("Until").fill("17:30")
    page.get_by_label("For how long (minutes)").fill("60")
    page.get_by_label("People").fill("8")
    page.get_by_label("With").fill("projector")
    page.get_by_role("button", name="Find").click()

    kew_row = page.get_by_role("row").filter(has_text="Kew")
    expect(kew_row).to_contain_text("14:25")
    expect(page.get_by_role("row").filter(has_text="Heron")).to_have_count(0)  # too small
    page.screenshot(path=artifacts / "bookings-finder.png", full_page=True)

    kew_row.get_by_role("link", name="Book Kew").click()
    page.get_by_label("Purpose").fill("Release planning")
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_role("heading", name="Release planning")).to_be_visible()

    booking = Booking.objects.get(purpose="Release planning")
    assert booking.resource == kew and booking.booked_by == org.people["tom"]
    assert timezone.localtime(booking.start).time() == dt.time(14, 25)
    assert timezone.localtime(booking.end).time() == dt.time(15, 25)
