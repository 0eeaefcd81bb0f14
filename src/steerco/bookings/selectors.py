"""Reads of bookings: calendars, the free-slot finder, my bookings, feeds' contents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from steerco.accounts.rules import may_book, person_of, visible_projects

from .models import BookableResource, Booking, BookingSeries, CalendarFeed, Claim


def resource_list(*, user, kind: str | None = None) -> QuerySet:
    """Active resources, with their parts and managers ready to show."""
    resources = BookableResource.objects.filter(active=True).select_related("part_of")
    if kind:
        resources = resources.filter(kind=kind)
    return resources.prefetch_related("allowed_groups", "parts")


def resource_get(*, resource_id) -> BookableResource:
    from django.http import Http404

    resource = (
        BookableResource.objects.filter(pk=resource_id).first()
        if isinstance(resource_id, int)
        else None
    )
    if resource is None:
        raise Http404("No such room or equipment.")
    return resource


def bookings_between(
    *, resources, start: dt.datetime, end: dt.datetime, live_only: bool = True
) -> QuerySet:
    """Bookings of ``resources`` overlapping [start, end), with what a calendar shows."""
    bookings = Booking.objects.filter(resource__in=resources, start__lt=end, end__gt=start)
    if live_only:
        bookings = bookings.filter(status=Booking.Status.CONFIRMED)
    return bookings.select_related("resource", "booked_by", "project").order_by("start")


def blocking_bookings(*, resource: BookableResource, start, end) -> QuerySet:
    """Live bookings that hold ``resource`` between ``start`` and ``end``: its own, the
    whole room's when it is a part, the parts' when it is a whole."""
    related = [resource.pk, *resource.parts.values_list("pk", flat=True)]
    if resource.part_of_id is not None:
        related.append(resource.part_of_id)
    return bookings_between(
        resources=BookableResource.objects.filter(pk__in=related), start=start, end=end
    )


def my_bookings(*, user, since: dt.datetime) -> QuerySet:
    """The user's bookings (made by them or inviting them) from ``since``, cancelled ones
    included so that a cancellation can be undone from the list."""
    person = person_of(user)
    if person is None:
        return Booking.objects.none()
    return (
        Booking.objects.filter(Q(booked_by=person) | Q(attendees=person), end__gte=since)
        .distinct()
        .select_related("resource", "booked_by", "project", "series")
        .order_by("start")
    )


@dataclass(frozen=True)
class FreeSlot:
    resource: BookableResource
    start: dt.datetime
    end: dt.datetime


def free_slots(
    *,
    user,
    start: dt.datetime,
    end: dt.datetime,
    duration: dt.timedelta,
    capacity: int | None = None,
    features: list[str] | None = None,
    kind: str | None = BookableResource.Kind.ROOM,
) -> list[FreeSlot]:
    """For each resource the user may book with room for ``capacity`` and all of
    ``features``, the free stretches within [start, end) at least ``duration`` long.

    A stretch is free when a booking there, with the resource's buffers, would meet no
    claim on any of its units: what ``booking_create`` will accept. The smallest rooms
    that fit come first, so a pair is not sent to the hall.
    """
    wanted = {f.strip().lower() for f in features or [] if f.strip()}
    candidates = []
    for resource in resource_list(user=user, kind=kind).order_by("capacity", "name"):
        if capacity and (resource.capacity or 0) < capacity:
            continue
        if not wanted <= {str(f).lower() for f in resource.features or []}:
            continue
        if not may_book(user, resource):
            continue
        candidates.append(resource)
    if not candidates:
        return []
    units = {r.pk: [p.pk for p in r.parts.all()] or [r.pk] for r in candidates}
    widest = max(r.buffer_before_minutes + r.buffer_after_minutes for r in candidates)
    claims = Claim.objects.filter(
        unit_id__in={u for us in units.values() for u in us},
        start__lt=end + dt.timedelta(minutes=widest),
        end__gt=start - dt.timedelta(minutes=widest),
    ).values_list("unit_id", "start", "end")
    by_unit: dict[int, list] = {}
    for unit, claim_start, claim_end in claims:
        by_unit.setdefault(unit, []).append((claim_start, claim_end))
    slots = []
    before_of = {r.pk: dt.timedelta(minutes=r.buffer_before_minutes) for r in candidates}
    after_of = {r.pk: dt.timedelta(minutes=r.buffer_after_minutes) for r in candidates}
    for resource in candidates:
        busy = sorted(b for unit in units[resource.pk] for b in by_unit.get(unit, []))
        before, after = before_of[resource.pk], after_of[resource.pk]
        # The booking's own span [s - before, e + after] must miss every claim.
        cursor = start
        for busy_start, busy_end in [*busy, (end + before + after, end + before + after)]:
            latest_end = min(end, busy_start - after)
            if latest_end - cursor >= duration:
                slots.append(FreeSlot(resource=resource, start=cursor, end=latest_end))
            cursor = max(cursor, busy_end + before)
            if cursor >= end:
                break
    return slots


def feed_for_token(digest: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.filter(digest=digest)
        .select_related("owner", "resource", "person", "project")
        .first()
    )


def feed_bookings(feed: CalendarFeed) -> tuple[list[Booking], dict]:
    """What a feed shows: its single bookings, and each series with all its occurrences."""
    if feed.kind == CalendarFeed.Kind.RESOURCE:
        scope = Q(resource=feed.resource)
    elif feed.kind == CalendarFeed.Kind.PERSON:
        scope = Q(booked_by=feed.person) | Q(attendees=feed.person)
    else:
        scope = Q(project=feed.project)
    bookings = list(
        Booking.objects.filter(scope)
        .distinct()
        .select_related("resource", "booked_by", "project", "series")
        .order_by("start")
    )
    series_ids = {b.series_id for b in bookings if b.series_id is not None}
    occurrences: dict[BookingSeries, list[Booking]] = {}
    series_by_id = {s.pk: s for s in BookingSeries.objects.filter(pk__in=series_ids)}
    for booking in Booking.objects.filter(series_id__in=series_ids).select_related(
        "resource", "booked_by", "project"
    ):
        occurrences.setdefault(series_by_id[booking.series_id], []).append(booking)
    return bookings, occurrences


def feed_still_allowed(feed: CalendarFeed) -> bool:
    """A feed answers only while its owner could still make it (an active login; for a
    project, still able to see the project)."""
    owner = feed.owner
    if not owner.is_active:
        return False
    if feed.kind == CalendarFeed.Kind.PROJECT:
        return visible_projects(owner).filter(pk=feed.project_id).exists()
    return True


def feeds_of(*, user) -> QuerySet:
    return CalendarFeed.objects.filter(owner=user).select_related("resource", "person", "project")
