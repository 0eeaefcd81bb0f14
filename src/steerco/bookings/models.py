"""Rooms, equipment and vehicles people book, and the bookings themselves.

Times are aware datetimes stored in UTC; a resource's ``time_zone`` is where its wall
clock runs, so a weekly series at 09:30 stays at 09:30 across a change of summer time.

The rule "no double booking, ever" is kept by ``Claim`` rows: a live booking claims each
*unit* it occupies (a room without parts is one unit; a room made of parts occupies each
part) over its span including the resource's buffers. Two claims of one unit may not
overlap: the services check under a lock of the unit rows, and on PostgreSQL an exclusion
constraint on the claims says so again (migration 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from steerco.core.versioning import VersionedModel


def time_zone_validator(value: str) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("'%(zone)s' is not a time zone.") % {"zone": value}) from None


class BookableResource(VersionedModel):
    """A room, piece of equipment, vehicle or device that people book for a time."""

    class Kind(models.TextChoices):
        ROOM = "room", _("Room")
        EQUIPMENT = "equipment", _("Equipment")
        VEHICLE = "vehicle", _("Vehicle")
        DEVICE = "device", _("Device")

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ROOM)
    name = models.CharField(max_length=200, unique=True)
    location = models.CharField(max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("How many people it holds (rooms, vehicles).")
    )
    # Lower-case words such as "projector", "video", "whiteboard": what the finder matches.
    features = models.JSONField(default=list, blank=True)
    time_zone = models.CharField(
        max_length=64, default=settings.TIME_ZONE, validators=[time_zone_validator]
    )
    buffer_before_minutes = models.PositiveIntegerField(default=0)
    buffer_after_minutes = models.PositiveIntegerField(default=0)
    min_notice_minutes = models.PositiveIntegerField(
        default=0, help_text=_("How long before its start a booking must be made.")
    )
    max_advance_days = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("How far ahead it may be booked; empty for no limit.")
    )
    # Empty: everyone with a login may book it.
    allowed_groups = models.ManyToManyField(Group, blank=True, related_name="bookable_resources")
    check_in_required = models.BooleanField(default=False)
    auto_release_minutes = models.PositiveIntegerField(
        default=15,
        help_text=_("A booking nobody checked in to is released this long after it starts."),
    )
    # A room made of parts (a hall split by a partition): each part names the whole.
    part_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="parts"
    )
    # The facilities people who look after it: they may change and cancel its bookings.
    managers = models.ManyToManyField(
        "resources.Person", blank=True, related_name="managed_bookable_resources"
    )
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.part_of_id is not None:
            if self.part_of_id == self.pk:
                raise ValidationError({"part_of": _("A resource cannot be a part of itself.")})
            if self.part_of.part_of_id is not None:
                raise ValidationError({"part_of": _("A part cannot itself be made of parts.")})


class BookingSeries(VersionedModel):
    """A recurring booking: its rule (RFC 5545 RRULE) and the first occurrence's times.

    Its occurrences are ``Booking`` rows made up to a horizon; one that is moved or
    cancelled on its own is an exception of the series and keeps its ``original_start``.
    """

    resource = models.ForeignKey(BookableResource, on_delete=models.PROTECT, related_name="series")
    booked_by = models.ForeignKey(
        "resources.Person", on_delete=models.PROTECT, related_name="booking_series"
    )
    purpose = models.CharField(max_length=200)
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="booking_series",
    )
    rrule = models.CharField(max_length=500)
    first_start = models.DateTimeField()
    first_end = models.DateTimeField()
    time_zone = models.CharField(max_length=64, validators=[time_zone_validator])
    # Occurrences exist as rows up to this moment; later ones when the horizon moves on.
    materialised_until = models.DateTimeField()
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["first_start"]
        verbose_name_plural = "booking series"

    def __str__(self) -> str:
        return f"{self.purpose} ({self.rrule})"


class Booking(VersionedModel):
    """One booking of a resource from ``start`` to ``end`` (UTC), alone or in a series."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")
        RELEASED = "released", _("Released (nobody checked in)")

    resource = models.ForeignKey(
        BookableResource, on_delete=models.PROTECT, related_name="bookings"
    )
    booked_by = models.ForeignKey(
        "resources.Person", on_delete=models.PROTECT, related_name="bookings"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    purpose = models.CharField(max_length=200)
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
    )
    attendees = models.ManyToManyField(
        "resources.Person", blank=True, related_name="booking_invitations"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONFIRMED)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    series = models.ForeignKey(
        BookingSeries, null=True, blank=True, on_delete=models.CASCADE, related_name="occurrences"
    )
    # The start the series' rule gave this occurrence (its RECURRENCE-ID), kept when moved.
    original_start = models.DateTimeField(null=True, blank=True)
    # Changed on its own (moved, renamed) rather than as the rule says.
    is_exception = models.BooleanField(default=False)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["start", "pk"]
        indexes = [
            models.Index(fields=["resource", "start"]),
            models.Index(fields=["status", "start"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="booking_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["series", "original_start"], name="one_occurrence_per_series_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.start:%Y-%m-%d %H:%M}Z {self.purpose}"

    @property
    def is_live(self) -> bool:
        return self.status == self.Status.CONFIRMED


class Claim(models.Model):
    """A live booking's hold on one unit over its span with buffers (see the module)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="claims")
    unit = models.ForeignKey(BookableResource, on_delete=models.PROTECT, related_name="claims")
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["unit", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"


class CalendarFeed(models.Model):
    """A secret address a calendar application subscribes to: one room, person or project.

    Only a SHA-256 digest of the token is stored; the address is shown once, when made.
    """

    class Kind(models.TextChoices):
        RESOURCE = "resource", _("Room or equipment")
        PERSON = "person", _("Person")
        PROJECT = "project", _("Project")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    resource = models.ForeignKey(
        BookableResource, null=True, blank=True, on_delete=models.CASCADE, related_name="feeds"
    )
    person = models.ForeignKey(
        "resources.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} feed {self.hint}…"

    @property
    def subject(self):
        return self.resource or self.person or self.project
