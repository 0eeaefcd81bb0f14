from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from steerco.core.versioning import VersionedModel

#: Monday 0 … Sunday 6, as ``datetime.date.weekday`` numbers them (and the capacity engine).
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _default_weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]


class Role(models.Model):
    """A kind of work people do and projects ask for: Business analyst, Developer, Tester.

    An allocation to a role rather than to a person is an open request a resource
    manager fills; the role view compares the demand on a role with the people in it."""

    name = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    """Something a person can do at a proficiency (1–5): Python, Stakeholder management."""

    name = models.CharField(max_length=100, unique=True)
    category = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(VersionedModel):
    """Anyone who works on or for projects, with or without a login.

    Owners, assignees, sponsors and managers everywhere refer to a Person, so a
    contractor without an account can still own a risk or an action.

    The working pattern gives the capacity engine its hours: ``weekly_hours`` over the
    ``working_weekdays`` × ``part_time_percent`` × ``availability_percent`` on each
    working day of the employment (``employment_start``–``employment_end``, inclusive)
    that is not a public holiday of ``holiday_country``/``holiday_subdivision`` and not
    leave.
    """

    class EmploymentType(models.TextChoices):
        EMPLOYEE = "employee", _("Employee")
        CONTRACTOR = "contractor", _("Contractor")
        SUPPLIER = "supplier", _("Supplier staff")

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    team = models.CharField(max_length=100, blank=True)
    job_title = models.CharField(max_length=100, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    active = models.BooleanField(default=True)
    line_manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    primary_role = models.ForeignKey(
        Role, null=True, blank=True, on_delete=models.SET_NULL, related_name="primary_people"
    )
    roles = models.ManyToManyField(
        Role,
        blank=True,
        related_name="people",
        help_text=_("Other roles the person can take, beside the primary role."),
    )
    employment_type = models.CharField(
        max_length=20, choices=EmploymentType.choices, default=EmploymentType.EMPLOYEE
    )
    employment_start = models.DateField(null=True, blank=True)
    employment_end = models.DateField(
        null=True, blank=True, help_text=_("Last working day; empty while open-ended.")
    )
    weekly_hours = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=40,
        validators=[MinValueValidator(0), MaxValueValidator(168)],
        help_text=_("Hours of a full standard week, before part-time."),
    )
    working_weekdays = models.JSONField(
        default=_default_weekdays, help_text=_("Days worked: 0 Monday … 6 Sunday.")
    )
    part_time_percent = models.PositiveSmallIntegerField(
        default=100, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    # 80 %: the share of working time left for project work once meetings, support and
    # admin are taken out — the planning convention PMOs quote (40 h × 80 % = 32 h).
    availability_percent = models.PositiveSmallIntegerField(
        default=80, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    holiday_country = models.CharField(
        max_length=2, blank=True, help_text=_("ISO country code for public holidays (GB, DE).")
    )
    holiday_subdivision = models.CharField(
        max_length=10, blank=True, help_text=_("Region within the country (ENG, SCT, BY).")
    )
    history = HistoricalRecords(excluded_fields=["roles"])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if (
            self.employment_start
            and self.employment_end
            and self.employment_end < self.employment_start
        ):
            errors["employment_end"] = _("The employment cannot end before it starts.")
        days = self.working_weekdays
        if (
            not isinstance(days, list)
            or not days
            or any(not isinstance(d, int) or not 0 <= d <= 6 for d in days)
            or len(set(days)) != len(days)
        ):
            errors["working_weekdays"] = _(
                "Working days must be distinct numbers from 0 (Monday) to 6 (Sunday)."
            )
        if self.holiday_subdivision and not self.holiday_country:
            errors["holiday_subdivision"] = _("A region needs its country.")
        if self.holiday_country:
            from steerco.resources.calendars import holiday_check

            problem = holiday_check(self.holiday_country, self.holiday_subdivision)
            if problem:
                errors["holiday_country"] = problem
        if self.line_manager_id and self.pk and self.line_manager_id == self.pk:
            errors["line_manager"] = _("A person cannot be their own line manager.")
        if errors:
            raise ValidationError(errors)

    @property
    def weekday_names(self) -> str:
        return ", ".join(WEEKDAY_NAMES[d] for d in sorted(self.working_weekdays or []))


class PersonSkill(models.Model):
    """A person's proficiency in a skill, 1 (aware) to 5 (expert), and when it was last
    assessed."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="holders")
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    assessed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "skill"], name="person_skill_once"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="person_skill_level_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.skill} {self.level}"


class Leave(models.Model):
    """Absence from ``start`` to ``finish`` inclusive: ``day_fraction`` of each working day
    (1 whole days, 0.5 half days). The ``reason`` is private: only the person, their line
    manager, resource managers and the PMO read it (``accounts.rules.may_see_private``);
    everyone else sees the time as "away"."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Annual leave")
        SICK = "sick", _("Sickness")
        TRAINING = "training", _("Training")
        PARENTAL = "parental", _("Parental leave")
        OTHER = "other", _("Other absence")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="leave")
    start = models.DateField()
    finish = models.DateField()
    day_fraction = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0.05), MaxValueValidator(1)],
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ANNUAL)
    reason = models.CharField(max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["start"]
        verbose_name_plural = "leave"

    def __str__(self) -> str:
        return f"{self.person} away {self.start}–{self.finish}"

    def clean(self) -> None:
        if self.start and self.finish and self.finish < self.start:
            raise ValidationError({"finish": _("Leave cannot end before it starts.")})
