"""A project's logs: risks, assumptions, issues, dependencies, decisions, change requests,
actions and lessons.

Every log item has a human reference made of its log's prefix and a number that is
unique within its project and log and never reused after a deletion (``R-012`` stays
the risk people quoted in last month's minutes). Items link to each other and to plan
tasks through ``ItemLink`` and keep their full history with django-simple-history.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from steerco.core.versioning import VersionedModel
from steerco.engine.risk.scoring import risk_score

# The organisation's scales until someone edits them (also seeded by migration 0002).
DEFAULT_SCALE_LEVELS: dict[str, tuple[tuple[int, str, str], ...]] = {
    "probability": (
        (1, "Very low", "Less than 10% likely"),
        (2, "Low", "10–30% likely"),
        (3, "Medium", "30–50% likely"),
        (4, "High", "50–70% likely"),
        (5, "Very high", "More than 70% likely"),
    ),
    "impact": (
        (1, "Very low", "Negligible effect on time, cost, scope or quality"),
        (2, "Low", "Absorbed within tolerance"),
        (3, "Medium", "Uses most of the tolerance; the sponsor is told"),
        (4, "High", "Exceeds tolerance; escalated to the board"),
        (5, "Very high", "Threatens the business case"),
    ),
}


class ScaleLevel(models.Model):
    """One level of the organisation's probability or impact scale (default 1–5).

    The number of levels of a dimension is its scale size; the heat map and score bands
    follow it. Later issues let a method carry its own scales.
    """

    class Dimension(models.TextChoices):
        PROBABILITY = "probability", _("Probability")
        IMPACT = "impact", _("Impact")

    dimension = models.CharField(max_length=16, choices=Dimension.choices)
    value = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    label = models.CharField(max_length=60)
    description = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["dimension", "value"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "value"], name="scale_level_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.value} – {self.label}"


class LogCounter(models.Model):
    """The last number handed out per project and log, so numbers are never reused."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "kind"], name="log_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of project {self.project_id}: {self.last_number}"


class LogImport(models.Model):
    """A spreadsheet import into one project log: being written, switched in, or failed.

    An import writes its rows beside the log a batch per short transaction, each row
    marked as this import's (``LogItem.staged_import``) and so left out of every read of
    the log (``LiveLogItems``): the items the file adds, as they will be, and for each item
    it changes a hidden copy holding the file's values (``LogItem.shadow_of``). One short
    transaction then switches: the copies' values go onto the items, the new items lose
    their mark, and every history row is written. So other users wait for at most one
    batch or the switch, never for the whole file; and they never see half an import: a
    refused row, or a worker that dies, leaves the log as it was, and the marked rows are
    removed (at once, or by the next import of the log once ``ABANDONED_AFTER`` passed).
    """

    class State(models.TextChoices):
        STAGING = "staging", _("Being written")
        SWITCHED = "switched", _("Imported")
        FAILED = "failed", _("Failed")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="log_imports"
    )
    kind = models.CharField(max_length=20)  # the log's slug (kinds.py)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.STAGING)
    message = models.TextField(blank=True)
    # The background job writing it (a jobs.Job's id: the jobs app sits above this one).
    job_id = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["project", "kind", "state"], name="log_import_state")]

    def __str__(self) -> str:
        return (
            f"Import of {self.filename or 'a file'} into {self.kind} ({self.get_state_display()})"
        )


class LiveLogItems(models.Manager):
    """The items of the logs as they stand, without the rows an import is still writing
    (see ``LogImport``). ``all_rows``, and Django's base manager behind relations and
    deletes, see every row."""

    def get_queryset(self):
        return super().get_queryset().filter(staged_import__isnull=True)


class EveryLogRow(models.Manager):
    """Every row, those of imports under way included: what an import itself reads."""


class LogItem(VersionedModel):
    """Fields every log item shares. ``title`` is the one-line summary people scan."""

    KIND: ClassVar[str] = ""  # URL and API path segment, e.g. "risks"
    PREFIX: ClassVar[str] = ""  # reference prefix, e.g. "R"
    OPEN_STATUSES: ClassVar[frozenset[str]] = frozenset()

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField(editable=False)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        "resources.Person",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raised_by = models.ForeignKey(
        "resources.Person",
        verbose_name=_("raised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raised_on = models.DateField(_("raised on"), default=timezone.localdate)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Set while an import writes this row: a new item, or (with ``shadow_of``) the file's
    # values for an existing item, which the import's switch copies onto it.
    staged_import = models.ForeignKey(
        LogImport,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # No database constraint: deleting an item during an import leaves its copy, which the
    # switch then finds without its item and refuses as a row changed since the export.
    shadow_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    objects = LiveLogItems()
    all_rows = EveryLogRow()
    # An import's rows have no history of their own: its switch records what it changed.
    history = HistoricalRecords(
        inherit=True, excluded_fields=["updated_at", "staged_import", "shadow_of"]
    )

    class Meta:
        abstract = True
        ordering = ["project_id", "number"]

    @property
    def ref(self) -> str:
        return f"{self.PREFIX}-{self.number:03d}" if self.number else f"{self.PREFIX}-new"

    @property
    def is_open(self) -> bool:
        status = getattr(self, "status", None)
        return status is None or status in self.OPEN_STATUSES

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"


def _unique_number(model_name: str) -> list[models.UniqueConstraint]:
    # An import's copy of an item shares its number until the switch removes it.
    return [
        models.UniqueConstraint(
            fields=["project", "number"],
            condition=models.Q(shadow_of__isnull=True),
            name=f"{model_name}_number_unique",
        ),
        models.UniqueConstraint(
            fields=["shadow_of", "staged_import"], name=f"{model_name}_one_copy_per_import"
        ),
    ]


class Risk(LogItem):
    KIND = "risks"
    PREFIX = "R"

    class Kind(models.TextChoices):
        THREAT = "threat", _("Threat")
        OPPORTUNITY = "opportunity", _("Opportunity")

    class Category(models.TextChoices):
        STRATEGIC = "strategic", _("Strategic")
        COMMERCIAL = "commercial", _("Commercial")
        FINANCIAL = "financial", _("Financial")
        TECHNICAL = "technical", _("Technical")
        OPERATIONAL = "operational", _("Operational")
        PEOPLE = "people", _("People")
        LEGAL = "legal", _("Legal and regulatory")
        SCHEDULE = "schedule", _("Schedule")
        EXTERNAL = "external", _("External")

    class Proximity(models.TextChoices):
        IMMINENT = "imminent", _("Imminent")
        WITHIN_STAGE = "within_stage", _("Within the stage")
        WITHIN_PROJECT = "within_project", _("Within the project")
        BEYOND_PROJECT = "beyond_project", _("Beyond the project")

    class Strategy(models.TextChoices):
        AVOID = "avoid", _("Avoid")
        REDUCE = "reduce", _("Reduce")
        FALLBACK = "fallback", _("Fallback")
        TRANSFER = "transfer", _("Transfer")
        SHARE = "share", _("Share")
        ACCEPT = "accept", _("Accept")
        EXPLOIT = "exploit", _("Exploit")
        ENHANCE = "enhance", _("Enhance")
        REJECT = "reject", _("Reject")

    THREAT_STRATEGIES = frozenset({"avoid", "reduce", "fallback", "transfer", "share", "accept"})
    OPPORTUNITY_STRATEGIES = frozenset({"exploit", "enhance", "share", "reject", "accept"})

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        OCCURRED = "occurred", _("Occurred")

    OPEN_STATUSES = frozenset({"open"})

    risk_type = models.CharField(
        _("threat or opportunity"), max_length=12, choices=Kind.choices, default=Kind.THREAT
    )
    cause = models.TextField(_("cause"), blank=True)
    event = models.TextField(_("event"), blank=True)
    effect = models.TextField(_("effect"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    actionee = models.ForeignKey(
        "resources.Person",
        verbose_name=_("actionee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    proximity = models.CharField(
        _("proximity"), max_length=20, choices=Proximity.choices, blank=True
    )
    probability = models.PositiveSmallIntegerField(_("probability"))
    impact = models.PositiveSmallIntegerField(_("impact"))
    probability_after = models.PositiveSmallIntegerField(
        _("probability after response"), null=True, blank=True
    )
    impact_after = models.PositiveSmallIntegerField(
        _("impact after response"), null=True, blank=True
    )
    strategy = models.CharField(
        _("response strategy"), max_length=12, choices=Strategy.choices, blank=True
    )
    response = models.TextField(_("response actions"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    review_date = models.DateField(_("review date"), null=True, blank=True)
    # Three-point estimates of the effect if the risk occurs, for risk simulation:
    # money in the organisation's currency, time in working days of the project calendar.
    cost_min = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    cost_likely = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    cost_max = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    schedule_min_days = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)
    schedule_likely_days = models.DecimalField(
        max_digits=7, decimal_places=1, null=True, blank=True
    )
    schedule_max_days = models.DecimalField(max_digits=7, decimal_places=1, null=True, blank=True)

    class Meta(LogItem.Meta):
        constraints = _unique_number("risk")
        indexes = [models.Index(fields=["project", "status"], name="risk_project_status")]

    @property
    def score_before(self) -> int | None:
        return risk_score(self.probability, self.impact)

    @property
    def score_after(self) -> int | None:
        return risk_score(self.probability_after, self.impact_after)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list[str]] = {}
        if (self.probability_after is None) != (self.impact_after is None):
            errors.setdefault("impact_after", []).append(
                _("Give both the probability and the impact after response, or neither.")
            )
        if self.strategy:
            allowed = (
                self.OPPORTUNITY_STRATEGIES
                if self.risk_type == self.Kind.OPPORTUNITY
                else self.THREAT_STRATEGIES
            )
            if self.strategy not in allowed:
                errors.setdefault("strategy", []).append(
                    _("'%(strategy)s' is not a response to %(kind)s.")
                    % {
                        "strategy": self.get_strategy_display(),
                        "kind": _("an opportunity")
                        if self.risk_type == self.Kind.OPPORTUNITY
                        else _("a threat"),
                    }
                )
        for prefix, label in (("cost", _("cost")), ("schedule", _("schedule"))):
            suffix = "_days" if prefix == "schedule" else ""
            values = [
                getattr(self, f"{prefix}_{point}{suffix}") for point in ("min", "likely", "max")
            ]
            given = [v for v in values if v is not None]
            if given and len(given) != 3:
                errors.setdefault(f"{prefix}_max{suffix}", []).append(
                    _("Give the minimum, most likely and maximum %(what)s impact, or none.")
                    % {"what": label}
                )
            elif given and not (values[0] <= values[1] <= values[2]):
                errors.setdefault(f"{prefix}_max{suffix}", []).append(
                    _("The %(what)s impact must satisfy minimum ≤ most likely ≤ maximum.")
                    % {"what": label}
                )
            elif given and values[0] < 0 and self.risk_type == self.Kind.THREAT:
                errors.setdefault(f"{prefix}_min{suffix}", []).append(
                    _("A threat's %(what)s impact cannot be negative.") % {"what": label}
                )
        if errors:
            raise ValidationError(errors)


class Assumption(LogItem):
    KIND = "assumptions"
    PREFIX = "AS"

    class Status(models.TextChoices):
        UNVALIDATED = "unvalidated", _("Unvalidated")
        VALID = "valid", _("Valid")
        INVALID = "invalid", _("Invalid")

    OPEN_STATUSES = frozenset({"unvalidated"})

    validation_due = models.DateField(_("validate by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UNVALIDATED
    )
    consequence_if_invalid = models.TextField(_("what happens if invalid"), blank=True)

    class Meta(LogItem.Meta):
        constraints = _unique_number("assumption")


class Issue(LogItem):
    KIND = "issues"
    PREFIX = "I"

    class Type(models.TextChoices):
        REQUEST_FOR_CHANGE = "request_for_change", _("Request for change")
        OFF_SPECIFICATION = "off_specification", _("Off-specification")
        PROBLEM = "problem", _("Problem or concern")

    class Level(models.TextChoices):
        # Ordered from least to most pressing; the values sort the same way.
        LOW = "1_low", _("Low")
        MEDIUM = "2_medium", _("Medium")
        HIGH = "3_high", _("High")
        CRITICAL = "4_critical", _("Critical")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    OPEN_STATUSES = frozenset({"open", "in_progress"})

    issue_type = models.CharField(
        _("type"), max_length=20, choices=Type.choices, default=Type.PROBLEM
    )
    priority = models.CharField(
        _("priority"), max_length=12, choices=Level.choices, default=Level.MEDIUM
    )
    severity = models.CharField(
        _("severity"), max_length=12, choices=Level.choices, default=Level.MEDIUM
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    resolution = models.TextField(_("resolution"), blank=True)
    escalated_to_pmo = models.BooleanField(_("escalated to the PMO"), default=False)
    escalated_to = models.ForeignKey(
        "resources.Person",
        verbose_name=_("escalated to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    escalated_on = models.DateField(_("escalated on"), null=True, blank=True)
    escalation_reason = models.TextField(_("reason for escalation"), blank=True)
    from_risk = models.OneToOneField(
        Risk,
        verbose_name=_("raised from risk"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resulting_issue",
    )

    class Meta(LogItem.Meta):
        constraints = _unique_number("issue")
        indexes = [models.Index(fields=["project", "status"], name="issue_project_status")]

    @property
    def is_escalated(self) -> bool:
        return self.escalated_to_pmo or self.escalated_to_id is not None

    def clean(self) -> None:
        super().clean()
        if self.is_escalated and not self.escalation_reason.strip():
            raise ValidationError({"escalation_reason": _("Say why the issue is escalated.")})
        if self.status in {self.Status.RESOLVED, self.Status.CLOSED} and not self.resolution:
            raise ValidationError(
                {"resolution": _("Describe the resolution before resolving or closing.")}
            )


class ProjectDependency(LogItem):
    """RAID "D": something this project needs from, or gives to, another party.

    A dependency on another SteerCo project appears in both projects' logs (mirrored:
    an outbound dependency of one is inbound to the other).
    """

    KIND = "dependencies"
    PREFIX = "D"

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("Inbound (we need it)")
        OUTBOUND = "outbound", _("Outbound (others need it from us)")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        AT_RISK = "at_risk", _("At risk")
        MET = "met", _("Met")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = frozenset({"open", "at_risk"})

    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.INBOUND
    )
    other_project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("other project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    external_party = models.CharField(_("external party"), max_length=200, blank=True)
    need_by = models.DateField(_("needed by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )

    class Meta(LogItem.Meta):
        constraints = _unique_number("projectdependency")
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")

    def clean(self) -> None:
        super().clean()
        has_project = self.other_project_id is not None
        has_party = bool(self.external_party.strip())
        if has_project == has_party:
            raise ValidationError(
                {"other_project": _("Name either another project or an external party.")}
            )
        if has_project and self.other_project_id == self.project_id:
            raise ValidationError({"other_project": _("A project cannot depend on itself.")})


class Decision(LogItem):
    KIND = "decisions"
    PREFIX = "DEC"

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        DECIDED = "decided", _("Decided")
        SUPERSEDED = "superseded", _("Superseded")

    OPEN_STATUSES = frozenset({"proposed"})

    rationale = models.TextField(_("rationale"), blank=True)
    alternatives = models.TextField(_("alternatives considered"), blank=True)
    decided_by = models.ForeignKey(
        "resources.Person",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DECIDED
    )

    class Meta(LogItem.Meta):
        constraints = _unique_number("decision")

    def clean(self) -> None:
        super().clean()
        if self.status == self.Status.DECIDED and self.decided_on is None:
            raise ValidationError({"decided_on": _("Give the date of the decision.")})


class ChangeRequest(LogItem):
    """A request to change the approved baseline; its status moves along ``TRANSITIONS``."""

    KIND = "changes"
    PREFIX = "CR"

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ASSESSED = "assessed", _("Assessed")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        IMPLEMENTED = "implemented", _("Implemented")

    OPEN_STATUSES = frozenset({"draft", "submitted", "assessed", "approved"})
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        "draft": frozenset({"submitted"}),
        "submitted": frozenset({"assessed", "draft"}),
        "assessed": frozenset({"approved", "rejected"}),
        "approved": frozenset({"implemented"}),
        "rejected": frozenset(),
        "implemented": frozenset(),
    }

    reason = models.TextField(_("reason"), blank=True)
    impact_time = models.TextField(_("impact on time"), blank=True)
    impact_cost = models.TextField(_("impact on cost"), blank=True)
    impact_scope = models.TextField(_("impact on scope"), blank=True)
    impact_quality = models.TextField(_("impact on quality"), blank=True)
    impact_risk = models.TextField(_("impact on risk"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or rejected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("approved or rejected at"), null=True, blank=True)
    # Applied to baselines and budgets by later issues once the change is approved:
    # working days added to the finish (negative to bring it in) and money added.
    schedule_adjustment_days = models.DecimalField(
        _("schedule adjustment (working days)"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
    )
    budget_adjustment = models.DecimalField(
        _("budget adjustment"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta(LogItem.Meta):
        constraints = _unique_number("changerequest")
        verbose_name = _("change request")


class Action(LogItem):
    KIND = "actions"
    PREFIX = "ACT"

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        BLOCKED = "blocked", _("Blocked")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        RISK = "risk", _("Risk")
        ISSUE = "issue", _("Issue")
        DECISION = "decision", _("Decision")
        CHANGE = "change", _("Change request")
        REVIEW = "review", _("Review or audit")
        OTHER = "other", _("Other")

    OPEN_STATUSES = frozenset({"open", "in_progress", "blocked"})

    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, blank=True)
    source_detail = models.CharField(
        _("source detail"), max_length=200, blank=True, help_text=_("e.g. the meeting and date")
    )
    blocked_by = models.TextField(_("blocked by"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta(LogItem.Meta):
        constraints = _unique_number("action")
        indexes = [
            models.Index(fields=["owner", "status"], name="action_owner_status"),
            models.Index(fields=["project", "status"], name="action_project_status"),
        ]

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_date is not None and self.due_date < today

    def clean(self) -> None:
        super().clean()
        if self.status == self.Status.BLOCKED and not self.blocked_by.strip():
            raise ValidationError({"blocked_by": _("Describe what blocks the action.")})


class Lesson(LogItem):
    KIND = "lessons"
    PREFIX = "L"

    class Category(models.TextChoices):
        PLANNING = "planning", _("Planning and estimating")
        GOVERNANCE = "governance", _("Governance")
        STAKEHOLDERS = "stakeholders", _("Stakeholders and communication")
        SUPPLIERS = "suppliers", _("Suppliers and contracts")
        TECHNICAL = "technical", _("Technical")
        PEOPLE = "people", _("People and resourcing")
        QUALITY = "quality", _("Quality and testing")
        RISK = "risk", _("Risk management")

    class Stage(models.TextChoices):
        STARTING_UP = "starting_up", _("Starting up")
        INITIATION = "initiation", _("Initiation")
        DELIVERY = "delivery", _("Delivery")
        CLOSURE = "closure", _("Closure")

    class Type(models.TextChoices):
        WENT_WELL = "went_well", _("Went well")
        TO_IMPROVE = "to_improve", _("To improve")

    lesson_type = models.CharField(
        _("type"), max_length=12, choices=Type.choices, default=Type.TO_IMPROVE
    )
    what_happened = models.TextField(_("what happened"), blank=True)
    learned = models.TextField(_("what we learned"), blank=True)
    recommendation = models.TextField(_("recommendation"), blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    stage = models.CharField(_("project stage"), max_length=20, choices=Stage.choices, blank=True)

    class Meta(LogItem.Meta):
        constraints = _unique_number("lesson")


class ItemLink(models.Model):
    """A link from one log item to another item or to a plan task of the same project.

    Links are shown from both ends; ``relation`` reads from source to target
    ("DEC-004 resolves I-007", "R-012 affects task 1.3.2").
    """

    class Relation(models.TextChoices):
        RELATES_TO = "relates_to", _("relates to")
        RESOLVES = "resolves", _("resolves")
        RAISED_FROM = "raised_from", _("was raised from")
        AFFECTS = "affects", _("affects")
        BLOCKS = "blocks", _("blocks")

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="+")
    source_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    source_id = models.PositiveIntegerField()
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveIntegerField()
    relation = models.CharField(
        max_length=16, choices=Relation.choices, default=Relation.RELATES_TO
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id", "target_type", "target_id"],
                name="item_link_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["source_type", "source_id"], name="item_link_source"),
            models.Index(fields=["target_type", "target_id"], name="item_link_target"),
        ]

    def __str__(self) -> str:
        return (
            f"link {self.source_type_id}:{self.source_id} → {self.target_type_id}:{self.target_id}"
        )


class DigestRun(models.Model):
    """The scheduled digest of one day, claimed by the first worker to insert this row.

    The unique date is what keeps several workers from sending the same day's digest
    twice: the loser's insert fails, and it sends nothing.
    """

    date = models.DateField(unique=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    sent = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"digest of {self.date}: {self.sent} sent"
