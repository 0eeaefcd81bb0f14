"""Bookable resources and bookings over HTTP (/api/v1/bookable-resources, /api/v1/bookings).

A clash answers 409 with ``conflicting`` naming the booking it meets (and, for a series,
the date of the occurrence that meets it); a broken rule (ends before it starts, too
short notice, beyond the advance limit, a group not allowed, a bad RRULE) answers 422.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from steerco.accounts.rules import project_for
from steerco.core.api import InputSchema, ObjectId, PageNumbers, Version, responses
from steerco.core.exceptions import DomainError
from steerco.resources.models import Person

from . import selectors, services
from .models import BookableResource

router = Router(tags=["bookings"])

# Query parameters, declared once (a call in an argument default would run at import anyway).
KIND_QUERY = Query(None, description="room, equipment, vehicle or device")
RESOURCE_QUERY = Query(None, description="A resource's bookings, else your own.")
FROM_QUERY = Query(None, description="From (ISO 8601 with an offset); default now.")
TO_QUERY = Query(None, description="Until; default 7 days after start.")


class BookableResourceOut(Schema):
    id: int
    version: int
    kind: str
    name: str
    location: str
    capacity: int | None
    features: list[str]
    time_zone: str
    part_of: int | None = Field(None, alias="part_of_id")
    buffer_before_minutes: int
    buffer_after_minutes: int
    min_notice_minutes: int
    max_advance_days: int | None
    check_in_required: bool
    auto_release_minutes: int


class BookingOut(Schema):
    id: int
    version: int
    resource: int = Field(..., alias="resource_id")
    booked_by: int = Field(..., alias="booked_by_id")
    start: dt.datetime
    end: dt.datetime
    purpose: str
    project: int | None = Field(None, alias="project_id")
    status: str
    checked_in_at: dt.datetime | None
    series: int | None = Field(None, alias="series_id")
    recurrence: str | None = None
    is_exception: bool
    attendees: list[int] = []

    @staticmethod
    def resolve_recurrence(booking) -> str | None:
        return booking.series.rrule if booking.series_id else None

    @staticmethod
    def resolve_attendees(booking) -> list[int]:
        return [p.pk for p in booking.attendees.all()]


class BookingIn(InputSchema):
    resource: ObjectId
    start: dt.datetime = Field(..., description="ISO 8601 with an offset: 2026-03-03T14:00+01:00")
    end: dt.datetime
    purpose: str = Field(..., max_length=200)
    project: ObjectId | None = None
    attendees: list[ObjectId] = Field([], max_length=200, description="People's ids.")
    recurrence: str | None = Field(
        None,
        max_length=500,
        description="An RFC 5545 RRULE, such as FREQ=WEEKLY;BYDAY=TU;COUNT=10.",
    )


class BookingPatchIn(InputSchema):
    version: Version
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    purpose: str | None = Field(None, max_length=200)
    attendees: list[ObjectId] | None = Field(None, max_length=200)


class BookingCancelIn(InputSchema):
    version: Version
    whole_series: bool = Field(False, description="Also every later occurrence of its series.")


class BookingVersionIn(InputSchema):
    version: Version


class BookingCheckInIn(InputSchema):
    """Checking in names no version: it is allowed whatever was changed meanwhile."""


def _people(ids) -> list[Person]:
    people = list(Person.objects.filter(pk__in=set(ids)))
    missing = sorted(set(ids) - {p.pk for p in people})
    if missing:
        raise DomainError(
            _("There is no person with id %(ids)s.") % {"ids": ", ".join(map(str, missing))},
            fields={"attendees": [_("Unknown people: %(ids)s") % {"ids": missing}]},
        )
    return people


def _resource(resource_id) -> BookableResource:
    resource = BookableResource.objects.filter(pk=resource_id, active=True).first()
    if resource is None:
        raise DomainError(
            _("There is no bookable resource with id %(id)s.") % {"id": resource_id},
            fields={"resource": [_("Unknown resource.")]},
        )
    return resource


@router.get(
    "bookable-resources",
    response=responses({200: list[BookableResourceOut]}, 400),
    summary="List rooms and equipment",
)
@paginate(PageNumbers)
def resource_list(request, kind: BookableResource.Kind | None = KIND_QUERY):
    return selectors.resource_list(user=request.auth, kind=kind).order_by("kind", "name")


@router.get(
    "bookable-resources/{resource_id}",
    response=responses({200: BookableResourceOut}, 400, 404),
    summary="Read a room or piece of equipment",
)
def resource_read(request, resource_id: ObjectId):
    return selectors.resource_get(resource_id=resource_id)


@router.get(
    "bookings", response=responses({200: list[BookingOut]}, 400, 404), summary="List bookings"
)
@paginate(PageNumbers)
def booking_list(
    request,
    resource: ObjectId | None = RESOURCE_QUERY,
    start: dt.datetime | None = FROM_QUERY,
    end: dt.datetime | None = TO_QUERY,
):
    """With ``resource``: its live bookings (and those of its parts or whole) between
    ``start`` and ``end`` (default: the next 7 days). Without: your own bookings."""
    begin = start or timezone.now()
    finish = end or begin + dt.timedelta(days=7)
    if resource is not None:
        found = selectors.resource_get(resource_id=resource)
        return selectors.blocking_bookings(
            resource=found, start=begin, end=finish
        ).prefetch_related("attendees", "series")
    return selectors.my_bookings(user=request.auth, since=begin).prefetch_related("attendees")


@router.post(
    "bookings",
    response=responses({201: BookingOut}, 400, 403, 404, 409, 422),
    summary="Book a room or equipment",
)
def booking_create(request, payload: BookingIn):
    """A clash answers 409 naming the booking met (for a series, the clashing
    occurrence's date in ``conflicting.occurrence_date``); rule breaks answer 422."""
    project = project_for(request.auth, payload.project) if payload.project else None
    booking = services.booking_create(
        actor=request.auth,
        resource=_resource(payload.resource),
        start=payload.start,
        end=payload.end,
        purpose=payload.purpose,
        project=project,
        attendees=_people(payload.attendees),
        recurrence_rule=payload.recurrence or "",
    )
    return Status(201, booking)


@router.get(
    "bookings/{booking_id}",
    response=responses({200: BookingOut}, 400, 404),
    summary="Read a booking",
)
def booking_read(request, booking_id: ObjectId):
    return services.booking_for(request.auth, booking_id)


@router.patch(
    "bookings/{booking_id}",
    response=responses({200: BookingOut}, 400, 403, 404, 409, 422),
    summary="Move or rename a booking (one occurrence of a series)",
)
def booking_update(request, booking_id: ObjectId, payload: BookingPatchIn):
    booking = services.booking_for(request.auth, booking_id)
    return services.booking_update(
        actor=request.auth,
        booking=booking,
        expected_version=payload.version,
        start=payload.start,
        end=payload.end,
        purpose=payload.purpose,
        attendees=_people(payload.attendees) if payload.attendees is not None else None,
    )


@router.post(
    "bookings/{booking_id}/cancel",
    response=responses({200: BookingOut}, 400, 403, 404, 409, 422),
    summary="Cancel a booking (undo with restore)",
)
def booking_cancel(request, booking_id: ObjectId, payload: BookingCancelIn):
    booking = services.booking_for(request.auth, booking_id)
    return services.booking_cancel(
        actor=request.auth,
        booking=booking,
        expected_version=payload.version,
        whole_series=payload.whole_series,
    )


@router.post(
    "bookings/{booking_id}/restore",
    response=responses({200: BookingOut}, 400, 403, 404, 409, 422),
    summary="Undo a cancellation while the time is still free",
)
def booking_restore(request, booking_id: ObjectId, payload: BookingVersionIn):
    booking = services.booking_for(request.auth, booking_id)
    return services.booking_restore(
        actor=request.auth, booking=booking, expected_version=payload.version
    )


@router.post(
    "bookings/{booking_id}/check-in",
    response=responses({200: BookingOut}, 400, 403, 404, 422),
    summary="Check in to a booking",
)
def booking_check_in(request, booking_id: ObjectId, payload: BookingCheckInIn):
    booking = services.booking_for(request.auth, booking_id)
    return services.booking_check_in(actor=request.auth, booking=booking)
