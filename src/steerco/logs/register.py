"""Reads that carry the project logs up to the PMO: the organisation's risk and issue
register and the logs summary of a portfolio.

Everything is read through ``visible_projects``, so a user is only ever told about
projects they may see. The register costs a fixed number of queries however many
projects it covers: open risks are read once and counted in Python (their bands depend
on the organisation's scales), and issues, actions and change requests are counted per
project by the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from steerco.accounts.rules import P, has_perm, require_perm, visible_projects
from steerco.engine.risk.scoring import HeatMapCell, risk_score, score_band

from .models import Action, ChangeRequest, Issue, Risk, ScaleLevel
from .selectors import HeatMap, heat_map_of, risk_levels, scale_levels

BASES = ("before", "after")
BANDS = ("high", "medium", "low")
# Portfolio filter value for projects that belong to no portfolio.
NO_PORTFOLIO = "none"
# Project status filter value for projects in any state.
ANY_STATUS = "all"


@dataclass(frozen=True)
class Scales:
    """The organisation's scale sizes, read once and used to band every score."""

    probability_size: int
    impact_size: int

    def band(self, score: int | None) -> str | None:
        if score is None:
            return None
        try:
            return score_band(
                score, probability_size=self.probability_size, impact_size=self.impact_size
            ).value
        except ValueError:
            # A level above the scale (only possible if data bypassed the services) has
            # no band rather than breaking the whole register.
            return None


@dataclass(frozen=True)
class RegisterRisk:
    """One open risk as the register shows it, scored on the chosen basis."""

    risk: Risk
    project: object
    score_before: int | None
    score_after: int | None
    score: int | None  # the score on the register's basis
    band: str | None  # band of ``score``; None when not assessed on this basis
    review_overdue: bool


@dataclass
class ProjectLogSummary:
    """What one project's logs hold open, for the PMO's per-project rows."""

    project: object
    risks_by_band: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BANDS, 0))
    risks_unassessed: int = 0  # open risks with no score on the basis (only "after")
    open_issues: int = 0
    escalated_issues: int = 0
    overdue_actions: int = 0
    open_changes: int = 0

    @property
    def open_risks(self) -> int:
        return sum(self.risks_by_band.values()) + self.risks_unassessed


@dataclass
class Register:
    basis: str
    scales: Scales
    heat: HeatMap  # of ``risks``, on ``basis``
    risks: list[RegisterRisk]  # open risks matching every filter, highest score first
    unassessed: int  # of ``risks``, those without a score on the basis (not on the map)
    projects: list[ProjectLogSummary]

    def risks_in(self, cell: HeatMapCell) -> list[RegisterRisk]:
        """The risks counted in ``cell`` of the map, highest score first."""
        return [
            row
            for row in self.risks
            if row.score is not None
            and risk_levels(row.risk, self.basis) == (cell.probability, cell.impact)
        ]

    @property
    def totals(self) -> ProjectLogSummary:
        total = ProjectLogSummary(project=None)
        for summary in self.projects:
            for band in BANDS:
                total.risks_by_band[band] += summary.risks_by_band[band]
            total.risks_unassessed += summary.risks_unassessed
            total.open_issues += summary.open_issues
            total.escalated_issues += summary.escalated_issues
            total.overdue_actions += summary.overdue_actions
            total.open_changes += summary.open_changes
        return total


def register_projects(
    *, user, portfolio: int | str | None = None, status: str = "active"
) -> QuerySet:
    """Projects ``user`` may see, in ``portfolio`` (an id, or ``NO_PORTFOLIO``) and with
    project ``status`` (``ANY_STATUS`` for every state), by code."""
    projects = visible_projects(user).select_related("portfolio")
    if portfolio == NO_PORTFOLIO:
        projects = projects.filter(portfolio__isnull=True)
    elif portfolio not in (None, ""):
        projects = projects.filter(portfolio_id=portfolio)
    if status and status != ANY_STATUS:
        projects = projects.filter(status=status)
    return projects.order_by("code")


def risk_owner_choices(*, user) -> list[tuple[int, str]]:
    """People who own an open risk in a project ``user`` may see, by name."""
    pairs = (
        Risk.objects.filter(
            status__in=Risk.OPEN_STATUSES,
            project__in=visible_projects(user),
            owner__isnull=False,
        )
        .order_by()  # the model's ordering would make DISTINCT see every row as different
        .values_list("owner_id", "owner__name")
        .distinct()
    )
    return sorted(set(pairs), key=lambda pair: (pair[1].lower(), pair[0]))


def _scales() -> tuple[Scales, list[ScaleLevel], list[ScaleLevel]]:
    probability_levels = scale_levels(ScaleLevel.Dimension.PROBABILITY)
    impact_levels = scale_levels(ScaleLevel.Dimension.IMPACT)
    scales = Scales(
        probability_size=len(probability_levels) or 5, impact_size=len(impact_levels) or 5
    )
    return scales, probability_levels, impact_levels


def _summaries(
    projects: list, risks: list[RegisterRisk], *, today: date
) -> list[ProjectLogSummary]:
    """Per-project counts; three grouped queries whatever the number of projects."""
    by_project = {project.pk: ProjectLogSummary(project=project) for project in projects}
    for row in risks:
        summary = by_project[row.risk.project_id]
        if row.band is None:
            summary.risks_unassessed += 1
        else:
            summary.risks_by_band[row.band] += 1
    ids = list(by_project)
    if ids:
        escalated = Q(escalated_to_pmo=True) | Q(escalated_to__isnull=False)
        issue_counts = (
            Issue.objects.filter(project_id__in=ids, status__in=Issue.OPEN_STATUSES)
            .values("project_id")
            .annotate(open=Count("pk"), escalated=Count("pk", filter=escalated))
        )
        for counts in issue_counts:
            summary = by_project[counts["project_id"]]
            summary.open_issues = counts["open"]
            summary.escalated_issues = counts["escalated"]
        overdue = (
            Action.objects.filter(
                project_id__in=ids, status__in=Action.OPEN_STATUSES, due_date__lt=today
            )
            .values("project_id")
            .annotate(n=Count("pk"))
        )
        for counts in overdue:
            by_project[counts["project_id"]].overdue_actions = counts["n"]
        changes = (
            ChangeRequest.objects.filter(project_id__in=ids, status__in=ChangeRequest.OPEN_STATUSES)
            .values("project_id")
            .annotate(n=Count("pk"))
        )
        for counts in changes:
            by_project[counts["project_id"]].open_changes = counts["n"]
    return list(by_project.values())


def _open_risks(projects: list, *, basis: str, scales: Scales, today: date) -> list[RegisterRisk]:
    """Open risks of ``projects``, scored on ``basis``, highest score first."""
    by_id = {project.pk: project for project in projects}
    if not by_id:
        return []
    queryset = (
        Risk.objects.filter(project_id__in=list(by_id), status__in=Risk.OPEN_STATUSES)
        .select_related("owner")
        .defer(
            "description",
            "cause",
            "event",
            "effect",
            "response",
        )
    )
    rows = []
    for risk in queryset:
        before = risk_score(risk.probability, risk.impact)
        after = risk_score(risk.probability_after, risk.impact_after)
        score = after if basis == "after" else before
        rows.append(
            RegisterRisk(
                risk=risk,
                project=by_id[risk.project_id],
                score_before=before,
                score_after=after,
                score=score,
                band=scales.band(score),
                review_overdue=risk.review_date is not None and risk.review_date < today,
            )
        )
    # Highest score on the basis first; unassessed last; then the inherent score, so a
    # tie after response puts the risk that was worse before it first.
    rows.sort(
        key=lambda row: (
            row.score is None,
            -(row.score or 0),
            -(row.score_before or 0),
            row.project.code,
            row.risk.number,
        )
    )
    return rows


def risk_register(
    *,
    user,
    portfolio: int | str | None = None,
    status: str = "active",
    band: str = "",
    owner: int | None = None,
    basis: str = "before",
    today: date | None = None,
) -> Register:
    """The organisation's risk and issue register as ``user`` may see it.

    ``portfolio`` and ``status`` choose the projects (see ``register_projects``); ``band``
    ("high", "medium" or "low", on ``basis``) and ``owner`` (a person id) narrow the
    risks on the heat map and in the ranked list. The per-project counts cover every
    open item of the chosen projects, so a filtered list never hides a project's load.
    Only people who look across projects (``P.PORTFOLIO_VIEW``) may read it.
    """
    require_perm(user, P.PORTFOLIO_VIEW)
    if basis not in BASES:
        raise ValueError("basis must be before or after.")
    if band and band not in BANDS:
        raise ValueError("band must be high, medium or low.")
    today = today or timezone.localdate()
    scales, probability_levels, impact_levels = _scales()
    projects = list(register_projects(user=user, portfolio=portfolio, status=status))
    all_risks = _open_risks(projects, basis=basis, scales=scales, today=today)
    risks = [
        row
        for row in all_risks
        if (not band or row.band == band) and (owner is None or row.risk.owner_id == owner)
    ]
    return Register(
        basis=basis,
        scales=scales,
        heat=heat_map_of(
            (risk_levels(row.risk, basis) for row in risks),
            basis=basis,
            probability_levels=probability_levels,
            impact_levels=impact_levels,
        ),
        risks=risks,
        unassessed=sum(1 for row in risks if row.score is None),
        projects=_summaries(projects, all_risks, today=today),
    )


@dataclass(frozen=True)
class PortfolioLogSummary:
    """The short "Risks and issues" panel of a portfolio page."""

    projects: int  # active projects of the portfolio the user may see
    risks_by_band: dict[str, int]
    escalated_issues: int
    overdue_actions: int
    may_open_register: bool


def portfolio_log_summary(*, user, portfolio, today: date | None = None) -> PortfolioLogSummary:
    """Open risks by band, escalated issues and overdue actions of the active projects of
    ``portfolio`` that ``user`` may see (before response, as the register opens)."""
    today = today or timezone.localdate()
    scales, _, _ = _scales()
    projects = list(register_projects(user=user, portfolio=portfolio.pk, status="active"))
    risks = _open_risks(projects, basis="before", scales=scales, today=today)
    summaries = _summaries(projects, risks, today=today)
    by_band = dict.fromkeys(BANDS, 0)
    for summary in summaries:
        for band in BANDS:
            by_band[band] += summary.risks_by_band[band]
    return PortfolioLogSummary(
        projects=len(projects),
        risks_by_band=by_band,
        escalated_issues=sum(summary.escalated_issues for summary in summaries),
        overdue_actions=sum(summary.overdue_actions for summary in summaries),
        may_open_register=has_perm(user, P.PORTFOLIO_VIEW),
    )
