"""Every write of bookings: make, change, cancel and restore bookings, check in, release.

No double booking, ever. Each write that gives a booking time on a resource:

1. locks the rows of the *units* it would occupy (``_lock_units``), so every other write
   touching one of those units waits until this one commits;
2. reads the claims on those units and refuses a clash, naming the booking it meets (and,
   for a series, the date of the occurrence that meets it);
3. writes the booking and its claims.

The lock is the guarantee on both databases: on PostgreSQL a ``SELECT ... FOR UPDATE`` of
the unit rows in id order; on SQLite an UPDATE of those rows, which takes the database's
write lock before anything is read (a deferred transaction that read first could not
upgrade its lock when another writer got in between). On PostgreSQL an exclusion
constraint over the claims (migration 0002) refuses an overlap even from a write that did
not come through here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from steerco.accounts.rules import (
    check_booking_change,
    check_project,
    may_administer_bookings,
    may_book,
    person_of,
)
from steerco.core.exceptions import Clash, DomainError
from steerco.core.history import change_set
from steerco.core.versioning import locked_at_version
from steerco.engine import recurrence

from . import invitations
from .models import BookableResource, Booking, BookingSeries, CalendarFeed, Claim

MAX_OCCURRENCES = 520  # ten years of a weekly meeting, or two of a daily one
MAX_LENGTH = dt.timedelta(days=31)
# Beyond any resource's own limit: nobody books a room for 2040, and dates near the end of
# the calendar (year 9999) would overflow when buffers are added.
MAX_AHEAD = dt.timedelta(days=3660)
CHECK_IN_OPENS_BEFORE = dt.timedelta(minutes=15)


def horizon_days() -> int:
    """How far ahead a series' occurrences exist as bookings (STEERCO_BOOKING_HORIZON_DAYS)."""
    return int(getattr(settings, "STEERCO_BOOKING_HORIZON_DAYS", 365))


class BookingClash(Clash):
    """The resource is taken at that time: names the booking it clashes with (HTTP 409)."""

    code = "booking_clash"

    def __init__(self, *, conflicting: Booking, occurrence: dt.datetime | None = None):
        zone = conflicting.resource.time_zone
        when = _local_text(conflicting.start, zone)
        message = _("%(resource)s is already booked: “%(purpose)s” by %(who)s on %(when)s.") % {
            "resource": conflicting.resource.name,
            "purpose": conflicting.purpose,
            "who": conflicting.booked_by.name,
            "when": when,
        }
        if occurrence is not None:
            day = timezone.localtime(occurrence, _zone(zone)).date()
            message = _("The occurrence on %(day)s clashes. ") % {"day": day.isoformat()} + message
        super().__init__(
            message,
            details={
                "booking": conflicting.pk,
                "resource": conflicting.resource_id,
                "purpose": conflicting.purpose,
                "start": conflicting.start.isoformat(),
                "end": conflicting.end.isoformat(),
                "occurrence_date": (
                    timezone.localtime(occurrence, _zone(zone)).date().isoformat()
                    if occurrence is not None
                    else None
                ),
            },
        )
        self.conflicting = conflicting
        self.occurrence = occurrence


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def _local_text(moment: dt.datetime, zone: str) -> str:
    return timezone.localtime(moment, _zone(zone)).strftime("%a %d %b %Y %H:%M")


# --------------------------------------------------------------------------- units, spans


def units_of(resource: BookableResource) -> list[int]:
    """The ids of the units a booking of ``resource`` occupies: its parts, else itself."""
    parts = list(resource.parts.order_by("pk").values_list("pk", flat=True))
    return parts or [resource.pk]


def span_of(resource: BookableResource, start: dt.datetime, end: dt.datetime):
    """What a booking from ``start`` to ``end`` holds of the resource: with its buffers."""
    return (
        start - dt.timedelta(minutes=resource.buffer_before_minutes),
        end + dt.timedelta(minutes=resource.buffer_after_minutes),
    )


def _lock_units(unit_ids: Sequence[int]) -> None:
    """Hold the unit rows until the transaction ends (see the module). Call inside one."""
    ordered = sorted(set(unit_ids))
    rows = BookableResource.objects.filter(pk__in=ordered)
    if connection.vendor == "sqlite":
        # A write, so SQLite's write lock is taken before the claims are read.
        rows.update(version=F("version"))
    else:
        list(rows.order_by("pk").select_for_update().values_list("pk", flat=True))


def _first_clash(
    unit_ids: Sequence[int],
    spans: Sequence[tuple[dt.datetime, dt.datetime]],
    *,
    ignoring: Iterable[int] = (),
) -> tuple[int, Booking] | None:
    """(index of the span, booking) of the first span meeting a claim, else None."""
    if not spans:
        return None
    lowest = min(s for s, _e in spans)
    highest = max(e for _s, e in spans)
    claims = list(
        Claim.objects.filter(unit_id__in=unit_ids, start__lt=highest, end__gt=lowest)
        .exclude(booking_id__in=list(ignoring))
        .order_by("start")
        .values_list("start", "end", "booking_id")
    )
    if not claims:
        return None
    for index, (start, end) in enumerate(spans):
        for claim_start, claim_end, booking_id in claims:
            if claim_start < end and start < claim_end:
                booking = Booking.objects.select_related("resource", "booked_by").get(pk=booking_id)
                return index, booking
    return None


def _claim(booking: Booking) -> None:
    start, end = span_of(booking.resource, booking.start, booking.end)
    Claim.objects.bulk_create(
        [
            Claim(booking=booking, unit_id=unit, start=start, end=end)
            for unit in units_of(booking.resource)
        ]
    )


# --------------------------------------------------------------------------- rules


def _booker(actor):
    person = person_of(actor)
    if person is None:
        raise DomainError(_("Your login has no person record, so it cannot make bookings."))
    return person


def _aware(value: dt.datetime, field: str) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise DomainError(_("Give a date and time."), fields={field: [_("Give a date and time.")]})
    if timezone.is_naive(value):
        message = _("Give the time with its time zone offset, such as 2026-03-03T14:00+01:00.")
        raise DomainError(message, fields={field: [message]})
    return value.astimezone(dt.UTC)


def check_booking_rules(
    *, actor, resource: BookableResource, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> None:
    """Refuse (DomainError, HTTP 422) a booking that breaks the resource's rules."""
    if end <= start:
        message = _("The booking must end after it starts.")
        raise DomainError(message, fields={"end": [message]})
    if end - start > MAX_LENGTH:
        message = _("A booking lasts at most 31 days.")
        raise DomainError(message, fields={"end": [message]})
    if start > now + MAX_AHEAD:
        message = _("Bookings are made at most ten years ahead.")
        raise DomainError(message, fields={"start": [message]})
    if not may_book(actor, resource):
        if not resource.active:
            raise DomainError(_("%(name)s is not available for booking.") % {"name": resource})
        groups = ", ".join(resource.allowed_groups.order_by("name").values_list("name", flat=True))
        raise DomainError(
            _("%(name)s may be booked only by members of: %(groups)s.")
            % {"name": resource, "groups": groups},
            fields={"resource": [_("Not open to your groups.")]},
        )
    notice = dt.timedelta(minutes=resource.min_notice_minutes)
    if start < now + notice:
        if notice:
            message = _(
                "%(name)s must be booked at least %(minutes)d minutes before it starts."
            ) % {
                "name": resource,
                "minutes": resource.min_notice_minutes,
            }
        else:
            message = _("The booking starts in the past.")
        raise DomainError(message, fields={"start": [message]})
    if resource.max_advance_days is not None:
        furthest = now + dt.timedelta(days=resource.max_advance_days)
        if start > furthest:
            message = _("%(name)s may be booked at most %(days)d days ahead (until %(day)s).") % {
                "name": resource,
                "days": resource.max_advance_days,
                "day": timezone.localtime(furthest, _zone(resource.time_zone)).date().isoformat(),
            }
            raise DomainError(message, fields={"start": [message]})


def _horizon_end(resource: BookableResource, now: dt.datetime) -> dt.datetime:
    days = horizon_days()
    if resource.max_advance_days is not None:
        days = min(days, resource.max_advance_days)
    return now + dt.timedelta(days=days)


def _occurrences(
    rule: str, *, resource, start, end, until: dt.datetime
) -> list[recurrence.Occurrence]:
    try:
        return recurrence.expand(
            rule,
            first_start=start,
            first_end=end,
            zone=resource.time_zone,
            until=until,
            limit=MAX_OCCURRENCES,
        )
    except recurrence.RecurrenceError as error:
        raise DomainError(str(error), fields={"recurrence": [str(error)]}) from None


# --------------------------------------------------------------------------- bookings


def booking_create(
    *,
    actor,
    resource: BookableResource,
    start: dt.datetime,
    end: dt.datetime,
    purpose: str,
    project=None,
    attendees: Iterable = (),
    recurrence_rule: str = "",
    now: dt.datetime | None = None,
    notify: bool = True,
) -> Booking:
    """Book ``resource`` from ``start`` to ``end`` (aware), once or as ``recurrence_rule``.

    Returns the booking (the series' first occurrence when recurring). Raises DomainError
    (422) for a rule broken, BookingClash (409) naming the booking met (and, for a series,
    the date of the occurrence that meets it), Http404 for a project the actor cannot see.
    Attendees with an e-mail address get an iCalendar invitation once it is committed.
    """
    now = now or timezone.now()
    start, end = _aware(start, "start"), _aware(end, "end")
    purpose = (purpose or "").strip()
    if not purpose:
        raise DomainError(_("Say what the booking is for."), fields={"purpose": [_("Required.")]})
    booker = _booker(actor)
    if project is not None:
        check_project(actor, project)
    check_booking_rules(actor=actor, resource=resource, start=start, end=end, now=now)
    attendees = list(attendees)
    rule = recurrence.normalise_rule(recurrence_rule) if recurrence_rule else ""
    if rule:
        until = _horizon_end(resource, now)
        occurrences = _occurrences(rule, resource=resource, start=start, end=end, until=until)
    else:
        occurrences = [recurrence.Occurrence(start=start, end=end)]
    units = units_of(resource)
    spans = [span_of(resource, o.start, o.end) for o in occurrences]
    with (
        transaction.atomic(),
        change_set(actor=actor, reason=_("Booked %(name)s") % {"name": resource}),
    ):
        _lock_units(units)
        clash = _first_clash(units, spans)
        if clash is not None:
            index, conflicting = clash
            raise BookingClash(
                conflicting=conflicting, occurrence=occurrences[index].start if rule else None
            )
        series = None
        if rule:
            series = BookingSeries(
                resource=resource,
                booked_by=booker,
                purpose=purpose,
                project=project,
                rrule=rule,
                first_start=occurrences[0].start,
                first_end=occurrences[0].end,
                time_zone=resource.time_zone,
                materialised_until=until,
            )
            series.full_clean()
            series._history_user = actor
            series.save()
        made = []
        for occurrence in occurrences:
            booking = Booking(
                resource=resource,
                booked_by=booker,
                start=occurrence.start,
                end=occurrence.end,
                purpose=purpose,
                project=project,
                series=series,
                original_start=occurrence.start if series else None,
            )
            booking._history_user = actor
            booking.save()
            if attendees:
                booking.attendees.set(attendees)
            _claim(booking)
            made.append(booking)
        first = made[0]
        if notify:
            transaction.on_commit(lambda: invitations.send_request(first))
    return first


def booking_for(user, booking_id) -> Booking:
    """A booking anyone logged in may look at (rooms' calendars are open in the
    organisation, as they are in Outlook); unknown ids are 404."""
    from django.http import Http404

    booking = (
        Booking.objects.select_related("resource", "booked_by", "project", "series")
        .filter(pk=booking_id)
        .first()
        if isinstance(booking_id, int)
        else None
    )
    if booking is None or not getattr(user, "is_authenticated", False):
        raise Http404(_("No such booking."))
    return booking


def booking_update(
    *,
    actor,
    booking: Booking,
    expected_version: int,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    purpose: str | None = None,
    attendees: Iterable | None = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Move or rename one booking (for an occurrence of a series: that occurrence alone,
    which becomes an exception of its series). Same refusals as ``booking_create``."""
    check_booking_change(actor, booking)
    now = now or timezone.now()
    new_start = _aware(start, "start") if start is not None else booking.start
    new_end = _aware(end, "end") if end is not None else booking.end
    moved = (new_start, new_end) != (booking.start, booking.end)
    if not booking.is_live:
        raise DomainError(_("A cancelled booking cannot be changed; restore it first."))
    if moved:
        check_booking_rules(
            actor=actor, resource=booking.resource, start=new_start, end=new_end, now=now
        )
    units = units_of(booking.resource)
    with transaction.atomic():
        if moved:
            _lock_units(units)
        current = locked_at_version(booking, expected_version=expected_version)
        if moved:
            clash = _first_clash(
                units, [span_of(booking.resource, new_start, new_end)], ignoring=[current.pk]
            )
            if clash is not None:
                raise BookingClash(conflicting=clash[1])
        changes = {"start": new_start, "end": new_end, "version": current.version + 1}
        if purpose is not None:
            if not purpose.strip():
                raise DomainError(
                    _("Say what the booking is for."), fields={"purpose": [_("Required.")]}
                )
            changes["purpose"] = purpose.strip()
        if current.series_id is not None:
            changes["is_exception"] = True
        for field, value in changes.items():
            setattr(current, field, value)
        current._history_user = actor
        current.save()
        if attendees is not None:
            current.attendees.set(list(attendees))
        if moved:
            current.claims.all().delete()
            _claim(current)
        transaction.on_commit(lambda: invitations.send_request(current))
    return current


def booking_cancel(
    *, actor, booking: Booking, expected_version: int, whole_series: bool = False
) -> Booking:
    """Cancel a booking (a soft delete: ``booking_restore`` undoes it while the time is
    still free). ``whole_series``: also every later occurrence of its series. Attendees
    get the iCalendar cancellation."""
    check_booking_change(actor, booking)
    with transaction.atomic():
        current = locked_at_version(booking, expected_version=expected_version)
        if not current.is_live:
            raise DomainError(_("This booking is already cancelled."))
        moment = timezone.now()
        targets = [current]
        if whole_series and current.series_id is not None:
            targets += list(
                Booking.objects.select_for_update()
                .filter(series_id=current.series_id, start__gt=current.start)
                .filter(status=Booking.Status.CONFIRMED)
            )
            BookingSeries.objects.filter(pk=current.series_id).update(
                cancelled_at=moment, version=F("version") + 1
            )
        for target in targets:
            target.status = Booking.Status.CANCELLED
            target.cancelled_at = moment
            target.cancelled_by = actor
            target.version += 1
            target._history_user = actor
            target.save()
            target.claims.all().delete()
        transaction.on_commit(lambda: invitations.send_cancel(current, whole_series=whole_series))
    return current


def booking_restore(*, actor, booking: Booking, expected_version: int) -> Booking:
    """Undo a cancellation, if the time is still free (else BookingClash names who took it)."""
    check_booking_change(actor, booking)
    if booking.status != Booking.Status.CANCELLED:
        raise DomainError(_("Only a cancelled booking can be restored."))
    units = units_of(booking.resource)
    with transaction.atomic():
        _lock_units(units)
        current = locked_at_version(booking, expected_version=expected_version)
        if current.status != Booking.Status.CANCELLED:
            raise DomainError(_("Only a cancelled booking can be restored."))
        clash = _first_clash(units, [span_of(current.resource, current.start, current.end)])
        if clash is not None:
            raise BookingClash(conflicting=clash[1])
        current.status = Booking.Status.CONFIRMED
        current.cancelled_at = None
        current.cancelled_by = None
        current.version += 1
        current._history_user = actor
        current.save()
        _claim(current)
        transaction.on_commit(lambda: invitations.send_request(current))
    return current


def booking_check_in(*, actor, booking: Booking, now: dt.datetime | None = None) -> Booking:
    """Say the booking is in use: its booker, an attendee or the resource's managers, from
    15 minutes before its start until it is released."""
    now = now or timezone.now()
    person = person_of(actor)
    is_attendee = person is not None and booking.attendees.filter(pk=person.pk).exists()
    try:
        check_booking_change(actor, booking)
    except PermissionDenied:
        if not is_attendee:
            raise
    if not booking.is_live:
        raise DomainError(_("This booking was cancelled or released; book again."))
    if now < booking.start - CHECK_IN_OPENS_BEFORE:
        raise DomainError(_("Check-in opens 15 minutes before the booking starts."))
    if now >= booking.end:
        raise DomainError(_("This booking has ended."))
    updated = Booking.objects.filter(
        pk=booking.pk, status=Booking.Status.CONFIRMED, checked_in_at__isnull=True
    ).update(checked_in_at=now, version=F("version") + 1)
    booking.refresh_from_db()
    if not updated and booking.checked_in_at is None:
        raise DomainError(_("This booking was released before the check-in arrived."))
    return booking


def release_no_shows(*, now: dt.datetime | None = None) -> list[int]:
    """Release the bookings of check-in resources nobody checked in to in time: their
    time is free again. Returns the released bookings' ids. Safe to run on several
    workers at once: each release is a conditional update of a still-confirmed row."""
    now = now or timezone.now()
    due = (
        Booking.objects.filter(
            status=Booking.Status.CONFIRMED,
            checked_in_at__isnull=True,
            resource__check_in_required=True,
            start__lte=now,
            end__gt=now - dt.timedelta(days=1),
        )
        .select_related("resource")
        .order_by("start")
    )
    released = []
    for booking in due:
        if booking.start + dt.timedelta(minutes=booking.resource.auto_release_minutes) > now:
            continue
        with transaction.atomic():
            won = Booking.objects.filter(
                pk=booking.pk, status=Booking.Status.CONFIRMED, checked_in_at__isnull=True
            ).update(status=Booking.Status.RELEASED, version=F("version") + 1)
            if won:
                Claim.objects.filter(booking_id=booking.pk).delete()
                fresh = Booking.objects.get(pk=booking.pk)
                fresh._change_reason = "Released: nobody checked in"
                fresh.save()  # a history row saying who (nobody) and why
                released.append(booking.pk)
    return released


def series_extend(*, now: dt.datetime | None = None) -> int:
    """Make the occurrences of live series that have come within the horizon since.

    An occurrence whose time someone else booked meanwhile is made cancelled (it shows as
    an exception of the series) rather than double booked. Returns how many were made.
    """
    now = now or timezone.now()
    made = 0
    for series in BookingSeries.objects.filter(cancelled_at__isnull=True).select_related(
        "resource", "booked_by"
    ):
        until = _horizon_end(series.resource, now)
        if until <= series.materialised_until:
            continue
        try:
            occurrences = recurrence.expand(
                series.rrule,
                first_start=series.first_start,
                first_end=series.first_end,
                zone=series.time_zone,
                until=until,
                limit=MAX_OCCURRENCES * 10,
            )
        except recurrence.RecurrenceError:
            continue
        fresh = [o for o in occurrences if o.start >= series.materialised_until]
        units = units_of(series.resource)
        with transaction.atomic():
            _lock_units(units)
            for occurrence in fresh:
                booking = Booking(
                    resource=series.resource,
                    booked_by=series.booked_by,
                    start=occurrence.start,
                    end=occurrence.end,
                    purpose=series.purpose,
                    project=series.project,
                    series=series,
                    original_start=occurrence.start,
                )
                span = span_of(series.resource, occurrence.start, occurrence.end)
                if _first_clash(units, [span]) is not None:
                    booking.status = Booking.Status.CANCELLED
                    booking.cancelled_at = now
                    booking.is_exception = True
                booking.save()
                if booking.is_live:
                    _claim(booking)
                made += 1
            BookingSeries.objects.filter(pk=series.pk).update(materialised_until=until)
    return made


# --------------------------------------------------------------------------- resources


def resource_create(*, actor, **fields) -> BookableResource:
    """Set up a bookable resource (administrators)."""
    if not may_administer_bookings(actor):
        raise PermissionDenied(_("Only administrators set up rooms and equipment."))
    managers = fields.pop("managers", ())
    groups = fields.pop("allowed_groups", ())
    resource = BookableResource(**fields)
    resource.full_clean()
    resource._history_user = actor
    resource.save()
    resource.managers.set(managers)
    resource.allowed_groups.set(groups)
    return resource


# --------------------------------------------------------------------------- feeds


def feed_create(*, actor, kind: str, subject) -> tuple[CalendarFeed, str]:
    """A new secret feed address for a room, a person or a project; returns the feed and
    its token, which is shown once. Anyone may follow a room; a person's bookings are
    theirs (and administrators'); a project's are for those who may see the project."""
    fields = {}
    if kind == CalendarFeed.Kind.RESOURCE:
        fields["resource"] = subject
    elif kind == CalendarFeed.Kind.PERSON:
        own = person_of(actor)
        if not (own is not None and own.pk == subject.pk) and not may_administer_bookings(actor):
            raise PermissionDenied(_("You may follow only your own bookings."))
        fields["person"] = subject
    elif kind == CalendarFeed.Kind.PROJECT:
        check_project(actor, subject)
        fields["project"] = subject
    else:
        raise DomainError(_("A feed is of a room, a person or a project."))
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        owner=actor,
        kind=kind,
        digest=token_digest(token),
        hint=token[:8],
        **fields,
    )
    return feed, token


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def feed_revoke(*, actor, feed: CalendarFeed) -> CalendarFeed:
    if feed.owner_id != actor.pk and not may_administer_bookings(actor):
        raise PermissionDenied(_("Only its owner revokes a feed."))
    CalendarFeed.objects.filter(pk=feed.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    feed.refresh_from_db()
    return feed
