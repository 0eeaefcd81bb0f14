from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from steerco.core.versioning import VersionedModel

project_code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9_-]{1,19}$",
    _("Use 2–20 capital letters, digits, '-' or '_', starting with a letter or digit."),
)


class Portfolio(VersionedModel):
    """A grouping of projects (and later proposals) managed together by the PMO."""

    code = models.CharField(max_length=20, unique=True, validators=[project_code_validator])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        "resources.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# How long a deleted project waits in the trash, restorable, before it may be purged.
TRASH_DAYS = 30


class LiveProjects(models.Manager):
    """Projects that are not in the trash: what every list, count and lookup reads."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class Project(VersionedModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACTIVE = "active", _("Active")
        ON_HOLD = "on_hold", _("On hold")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    class Health(models.TextChoices):
        # Filled from status reports by a later feature; until then set by hand.
        NOT_ASSESSED = "not_assessed", _("Not assessed")
        GREEN = "green", _("Green")
        AMBER = "amber", _("Amber")
        RED = "red", _("Red")

    code = models.CharField(max_length=20, unique=True, validators=[project_code_validator])
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    sponsor = models.ForeignKey(
        "resources.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsored_projects",
    )
    manager = models.ForeignKey(
        "resources.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_projects",
    )
    portfolio = models.ForeignKey(
        Portfolio, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    health = models.CharField(max_length=20, choices=Health.choices, default=Health.NOT_ASSESSED)
    planned_start = models.DateField(null=True, blank=True)
    planned_finish = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the project is moved to the trash (deleting it): it leaves every list but
    # keeps its data until restored or purged.
    deleted_at = models.DateTimeField(_("moved to the trash at"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("moved to the trash by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    # ``objects`` leaves trashed projects out, so no page, count or API forgets to; the
    # framework's default manager (uniqueness checks, row locks, the admin) sees them all,
    # so a trashed project's code stays taken and the trash can still lock it.
    objects = LiveProjects()
    all_objects = models.Manager()

    class Meta:
        ordering = ["code"]
        default_manager_name = "all_objects"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def in_trash(self) -> bool:
        return self.deleted_at is not None

    def clean(self) -> None:
        if self.planned_start and self.planned_finish and self.planned_finish < self.planned_start:
            raise ValidationError(
                {"planned_finish": _("The planned finish cannot be before the planned start.")}
            )

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.CLOSED, self.Status.CANCELLED)


class Membership(VersionedModel):
    """A person's role on one project; it is what grants project-level permissions."""

    class Role(models.TextChoices):
        PROJECT_MANAGER = "project_manager", _("Project manager")
        PROJECT_SUPPORT = "project_support", _("Project support")
        TEAM_MEMBER = "team_member", _("Team member")
        VIEWER = "viewer", _("Viewer")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        "resources.Person", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "role", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "person"], name="one_role_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} on {self.project.code}"
