"""The small language the demo's log stories are written in.

A story is a list of ``ItemStory``: one log item (a risk, issue, change request, action...)
as it was raised, and the ``Step``s that happened to it later: re-assessed, moved through
the change workflow, occurred as an issue, done, resolved, closed. The builders below
(``risk``, ``issue``, ``change``...) take the words a project team would use and fill in
the model's fields; ``loader`` plays the stories through the services.

When things happen is written relative to the project, so the demo stays current
whenever it is loaded: a bare float is a point in the project's life (0 its registration,
1 today or its closure), and the date classes below name the other ways to say a date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# ---------------------------------------------------------------- dates


@dataclass(frozen=True)
class DaysFromToday:
    """A date ``days`` from today (from the closure date for a closed project)."""

    days: int


@dataclass(frozen=True)
class PointInLife:
    """A date at fraction ``at`` of the project's life so far (0 registration, 1 today)."""

    at: float


@dataclass(frozen=True)
class DaysAfter:
    """A date ``days`` after the event it is written in (the item's raising, or a step)."""

    days: int


# ---------------------------------------------------------------- what happened later


@dataclass(frozen=True)
class Step:
    """Something that happened to an item later: a change, a workflow move, occurrence."""

    at: float | DaysFromToday  # a fraction of the project's life, or days from today
    who: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    to: str | None = None  # change request workflow
    issue: dict[str, Any] | None = None  # the risk occurred: the issue it became
    issue_key: str | None = None


def later(at: float | DaysFromToday, who: str | None = None, **changes) -> Step:
    """``who`` changed the item's fields at ``at``: a re-assessment, a new due date..."""
    return Step(at, who, changes)


def moves(at: float, to: str, who: str | None = None) -> Step:
    """A change request moved to status ``to`` in its workflow (submitted, approved...)."""
    return Step(at, who, to=to)


def occurred(at: float, key: str, who: str | None = None, **issue) -> Step:
    """The risk happened: it became the issue ``issue`` describes, known by ``key``."""
    return Step(at, who, issue=issue, issue_key=key)


def done(at: float, who: str | None = None, **also) -> Step:
    """An action was completed."""
    return Step(at, who, {"status": "done", **also})


def started(at: float, who: str | None = None, **also) -> Step:
    """Work on an action or an issue began."""
    return Step(at, who, {"status": "in_progress", **also})


def blocked(at: float, why: str, who: str | None = None) -> Step:
    """An action is blocked, by ``why``."""
    return Step(at, who, {"status": "blocked", "blocked_by": why})


def resolved(at: float, resolution: str, who: str | None = None, status="resolved") -> Step:
    """An issue was resolved (or closed, with ``status``) with ``resolution``."""
    return Step(at, who, {"status": status, "resolution": resolution})


# ---------------------------------------------------------------- items as raised


@dataclass(frozen=True)
class ItemStory:
    """One log item as raised, and its later steps and links.

    ``key`` names it for other items of the same project: their links, ``[[key]]`` in
    their text, or the steps of ``continue_story``; items nobody refers to have none.
    """

    kind: str  # the log's slug: "risks", "issues", "changes"...
    key: str | None
    at: float  # when it was raised, as a point in the project's life
    by: str | None  # who raised it (person key)
    fields: dict[str, Any]
    steps: tuple[Step, ...] = ()
    links: tuple[tuple[str, str], ...] = ()  # (relation, item key or "task:<name>")
    existing: bool = False  # steps for an item made by another's step (a risk's issue)


def _as_steps(steps) -> tuple[Step, ...]:
    # A lone step written without the trailing comma of a one-element tuple.
    return (steps,) if isinstance(steps, Step) else tuple(steps)


def _cost_range(points):
    return (
        {}
        if points is None
        else dict(zip(("cost_min", "cost_likely", "cost_max"), points, strict=True))
    )


def _schedule_range(points):
    names = ("schedule_min_days", "schedule_likely_days", "schedule_max_days")
    return {} if points is None else dict(zip(names, points, strict=True))


def continue_story(kind: str, key: str, *steps: Step) -> ItemStory:
    """Later steps of an item that another item's step created (the issue of a risk)."""
    return ItemStory(kind, key, steps[0].at, None, {}, _as_steps(steps), existing=True)


def risk(
    key,
    at,
    title,
    *,
    category,
    cause,
    event,
    effect,
    owner,
    probability,
    impact,
    strategy,
    response,
    after=None,
    actionee=None,
    proximity="within_project",
    review=None,
    cost=None,
    days=None,
    opportunity=False,
    by=None,
    description="",
    steps=(),
    links=(),
) -> ItemStory:
    fields = {
        "title": title,
        "description": description,
        "risk_type": "opportunity" if opportunity else "threat",
        "category": category,
        "cause": cause,
        "event": event,
        "effect": effect,
        "owner": owner,
        "actionee": actionee,
        "proximity": proximity,
        "probability": probability,
        "impact": impact,
        "strategy": strategy,
        "response": response,
        "review_date": review,
        **_cost_range(cost),
        **_schedule_range(days),
    }
    if after:
        fields["probability_after"], fields["impact_after"] = after
    steps = _as_steps(steps)
    if review is not None:
        # Reviewed since it was raised: the first review date was a month out, and the
        # last review set the one given here.
        fields["review_date"] = DaysAfter(28)
        latest = max([at, *(step.at for step in steps if isinstance(step.at, float))])
        reviewed = min(0.98, latest + (1 - latest) / 2)
        if isinstance(review, DaysFromToday) and review.days < 0:
            # An overdue review was set at the review before it, a few weeks earlier.
            reviewed = DaysFromToday(review.days - 21)
        steps = (*steps, later(reviewed, review_date=review))
    return ItemStory("risks", key, at, by, fields, steps, tuple(links))


def assumption(
    key, at, title, *, owner, due=None, consequence="", description="", by=None, steps=()
):
    fields = {
        "title": title,
        "description": description,
        "owner": owner,
        "validation_due": due,
        "consequence_if_invalid": consequence,
    }
    return ItemStory("assumptions", key, at, by, fields, _as_steps(steps))


def issue(
    key,
    at,
    title,
    *,
    type="problem",
    priority="2_medium",
    severity="2_medium",
    owner,
    due=None,
    description="",
    by=None,
    steps=(),
    links=(),
):
    fields = {
        "title": title,
        "description": description,
        "issue_type": type,
        "priority": priority,
        "severity": severity,
        "owner": owner,
        "due_date": due,
    }
    return ItemStory("issues", key, at, by, fields, _as_steps(steps), tuple(links))


def dependency(
    key,
    at,
    title,
    *,
    owner,
    direction="inbound",
    project=None,
    party="",
    need_by=None,
    description="",
    by=None,
    steps=(),
):
    fields = {
        "title": title,
        "description": description,
        "direction": direction,
        "other_project": project,
        "external_party": party,
        "owner": owner,
        "need_by": need_by,
    }
    return ItemStory("dependencies", key, at, by, fields, _as_steps(steps))


def decision(
    key,
    at,
    title,
    *,
    rationale,
    alternatives="",
    decided_by=None,
    owner=None,
    proposed=False,
    description="",
    by=None,
    steps=(),
    links=(),
):
    fields = {
        "title": title,
        "description": description,
        "rationale": rationale,
        "alternatives": alternatives,
        "owner": owner,
        "decided_by": None if proposed else decided_by,
        "decided_on": None if proposed else PointInLife(at),
        "status": "proposed" if proposed else "decided",
    }
    return ItemStory("decisions", key, at, by, fields, _as_steps(steps), tuple(links))


def change(
    key,
    at,
    title,
    *,
    reason,
    owner,
    time="",
    cost="",
    scope="",
    quality="",
    risk_impact="",
    days=None,
    budget=None,
    description="",
    by=None,
    steps=(),
    links=(),
):
    fields = {
        "title": title,
        "description": description,
        "reason": reason,
        "owner": owner,
        "impact_time": time,
        "impact_cost": cost,
        "impact_scope": scope,
        "impact_quality": quality,
        "impact_risk": risk_impact,
        "schedule_adjustment_days": days,
        "budget_adjustment": budget,
    }
    return ItemStory("changes", key, at, by, fields, _as_steps(steps), tuple(links))


def action(
    key,
    at,
    title,
    *,
    owner,
    due,
    source="meeting",
    detail="",
    description="",
    by=None,
    steps=(),
    links=(),
):
    fields = {
        "title": title,
        "description": description,
        "owner": owner,
        "due_date": due,
        "source": source,
        "source_detail": detail,
    }
    return ItemStory("actions", key, at, by, fields, _as_steps(steps), tuple(links))


def lesson(
    at,
    title,
    *,
    type,
    category,
    stage,
    happened,
    learned,
    recommendation,
    owner=None,
    by=None,
):
    fields = {
        "title": title,
        "lesson_type": type,
        "category": category,
        "stage": stage,
        "what_happened": happened,
        "learned": learned,
        "recommendation": recommendation,
        "owner": owner,
    }
    return ItemStory("lessons", None, at, by, fields)


# Issue priorities and severities, as the stories write them.
LOW, MEDIUM, HIGH, CRITICAL = "1_low", "2_medium", "3_high", "4_critical"
