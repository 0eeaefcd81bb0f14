"""Allocations: project demand on a named person or an unnamed role.

An app of its own, above ``projects`` and ``plans`` and beside ``logs``: an allocation names
a project, and ``resources`` (people, roles, skills) sits below the projects (ADR 11, 19).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from steerco.core.versioning import VersionedModel


class LiveAllocations(models.Manager):
    """Allocations not deleted; a deleted one can be restored until it is purged."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Allocation(VersionedModel):
    """``amount`` in ``unit`` of a project's demand from ``start`` to ``finish``
    (inclusive), on ``person`` or, while nobody is named, on ``role``.

    A project manager's allocation starts as a request; a resource manager approves or
    rejects it, and fills a request for a role by naming the person (the role is kept:
    it says what was asked for). Every allocation that is not rejected counts as demand,
    at its status (``confirmed``, ``tentative``, or ``soft`` with its win probability).
    """

    class Unit(models.TextChoices):
        TOTAL_HOURS = "total_hours", _("hours in total")
        HOURS_PER_WEEK = "hours_per_week", _("hours per week")
        HOURS_PER_MONTH = "hours_per_month", _("hours per month")
        FTE = "fte", _("FTE")

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        TENTATIVE = "tentative", _("Tentative")
        SOFT = "soft", _("Soft")

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="allocations"
    )
    person = models.ForeignKey(
        "resources.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    role = models.ForeignKey(
        "resources.Role",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    amount = models.DecimalField(max_digits=9, decimal_places=2, validators=[MinValueValidator(0)])
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.HOURS_PER_WEEK)
    start = models.DateField()
    finish = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONFIRMED)
    probability = models.DecimalField(
        max_digits=4,
        decimal_places=3,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Chance the work goes ahead (0–1); weights soft and tentative demand."),
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    objects = LiveAllocations()
    all_objects = models.Manager()
    history = HistoricalRecords()

    class Meta:
        default_manager_name = "all_objects"
        ordering = ["start", "pk"]
        indexes = [
            models.Index(fields=["start", "finish"]),
            models.Index(fields=["state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(role__isnull=False),
                name="allocation_names_person_or_role",
            ),
            models.CheckConstraint(
                condition=models.Q(finish__gte=models.F("start")),
                name="allocation_finish_not_before_start",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="allocation_amount_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(probability__gte=0, probability__lte=1),
                name="allocation_probability_0_to_1",
            ),
        ]

    def __str__(self) -> str:
        who = self.person.name if self.person_id else f"{self.role} (open)"
        return f"{who} on {self.project}: {self.amount} {self.get_unit_display()}"

    @property
    def is_open_request(self) -> bool:
        """A request for a role nobody has been named for yet."""
        return self.person_id is None and self.state != self.State.REJECTED

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.person_id is None and self.role_id is None:
            errors["person"] = _("Name a person, or a role for the resource manager to fill.")
        if self.start and self.finish and self.finish < self.start:
            errors["finish"] = _("The allocation cannot end before it starts.")
        if self.amount is not None and self.amount < 0:
            errors["amount"] = _("The amount cannot be negative.")
        if self.unit == self.Unit.FTE and self.amount is not None and self.amount > 5:
            errors["amount"] = _("An allocation of more than 5 FTE is surely a typing error.")
        if self.probability is not None and not 0 <= self.probability <= 1:
            errors["probability"] = _("The probability must lie between 0 and 1.")
        if self.person_id and self.start and self.finish:
            person = self.person
            if person.employment_start and self.start < person.employment_start:
                errors["start"] = _(
                    "%(name)s starts work on %(date)s; the allocation starts before that."
                ) % {"name": person.name, "date": person.employment_start}
            if person.employment_end and self.finish > person.employment_end:
                errors["finish"] = _(
                    "%(name)s's employment ends on %(date)s; the allocation runs past it."
                ) % {"name": person.name, "date": person.employment_end}
            if self.unit == self.Unit.TOTAL_HOURS and not _holds_a_working_day(
                self.start, self.finish, person.working_weekdays
            ):
                errors["finish"] = _(
                    "%(name)s works none of the days from %(start)s to %(finish)s."
                ) % {"name": person.name, "start": self.start, "finish": self.finish}
        if errors:
            raise ValidationError(errors)


def _holds_a_working_day(start, finish, weekdays) -> bool:
    """True if a day from ``start`` to ``finish`` (inclusive) falls on one of ``weekdays``
    (0 Monday … 6 Sunday)."""
    if (finish - start).days >= 6:
        return bool(weekdays)
    return any(
        (start.weekday() + offset) % 7 in weekdays for offset in range((finish - start).days + 1)
    )
