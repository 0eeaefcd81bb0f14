"""The demo's rooms and bookings: a split training suite, a week booked around today with
recurring CRM series, no clash among them, and a second load that changes nothing."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

import pytest
from django.utils import timezone

from steerco.bookings.models import BookableResource, Booking, Claim
from steerco.demo.organisation import load_demo_organisation


@pytest.fixture
def demo(db):
    load_demo_organisation()


def test_the_demo_has_rooms_equipment_a_car_and_a_split_suite(demo):
    kinds = set(BookableResource.objects.values_list("kind", flat=True))
    assert {"room", "equipment", "vehicle"} <= kinds
    suite = BookableResource.objects.get(name="Training suite")
    assert sorted(suite.parts.values_list("name", flat=True)) == [
        "Training suite A",
        "Training suite B",
    ]


def test_the_demo_week_is_booked_with_the_crm_stand_up_as_a_series(demo):
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    week = Booking.objects.filter(
        start__date__gte=monday, start__date__lt=monday + dt.timedelta(days=7)
    )
    assert week.count() >= 12
    stand_up = Booking.objects.filter(purpose="CRM stand-up").first()
    assert stand_up.series is not None and stand_up.project.code == "CRM"
    # No two claims of one unit overlap: the demo was booked under the same rules.
    claims = list(Claim.objects.order_by("unit_id", "start").values_list("unit_id", "start", "end"))
    assert not any(a[0] == b[0] and b[1] < a[2] for a, b in pairwise(claims))


def test_loading_the_demo_again_books_nothing_more(demo):
    before = Booking.objects.count()
    load_demo_organisation()
    assert Booking.objects.count() == before
