"""Rooms and equipment for the bookings tests, and a fixed "now" in the middle of them.

Monday 2 March 2026 at 08:00 in London (UTC+0); the summer time change is on 29 March.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 3, 2, 8, 0, tzinfo=LONDON)


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    """A London wall-clock time in 2026."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def rooms(org):
    from steerco.bookings.services import resource_create

    admin = org.admin
    hall = resource_create(
        actor=admin, name="Thames Hall", kind="room", capacity=40, features=["projector", "video"]
    )
    east = resource_create(
        actor=admin,
        name="Thames East",
        kind="room",
        capacity=20,
        features=["projector"],
        part_of=hall,
    )
    west = resource_create(
        actor=admin, name="Thames West", kind="room", capacity=20, features=[], part_of=hall
    )
    small = resource_create(
        actor=admin,
        name="Kew",
        kind="room",
        capacity=8,
        features=["projector", "whiteboard"],
        buffer_before_minutes=10,
        buffer_after_minutes=15,
        managers=[org.people["mary"]],
    )
    projector = resource_create(
        actor=admin,
        name="Projector 1",
        kind="equipment",
        min_notice_minutes=120,
        max_advance_days=14,
    )
    return SimpleNamespace(hall=hall, east=east, west=west, small=small, projector=projector)


@pytest.fixture
def book(org):
    """``book("tom", room, start, end)``: a booking made at NOW by that user."""
    from steerco.bookings.services import booking_create

    def make(username, resource, start, end, purpose="Meeting", **extra):
        return booking_create(
            actor=org.users[username],
            resource=resource,
            start=start,
            end=end,
            purpose=purpose,
            now=NOW,
            **extra,
        )

    return make
