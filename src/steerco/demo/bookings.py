"""The demo's rooms and equipment, and a week of their bookings around today.

Kestrel Mutual's head office has a boardroom, a training suite made of two halves, two
small meeting rooms, two projectors and a pool car. The week (Monday to Friday of the
current week, so some bookings are already past) holds the CRM project's daily stand-up
and weekly steering group as recurring series, workshops, training and one-off meetings.

Made through the booking services by the people who would book them, with the clash
rules on: a demo that double booked would be a bad example. Bookings in the past are made
with the booking service's clock set to Monday morning; no invitations are mailed.
Loading twice changes nothing: resources are found by name, and the week is booked only
when its rooms were just made.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from steerco.bookings.models import BookableResource
from steerco.bookings.services import booking_create, resource_create
from steerco.projects.models import Project

RESOURCES = [
    # name, kind, capacity, features, extra rules
    ("Boardroom", "room", 14, ["screen", "video", "whiteboard"], {"min_notice_minutes": 60}),
    ("Training suite", "room", 30, ["projector", "video"], {"buffer_after_minutes": 15}),
    ("Training suite A", "room", 15, ["projector"], {"buffer_after_minutes": 15}),
    ("Training suite B", "room", 15, ["projector"], {"buffer_after_minutes": 15}),
    ("Kingfisher", "room", 8, ["projector", "whiteboard"], {"check_in_required": True}),
    ("Heron", "room", 4, ["screen"], {}),
    ("Projector 1", "equipment", None, ["hdmi"], {"max_advance_days": 30}),
    ("Projector 2", "equipment", None, ["hdmi"], {"max_advance_days": 30}),
    ("Pool car (Kia Niro EV)", "vehicle", 5, ["electric"], {"min_notice_minutes": 120}),
]
PARTS = {"Training suite A": "Training suite", "Training suite B": "Training suite"}

# (booker, resource, weekday 0-4, start, end, purpose, project code, recurrence)
WEEK = [
    (
        "priya",
        "Kingfisher",
        0,
        "09:15",
        "09:30",
        "CRM stand-up",
        "CRM",
        "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=20",
    ),
    (
        "priya",
        "Boardroom",
        1,
        "14:00",
        "15:30",
        "CRM steering group",
        "CRM",
        "FREQ=WEEKLY;BYDAY=TU;COUNT=8",
    ),
    ("tom", "Training suite", 2, "09:30", "16:30", "CRM agent training (all teams)", "CRM", ""),
    (
        "mary",
        "Training suite A",
        3,
        "10:00",
        "12:00",
        "Data platform discovery workshop",
        "DATAPLAT",
        "",
    ),
    ("bob", "Training suite B", 3, "10:00", "12:00", "PMO induction", None, ""),
    (
        "bob",
        "Heron",
        0,
        "11:00",
        "11:45",
        "Portfolio review prep",
        None,
        "FREQ=WEEKLY;BYDAY=MO;COUNT=6",
    ),
    ("mary", "Projector 1", 3, "09:30", "12:30", "Discovery workshop projector", "DATAPLAT", ""),
    ("tom", "Pool car (Kia Niro EV)", 4, "08:30", "13:00", "Branch visit: Norwich", "CRM", ""),
    ("priya", "Heron", 4, "15:00", "16:00", "CRM supplier call", "CRM", ""),
]


def _resources(admin) -> tuple[dict[str, BookableResource], bool]:
    made_any = False
    found: dict[str, BookableResource] = {}
    for name, kind, capacity, features, rules in RESOURCES:
        resource = BookableResource.objects.filter(name=name).first()
        if resource is None:
            whole = found.get(PARTS[name]) if name in PARTS else None
            resource = resource_create(
                actor=admin,
                name=name,
                kind=kind,
                capacity=capacity,
                features=features,
                location="Head office, Norwich",
                part_of=whole,
                **rules,
            )
            made_any = True
        found[name] = resource
    return found, made_any


def load_demo_bookings(*, actor_of, today: dt.date | None = None) -> int:
    """Make the rooms and equipment and, when they are new, this week's bookings.
    Returns how many bookings it made (a series counts once per occurrence)."""
    resources, made_any = _resources(actor_of("admin"))
    if not made_any:
        return 0
    zone = ZoneInfo(settings.TIME_ZONE)
    today = today or timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    clock = dt.datetime.combine(monday, dt.time(7, 0), tzinfo=zone) - dt.timedelta(days=1)
    made = 0
    for username, name, weekday, start, end, purpose, code, rule in WEEK:
        day = monday + dt.timedelta(days=weekday)
        booking = booking_create(
            actor=actor_of(username),
            resource=resources[name],
            start=dt.datetime.combine(day, dt.time.fromisoformat(start), tzinfo=zone),
            end=dt.datetime.combine(day, dt.time.fromisoformat(end), tzinfo=zone),
            purpose=purpose,
            project=Project.objects.filter(code=code).first() if code else None,
            recurrence_rule=rule,
            now=clock,
            notify=False,
        )
        made += booking.series.occurrences.count() if booking.series_id else 1
    return made
