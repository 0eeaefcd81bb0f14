"""Demo logs: risks, issues, actions and the other project logs of every demo project.

The content is hand-written per project, the way its team would have logged things as
the work went on: risks with cause, event and effect that are re-assessed after their
response, issues that are escalated or resolved by a decision, change requests at every
step of their workflow, actions from meetings that slip, and lessons at the end.

Every item is written through the logs services by someone allowed to (the project's
manager or support officer when they have a login, otherwise the PMO), so permissions
and history are real. History is then dated along the project's life: positions are
fractions of the time from the project's registration to today (or to its closure),
and due dates count from today, so what is overdue stays overdue whenever the demo is
loaded.

Logs are loaded only into projects whose logs were never used (no reference handed
out yet), so loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from steerco.accounts.rules import has_perm
from steerco.logs import services
from steerco.logs.kinds import kind_for
from steerco.logs.models import Action, ChangeRequest, ItemLink, LogCounter
from steerco.projects.models import Membership, Project
from steerco.resources.models import Person

# ---------------------------------------------------------------- how content is written


@dataclass(frozen=True)
class T:
    """A date ``days`` from today (from the closure date for a closed project)."""

    days: int


@dataclass(frozen=True)
class W:
    """A date at fraction ``at`` of the project's life so far (0 registration, 1 today)."""

    at: float


@dataclass(frozen=True)
class A:
    """A date ``days`` after the event it is written in (the item's raising, or a step)."""

    days: int


@dataclass(frozen=True)
class Step:
    """Something that happened to an item later: a change, a workflow move, occurrence."""

    at: float | T  # a fraction of the project's life, or days from today
    who: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)
    to: str | None = None  # change request workflow
    issue: dict[str, Any] | None = None  # the risk occurred: the issue it became
    issue_key: str | None = None


@dataclass(frozen=True)
class Item:
    kind: str
    key: str | None
    at: float
    by: str | None  # who raised it (person key)
    fields: dict[str, Any]
    steps: tuple[Step, ...] = ()
    links: tuple[tuple[str, str], ...] = ()  # (relation, item key or "task:<name>")
    existing: bool = False  # steps for an item made by another's step (a risk's issue)


def _steps(steps) -> tuple[Step, ...]:
    # A lone step written without the trailing comma of a one-element tuple.
    return (steps,) if isinstance(steps, Step) else tuple(steps)


def later(at: float | T, who: str | None = None, **changes) -> Step:
    return Step(at, who, changes)


def moves(at: float, to: str, who: str | None = None) -> Step:
    return Step(at, who, to=to)


def occurred(at: float, key: str, who: str | None = None, **issue) -> Step:
    return Step(at, who, issue=issue, issue_key=key)


def _money(points):
    return (
        {}
        if points is None
        else dict(zip(("cost_min", "cost_likely", "cost_max"), points, strict=True))
    )


def _days(points):
    names = ("schedule_min_days", "schedule_likely_days", "schedule_max_days")
    return {} if points is None else dict(zip(names, points, strict=True))


def follow(kind: str, key: str, *steps: Step) -> Item:
    """Later steps of an item that another item's step created (the issue of a risk)."""
    return Item(kind, key, steps[0].at, None, {}, _steps(steps), existing=True)


def risk(
    key,
    at,
    title,
    *,
    cat,
    cause,
    event,
    effect,
    owner,
    p,
    i,
    strategy,
    response,
    after=None,
    actionee=None,
    prox="within_project",
    review=None,
    cost=None,
    days=None,
    opportunity=False,
    by=None,
    description="",
    steps=(),
    links=(),
) -> Item:
    fields = {
        "title": title,
        "description": description,
        "risk_type": "opportunity" if opportunity else "threat",
        "category": cat,
        "cause": cause,
        "event": event,
        "effect": effect,
        "owner": owner,
        "actionee": actionee,
        "proximity": prox,
        "probability": p,
        "impact": i,
        "strategy": strategy,
        "response": response,
        "review_date": review,
        **_money(cost),
        **_days(days),
    }
    if after:
        fields["probability_after"], fields["impact_after"] = after
    steps = _steps(steps)
    if review is not None:
        # Reviewed since it was raised: the first review date was a month out, and the
        # last review set the one given here.
        fields["review_date"] = A(28)
        latest = max([at, *(step.at for step in steps if isinstance(step.at, float))])
        reviewed = min(0.98, latest + (1 - latest) / 2)
        if isinstance(review, T) and review.days < 0:
            # An overdue review was set at the review before it, a few weeks earlier.
            reviewed = T(review.days - 21)
        steps = (*steps, later(reviewed, review_date=review))
    return Item("risks", key, at, by, fields, steps, tuple(links))


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
    return Item("assumptions", key, at, by, fields, _steps(steps))


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
    return Item("issues", key, at, by, fields, _steps(steps), tuple(links))


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
    return Item("dependencies", key, at, by, fields, _steps(steps))


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
        "decided_on": None if proposed else W(at),
        "status": "proposed" if proposed else "decided",
    }
    return Item("decisions", key, at, by, fields, _steps(steps), tuple(links))


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
    return Item("changes", key, at, by, fields, _steps(steps), tuple(links))


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
    return Item("actions", key, at, by, fields, _steps(steps), tuple(links))


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
    return Item("lessons", None, at, by, fields)


# Shorthand for the tables below.
LOW, MEDIUM, HIGH, CRITICAL = "1_low", "2_medium", "3_high", "4_critical"


# ---------------------------------------------------------------- loading


PERSON_FIELDS = frozenset({"owner", "raised_by", "actionee", "escalated_to", "decided_by"})
DECIMAL_FIELDS = frozenset(
    {
        "cost_min",
        "cost_likely",
        "cost_max",
        "schedule_min_days",
        "schedule_likely_days",
        "schedule_max_days",
        "schedule_adjustment_days",
        "budget_adjustment",
    }
)


def load_demo_logs(*, actor_of, people: dict[str, Person], today: dt.date | None = None) -> int:
    """Fill the logs of each demo project whose logs were never used; return items made.

    ``actor_of`` gives the login of a username, ``people`` the demo's people by key
    (usernames for people with a login).
    """
    today = today or timezone.localdate()
    made = 0
    for code, build in LOGS.items():
        project = Project.objects.filter(code=code).select_related("sponsor").first()
        if project is None or LogCounter.objects.filter(project=project).exists():
            continue
        made += _ProjectLogs(project, actor_of, people, today).load(build())
    return made


def _weekday(day: dt.date, first: dt.date) -> dt.date:
    """Move a weekend date back to the Friday: nobody logged risks on a Sunday."""
    if day.weekday() >= 5:
        friday = day - dt.timedelta(days=day.weekday() - 4)
        return friday if friday >= first else day
    return day


_REFERENCE = re.compile(r"\[\[([\w-]+)\]\]")


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


class _Clock:
    """Working-hours times for events of a day, in order, never at or after ``now``."""

    def __init__(self, now: dt.datetime):
        self.now = now
        self.day: dt.date | None = None
        self.count = 0
        self.late = 0

    def at(self, day: dt.date) -> dt.datetime:
        self.count = self.count + 1 if day == self.day else 0
        self.day = day
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 40))) + dt.timedelta(
            minutes=7 * self.count
        )
        if moment >= self.now:
            # Today's events when the demo is loaded early in the morning.
            self.late += 1
            moment = self.now - dt.timedelta(minutes=30) + dt.timedelta(seconds=self.late)
        return moment


class _ProjectLogs:
    """Plays one project's log story through the services and dates what it wrote."""

    def __init__(self, project: Project, actor_of, people: dict[str, Person], today: dt.date):
        self.project = project
        self.people = people
        self.started = timezone.now()
        self.first = timezone.localtime(project.created_at).date()
        self.last = min(project.closed_on or today, today)
        if (self.last - self.first).days < 28:
            # A clock behind the story (or a project registered days ago) still gets a
            # few weeks of history, ending today.
            self.first = self.last - dt.timedelta(days=28)
        members = list(
            Membership.objects.filter(project=project, person__user__isnull=False).select_related(
                "person__user"
            )
        )
        self.logins = {m.person.user.username: actor_of(m.person.user.username) for m in members}
        self.logins.setdefault("bob", actor_of("bob"))
        # Project support keeps the logs where the project has it; else the manager
        # (when they have a login); else the PMO.
        support = [m for m in members if m.role == Membership.Role.PROJECT_SUPPORT]
        manager = [m for m in members if m.role == Membership.Role.PROJECT_MANAGER]
        keeper = (support or manager or [None])[0]
        self.author = self.logins[keeper.person.user.username] if keeper else self.logins["bob"]
        self.manager_key = next(
            (key for key, person in people.items() if person.pk == project.manager_id), None
        )
        self.items: dict[str, Any] = {}
        self.created: dict[str, dt.datetime] = {}
        self.touched: dict[tuple[type, int], dt.datetime] = {}
        self.history: dict[type, type] = {}

    # ---- dates and values

    def day_at(self, at: float) -> dt.date:
        span = (self.last - self.first).days
        return _weekday(self.first + dt.timedelta(days=round(span * at)), self.first)

    def resolve(self, value, raised: dt.date):
        if isinstance(value, T):
            return _weekday(self.last + dt.timedelta(days=value.days), self.first)
        if isinstance(value, W):
            return self.day_at(value.at)
        if isinstance(value, A):
            return _weekday(raised + dt.timedelta(days=value.days), self.first)
        return value

    def values(self, fields: dict[str, Any], raised: dt.date) -> dict[str, Any] | None:
        """Model values for ``fields``; None if they name a project that is not there."""
        resolved = {}
        for name, value in fields.items():
            value = self.resolve(value, raised)
            if name in PERSON_FIELDS and isinstance(value, str):
                value = self.people[value]
            elif name == "other_project" and isinstance(value, str):
                value = Project.objects.filter(code=value).first()
                if value is None:
                    return None
            elif name in DECIMAL_FIELDS and value is not None:
                value = Decimal(str(value))
            elif isinstance(value, str):
                value = self.text(value, raised)
            resolved[name] = value
        return resolved

    def text(self, value: str, raised: dt.date) -> str:
        """Fill in "{date}" (the day raised), "{sponsor}" and "[[key]]" (an item's reference)."""
        value = value.replace("{date}", _long_date(raised))
        sponsor = self.project.sponsor
        value = value.replace("{sponsor}", sponsor.name if sponsor else "the sponsor")
        return _REFERENCE.sub(lambda match: self.items[match.group(1)].ref, value)

    def actor(self, username: str | None, kind: str):
        """The named person if they have a login allowed to do this; else the log keeper."""
        user = self.logins.get(username or "")
        if user is not None and has_perm(user, kind_for(kind).change_permission, self.project):
            return user
        return self.author

    # ---- the story

    def load(self, items: list[Item]) -> int:
        """Play every creation and later step in date order, then the links."""
        # Items without a key of their own are known by their place in the table.
        keys = [spec.key or f"#{order}" for order, spec in enumerate(items)]
        events = []
        for order, spec in enumerate(items):
            raised = self.day_at(spec.at)
            if not spec.existing:
                events.append((raised, order, 0, spec, None))
            for number, step in enumerate(spec.steps, start=1):
                day = self.resolve(step.at, raised) if isinstance(step.at, T) else None
                day = day or self.day_at(step.at)
                events.append((max(raised, day), order, number, spec, step))
        events.sort(key=lambda event: (event[0], event[1], event[2]))
        clock = _Clock(self.started)
        made = 0
        for day, order, _number, spec, step in events:
            when = clock.at(day)
            if step is None:
                made += self.create(keys[order], spec, day, when)
            elif keys[order] in self.items:
                made += self.step(keys[order], spec, step, day, when)
        for key, spec in zip(keys, items, strict=True):
            for relation, target in spec.links:
                self.link(key, spec, relation, target)
        for (model, pk), when in self.touched.items():
            # Saves stamp ``updated_at`` now; the story last touched the item at ``when``.
            model.objects.filter(pk=pk).update(updated_at=when)
        return made

    def stamp(self, model, when: dt.datetime, **also) -> None:
        """Date the history records of ``model`` written by the event just played.

        Every earlier record is already dated in the past, so the records at or after
        the start of loading are exactly this event's.
        """
        if model not in self.history:
            self.history[model] = model.history.model
        self.history[model].objects.filter(history_date__gte=self.started).update(
            history_date=when, **also
        )

    def touch(self, item, when: dt.datetime) -> None:
        self.touched[(type(item), item.pk)] = when

    def create(self, key: str, spec: Item, day: dt.date, when: dt.datetime) -> int:
        kind = kind_for(spec.kind)
        values = self.values(
            {**spec.fields, "raised_by": spec.by or self.manager_key or "bob"}, day
        )
        if values is None:
            return 0
        values = {name: v for name, v in values.items() if v is not None and v != ""}
        item = services.item_create(
            actor=self.actor(spec.by, spec.kind),
            project=self.project,
            kind=kind,
            raised_on=day,
            **values,
        )
        kind.model.objects.filter(pk=item.pk).update(created_at=when)
        item.created_at = when
        self.stamp(kind.model, when, **self.completion(item, day))
        self.touch(item, when)
        self.items[key] = item
        self.created[key] = when
        return 1

    def step(self, key: str, spec: Item, step: Step, day: dt.date, when: dt.datetime) -> int:
        item = self.items[key]
        model = type(item)
        actor = self.actor(step.who, spec.kind)
        if step.to:
            services.change_transition(
                actor=actor, change=item, to=step.to, expected_version=item.version
            )
            also = {}
            if step.to in {ChangeRequest.Status.APPROVED, ChangeRequest.Status.REJECTED}:
                # The service records the decision now; the board decided on ``day``.
                item.decided_at = also["decided_at"] = when
                model.objects.filter(pk=item.pk).update(decided_at=when)
            self.stamp(model, when, **also)
            self.touch(item, when)
            return 0
        if step.issue is not None:
            values = self.values(step.issue, day)
            if values.get("escalated_to_pmo") or values.get("escalated_to"):
                values.setdefault("escalated_on", day)
            new = services.risk_raise_issue(
                actor=actor, risk=item, expected_version=item.version, raised_on=day, **values
            )
            type(new).objects.filter(pk=new.pk).update(created_at=when)
            new.created_at = when
            self.stamp(model, when)
            self.stamp(type(new), when)
            self.stamp(ItemLink, when)
            ItemLink.objects.filter(created_at__gte=self.started).update(created_at=when)
            self.touch(item, when)
            self.touch(new, when)
            self.items[step.issue_key] = new
            self.created[step.issue_key] = when
            return 1
        changes = self.values(step.changes, day) or {}
        if changes.get("escalated_to_pmo") or changes.get("escalated_to"):
            changes.setdefault("escalated_on", day)
        services.item_update(actor=actor, item=item, expected_version=item.version, **changes)
        self.stamp(model, when, **self.completion(item, day))
        self.touch(item, when)
        return 0

    def completion(self, item, day: dt.date) -> dict[str, Any]:
        """Services date a completion today; the story completed the action on ``day``."""
        if not isinstance(item, Action) or item.completed_on in (None, day):
            return {}
        if item.completed_on != timezone.localdate():
            return {}  # completed at an earlier step, already dated
        item.completed_on = day
        Action.objects.filter(pk=item.pk).update(completed_on=day)
        return {"completed_on": day}

    def link(self, key: str, spec: Item, relation: str, target: str) -> None:
        source = self.items.get(key)
        if target.startswith("task:"):
            from steerco.plans.models import Task

            other = Task.objects.filter(project=self.project, name=target[5:]).first()
        else:
            other = self.items.get(target)
        if source is None or other is None:
            return  # no plan loaded (or a left-out item): nothing to link to
        when = max(self.created[key], self.created.get(target, self.created[key]))
        when += dt.timedelta(minutes=3)
        services.link_add(
            actor=self.actor(None, spec.kind), source=source, target=other, relation=relation
        )
        self.stamp(ItemLink, when)
        ItemLink.objects.filter(created_at__gte=self.started).update(created_at=when)


# ---------------------------------------------------------------- the projects' logs


def done(at: float, who: str | None = None, **also) -> Step:
    return Step(at, who, {"status": "done", **also})


def started(at: float, who: str | None = None, **also) -> Step:
    return Step(at, who, {"status": "in_progress", **also})


def blocked(at: float, why: str, who: str | None = None) -> Step:
    return Step(at, who, {"status": "blocked", "blocked_by": why})


def resolved(at: float, resolution: str, who: str | None = None, status="resolved") -> Step:
    return Step(at, who, {"status": status, "resolution": resolution})


def _crm() -> list[Item]:
    """CRM replacement: in build and migration; amber over the summer, green again."""
    board = "Project board, {date}"
    return [
        risk(
            "migration-quality",
            0.12,
            "Legacy member data too poor to migrate cleanly",
            cat="technical",
            cause=(
                "Twenty years of free-text addresses, duplicate member records created by "
                "branch staff and no validation on the legacy contact screens."
            ),
            event="Mock migrations reject a large share of the 1.2 million member records.",
            effect=(
                "Cut-over slips while data is fixed by hand; advisers see duplicate or "
                "wrong members in the new CRM after go-live."
            ),
            owner="priya",
            actionee="lukas",
            p=4,
            i=4,
            strategy="reduce",
            response=(
                "Profile the data early; agree cleansing rules with the data owners; "
                "cleanse addresses against the Royal Mail PAF before migration; two mock "
                "migrations with reconciliation."
            ),
            after=(3, 3),
            review=T(-6),
            cost=(25000, 60000, 140000),
            days=(10, 20, 45),
            prox="within_stage",
            by="priya",
            steps=(
                later(
                    0.38,
                    "priya",
                    probability=5,
                    description="Data profiling found 8.4% of member records fail the new "
                    "CRM's validation rules.",
                ),
                later(0.56, "mary", probability=3, probability_after=2, impact_after=3),
            ),
            links=(
                ("affects", "task:Data profiling of 1.2m member records"),
                ("affects", "task:Mock migration 1"),
            ),
        ),
        risk(
            "legacy-contract",
            0.1,
            "Legacy CRM support ends before the last branch goes live",
            cat="schedule",
            cause="The legacy supplier ends support on 31 March 2027 and will not extend "
            "on the current terms.",
            event="Branch roll-out is still running when support ends.",
            effect="Branches run on an unsupported system, or we pay a premium extension "
            "of up to two quarters at the supplier's out-of-contract rate.",
            owner="daniel",
            actionee="priya",
            p=2,
            i=5,
            strategy="fallback",
            response="Negotiate a priced three-month extension option now, to be exercised "
            "only if wave 8 has not gone live by 1 February 2027.",
            after=(2, 3),
            review=T(-12),
            cost=(85000, 85000, 170000),
            days=(0, 15, 60),
            by="priya",
            steps=(
                later(
                    0.62,
                    "priya",
                    response="Extension option signed: £85k per quarter, notice by 15 "
                    "January. Exercise only if wave 8 has not gone live by 1 February.",
                ),
            ),
            links=(("affects", "task:Contact centre go-live"),),
        ),
        risk(
            "complaint-timers",
            0.2,
            "Complaint clocks configured wrongly in the new CRM",
            cat="legal",
            cause="The vendor's complaints module counts business days by default; DISP "
            "time limits run in calendar weeks.",
            event="Complaints are not flagged before the eight-week final response deadline.",
            effect="Breaches of the FCA's complaint handling rules, redress and a "
            "notifiable incident.",
            owner="priya",
            actionee="grace",
            p=3,
            i=5,
            strategy="reduce",
            response="Compliance signs off the clock configuration; regression test pack "
            "of 40 dated complaint scenarios run before every release.",
            after=(1, 5),
            review=T(20),
            prox="within_project",
            by="mary",
            steps=(later(0.58, "mary", probability=2),),
        ),
        risk(
            "api-throughput",
            0.25,
            "Core banking API gateway cannot carry CRM traffic at peak",
            cat="technical",
            cause="The API gateway was sized for the mobile app; the CRM calls it for "
            "every member search.",
            event="Response times exceed two seconds on Monday mornings and at month end.",
            effect="Call handling time rises instead of falling; advisers fall back to "
            "the legacy screens.",
            owner="lukas",
            actionee="tom",
            p=3,
            i=4,
            strategy="reduce",
            response="Cache member summaries in the CRM; load test at 400 concurrent "
            "users before user acceptance testing.",
            after=(2, 3),
            review=T(9),
            cost=(15000, 30000, 75000),
            days=(5, 10, 25),
            by="lukas",
            steps=(later(0.7, "mary", probability=2, probability_after=1, impact_after=3),),
            links=(("affects", "task:Performance testing"),),
        ),
        risk(
            "architect-leaves",
            0.3,
            "Solution architect's contract ends before build is complete",
            cat="people",
            cause="Becker Consulting's contract for the solution architect ends in "
            "December; the architecture knowledge sits with one person.",
            event="The architect leaves before the integration patterns are handed over.",
            effect="Design decisions are re-opened and defects in integrations take longer to fix.",
            owner="priya",
            actionee="lukas",
            p=3,
            i=3,
            strategy="reduce",
            response="Pair Tom with the architect on every integration; document the "
            "patterns in the design authority pack; price a three-month extension.",
            after=(2, 2),
            review=T(-3),
            by="priya",
        ),
        risk(
            "branch-bandwidth",
            0.22,
            "Small branches lack the bandwidth for a cloud CRM",
            cat="external",
            cause="Eleven small branches still have 10 Mbit/s lines until the branch "
            "network refresh reaches them.",
            event="Screens time out in those branches during busy periods.",
            effect="Branch go-live for those branches is delayed or staff work around the CRM.",
            owner="priya",
            actionee="george",
            p=3,
            i=4,
            strategy="avoid",
            response="Sequence CRM waves after each region's SD-WAN cut-over (dependency "
            "on the branch network refresh).",
            after=(1, 4),
            review=T(25),
            by="priya",
        ),
        risk(
            "vendor-module",
            0.28,
            "Use the vendor's standard complaints module instead of building our own",
            opportunity=True,
            cat="commercial",
            cause="Halcyon's 2026 release added a UK complaints module with DISP reporting.",
            event="The standard module meets most of our complaint requirements.",
            effect="Four build sprints saved and a module the vendor maintains.",
            owner="lukas",
            p=3,
            i=3,
            strategy="exploit",
            response="Fit-gap workshop with the complaints team; adopt the module if the "
            "gaps can be closed by configuration.",
            after=(5, 3),
            cost=(-60000, -42000, -15000),
            days=(-20, -10, 0),
            by="lukas",
            steps=(
                later(0.45, "priya", status="closed", description="Adopted by the project board."),
            ),
        ),
        risk(
            "dpia",
            0.08,
            "Data protection impact assessment not approved before build",
            cat="legal",
            cause="The DPO's team has a three-month backlog of assessments.",
            event="The DPIA is not signed off before member data is loaded into the "
            "vendor's cloud.",
            effect="No real data in test environments; mock migrations delayed.",
            owner="mary",
            actionee="grace",
            p=3,
            i=3,
            strategy="reduce",
            response="Book the DPO review at initiation; submit the DPIA with the "
            "vendor's security pack attached.",
            by="mary",
            steps=(
                later(0.33, "mary", review_date=W(0.4)),
                later(0.42, "mary", status="closed", description="DPIA approved."),
            ),
        ),
        risk(
            "change-fatigue",
            0.35,
            "Branch staff disengage after three system changes in a year",
            cat="operational",
            cause="Branches took new telephony and a new mortgage desktop this year.",
            event="Attendance at CRM training drops and super-users are not released.",
            effect="Lower adoption, more calls to the service desk in the first month.",
            owner="sophie",
            p=3,
            i=2,
            strategy="accept",
            response="Accepted: monitored through training attendance; regional managers "
            "asked to protect super-user time.",
            review=T(30),
            by="mary",
        ),
        risk(
            "pen-test",
            0.5,
            "Penetration test finds serious weaknesses late",
            cat="technical",
            cause="The penetration test is scheduled three weeks before go-live.",
            event="High-severity findings need design changes in the integration layer.",
            effect="Go-live delayed until findings are fixed and retested.",
            owner="lukas",
            actionee="nina",
            p=2,
            i=4,
            strategy="reduce",
            response="Ask the board to bring the test forward; threat-model the integrations "
            "in the design authority.",
            after=(1, 3),
            review=T(14),
            days=(3, 8, 20),
            by="nina",
            links=(("affects", "task:Penetration test"),),
        ),
        risk(
            "telephony",
            0.6,
            "Retire two telephony integrations early",
            opportunity=True,
            cat="financial",
            cause="The new CRM's CTI connector replaces both screen-pop integrations.",
            event="Both integrations are switched off at contact centre go-live.",
            effect="£48k a year of licences saved six months earlier than planned.",
            owner="priya",
            p=2,
            i=2,
            strategy="enhance",
            response="Ask Northgate Telephony to deliver the CTI connector before the "
            "contact centre go-live.",
            after=(3, 2),
            review=T(40),
            cost=(-48000, -24000, 0),
            by="priya",
        ),
        risk(
            "price-uplift",
            0.05,
            "Licence price rises at the first renewal",
            cat="commercial",
            cause="Cloud CRM vendors have raised renewal prices by 8–15%.",
            event="Halcyon applies a large uplift at the year-two renewal.",
            effect="Running costs exceed the business case.",
            owner="fiona",
            p=3,
            i=3,
            strategy="transfer",
            response="Cap renewal uplifts at CPI in the contract.",
            after=(1, 2),
            prox="beyond_project",
            by="priya",
            steps=(
                later(0.27, "priya", status="closed", description="Cap agreed in the contract."),
            ),
        ),
        assumption(
            "uk-region",
            0.1,
            "Halcyon's UK data centre region is available for production",
            owner="lukas",
            due=W(0.3),
            consequence="Member data would be hosted in the EU region: new DPIA and "
            "transfer assessment needed.",
            by="lukas",
            steps=(later(0.28, "priya", status="valid"),),
        ),
        assumption(
            "weekly-extract",
            0.15,
            "A weekly extract can be taken from the legacy CRM without affecting the "
            "overnight batch",
            owner="tom",
            due=W(0.3),
            consequence="Mock migrations need weekend extracts and a change freeze.",
            by="tom",
            steps=(
                later(
                    0.34,
                    "mary",
                    status="invalid",
                    description="The extract ran for six hours and delayed the batch; "
                    "extracts now run on Saturday nights.",
                ),
            ),
        ),
        assumption(
            "headcount",
            0.3,
            "Contact centre headcount stays at about 180 advisers until go-live",
            owner="priya",
            due=T(-10),
            consequence="Training waves and licence numbers would need re-planning.",
            by="priya",
        ),
        assumption(
            "opening-hours",
            0.4,
            "Branches keep their current opening hours during the roll-out",
            owner="sophie",
            due=T(30),
            consequence="Training sessions before opening would have to move.",
            by="mary",
        ),
        assumption(
            "mortgage-scope",
            0.02,
            "Mortgage origination stays on its current system",
            owner="daniel",
            due=W(0.2),
            consequence="Scope and cost would grow by the origination workflows.",
            by="priya",
            steps=(later(0.15, "priya", status="valid"),),
        ),
        issue(
            "profiling",
            0.37,
            "Data profiling: 8.4% of member records fail validation",
            priority=HIGH,
            severity=HIGH,
            owner="priya",
            due=W(0.5),
            description="101,000 records fail: 31,000 with no postcode, 52,000 suspected "
            "duplicates, the rest with invalid dates of birth.",
            by="lukas",
            steps=(
                started(0.39, "priya"),
                resolved(
                    0.55,
                    "Addresses cleansed against PAF, duplicates merged by the data owners, "
                    "dates of birth fixed from the mortgage system. Mock migration 2 "
                    "rejected 0.3%.",
                    "priya",
                ),
            ),
            links=(("relates_to", "migration-quality"),),
        ),
        issue(
            "welsh",
            0.48,
            "No Welsh final response letter templates in the complaints module",
            type="off_specification",
            owner="lukas",
            due=T(-5),
            description="Members who asked for Welsh must get their final response in "
            "Welsh; the module produces English letters only.",
            by="nina",
            steps=(started(0.6, "mary"),),
        ),
        issue(
            "appointments",
            0.52,
            "Branch managers ask for appointment booking in the CRM",
            type="request_for_change",
            priority=LOW,
            severity=LOW,
            owner="priya",
            by="sophie",
            steps=(
                resolved(
                    0.64,
                    "Out of scope: passed to the member portal project "
                    "([[cr-appointments]] rejected).",
                    "mary",
                    status="closed",
                ),
            ),
        ),
        issue(
            "test-refresh",
            0.44,
            "Test environment refresh takes four days",
            owner="tom",
            priority=MEDIUM,
            severity=LOW,
            by="tom",
            steps=(
                started(0.45, "tom"),
                resolved(0.5, "Refresh scripted; now runs overnight.", "tom"),
            ),
        ),
        issue(
            "kiosk-sso",
            0.8,
            "Single sign-on fails on branch kiosks",
            owner="tom",
            priority=HIGH,
            severity=MEDIUM,
            due=T(-4),
            description="Kiosk browsers loop between the CRM and the identity provider.",
            by="tom",
            steps=(started(0.82, "tom"),),
        ),
        issue(
            "seats",
            0.84,
            "120 more contact centre licences needed than budgeted",
            priority=CRITICAL,
            severity=HIGH,
            owner="priya",
            due=T(-2),
            description="The seat count in the business case left out the complaints "
            "team and the overflow advisers.",
            by="priya",
            steps=(
                later(
                    0.87,
                    "priya",
                    escalated_to="daniel",
                    escalation_reason="Exceeds the project's cost tolerance (£96k a year); "
                    "needs the sponsor to release contingency or reduce seats.",
                ),
            ),
        ),
        issue(
            "velocity",
            0.42,
            "Sprint 7 delivered 40% below plan",
            owner="priya",
            priority=LOW,
            severity=LOW,
            by="mary",
            steps=(
                resolved(
                    0.5,
                    "Two developers back from sick leave; caught up in sprints 8 and 9.",
                    "mary",
                    status="closed",
                ),
            ),
        ),
        dependency(
            None,
            0.2,
            "Member golden record feed from the data platform",
            owner="priya",
            project="DATAPLAT",
            need_by=T(60),
            description="The CRM reads the curated member model nightly from the data "
            "platform instead of the legacy extract.",
            by="priya",
            steps=(later(0.72, "priya", status="at_risk"),),
        ),
        dependency(
            None,
            0.24,
            "SD-WAN in each region before that region's branches go live",
            owner="priya",
            project="NETREFRESH",
            need_by=T(75),
            by="priya",
        ),
        dependency(
            None,
            0.3,
            "CTI connector for the new CRM",
            owner="lukas",
            party="Northgate Telephony (supplier)",
            need_by=W(0.78),
            by="lukas",
            steps=(later(0.77, "mary", status="met"),),
        ),
        dependency(
            None,
            0.12,
            "Royal Mail PAF licence renewed for bulk address cleansing",
            owner="mary",
            party="Royal Mail (PAF licence)",
            need_by=W(0.4),
            by="mary",
            steps=(later(0.36, "mary", status="met"),),
        ),
        decision(
            "dec-paf",
            0.4,
            "Cleanse addresses against PAF before migration, not in the new CRM",
            rationale="Cleansing at source keeps the legacy system and the new CRM "
            "consistent during parallel running and lets branches check the results.",
            alternatives="Load as-is and cleanse in the CRM (rejected: duplicates would "
            "be visible to advisers); outsource cleansing (rejected: cost and data sharing).",
            decided_by="priya",
            by="priya",
            links=(("resolves", "profiling"),),
        ),
        decision(
            "dec-history",
            0.46,
            "Migrate seven years of closed cases; archive the rest read-only",
            rationale="Seven years covers the retention schedule and cuts migration volume by 60%.",
            alternatives="Migrate everything (rejected: cost and time); migrate open "
            "cases only (rejected: advisers need recent history).",
            decided_by="daniel",
            by="priya",
            links=(("resolves", "profiling"),),
        ),
        decision(
            "dec-module",
            0.45,
            "Adopt Halcyon's standard complaints module",
            rationale="The fit-gap found 34 of 38 requirements met by configuration; the "
            "remaining four are reports we can build on the data platform.",
            alternatives="Custom build as planned (four more sprints, ours to maintain).",
            decided_by="daniel",
            by="priya",
            links=(("relates_to", "vendor-module"),),
        ),
        decision(
            "dec-waves",
            0.6,
            "Roll out to branches in ten waves, after each region's network cut-over",
            rationale="Avoids the bandwidth risk and lets trainers travel region by region.",
            alternatives="Big bang over one weekend (rejected: training capacity).",
            decided_by="priya",
            by="mary",
            links=(("relates_to", "branch-bandwidth"),),
        ),
        decision(
            "dec-welsh",
            0.66,
            "Produce Welsh complaint letters through the document service",
            rationale="The document service already holds approved Welsh templates for "
            "statements; the CRM passes the letter data.",
            alternatives="Wait for the vendor's Welsh language pack (no date given).",
            proposed=True,
            owner="lukas",
            by="lukas",
            links=(("resolves", "welsh"),),
        ),
        decision(
            None,
            0.88,
            "Fund the extra licences from contingency for year one",
            rationale="Keeps the contact centre go-live date; year two is re-based in "
            "the next budget round.",
            alternatives="Reduce seats by sharing licences across shifts (licence terms "
            "forbid it).",
            proposed=True,
            owner="daniel",
            by="priya",
            links=(("resolves", "seats"),),
        ),
        change(
            "cr-appointments",
            0.55,
            "Add branch appointment booking to the CRM",
            reason="Requested by branch managers ([[appointments]]).",
            owner="priya",
            scope="New booking screens and calendar integration.",
            cost="£65k build, £12k a year licences.",
            time="Three more sprints.",
            by="sophie",
            steps=(moves(0.57, "submitted"), moves(0.6, "assessed"), moves(0.63, "rejected")),
            links=(("relates_to", "appointments"),),
        ),
        change(
            None,
            0.5,
            "Extend data migration by three weeks for address cleansing",
            reason="Data profiling found 8.4% of records fail validation ([[profiling]]).",
            owner="priya",
            time="Migration finishes three weeks later; go-live unaffected (float used).",
            cost="£38,500 for the cleansing service and contractor time.",
            quality="Fewer duplicates in the new CRM.",
            days=15,
            budget=38500,
            by="priya",
            steps=(
                moves(0.51, "submitted"),
                moves(0.52, "assessed"),
                moves(0.53, "approved"),
                moves(0.7, "implemented"),
            ),
        ),
        change(
            None,
            0.86,
            "Buy 120 more contact centre licences",
            reason="Seat count in the business case was short ([[seats]]).",
            owner="priya",
            cost="£96,000 a year.",
            budget=96000,
            by="priya",
            steps=(moves(0.88, "submitted"),),
        ),
        change(
            None,
            0.9,
            "Start branch roll-out in Cardiff instead of Bristol",
            reason="Cardiff's network cut-over is four weeks earlier.",
            owner="mary",
            time="None; waves re-ordered.",
            by="mary",
        ),
        change(
            None,
            0.72,
            "Bring the penetration test forward by four weeks",
            reason="Reduce the risk of late security findings ([[pen-test]]).",
            owner="nina",
            cost="£6,000 for a second, shorter retest.",
            risk_impact="Lowers the probability of a late delay.",
            days=0,
            budget=6000,
            by="nina",
            steps=(moves(0.73, "submitted"), moves(0.75, "assessed"), moves(0.78, "approved")),
        ),
        change(
            None,
            0.46,
            "Replace the custom complaints build with the vendor's module",
            reason="Decision [[dec-module]].",
            owner="lukas",
            time="Ten working days saved.",
            cost="£42,000 less build effort.",
            days=-10,
            budget=-42000,
            by="priya",
            steps=(
                moves(0.47, "submitted"),
                moves(0.47, "assessed"),
                moves(0.48, "approved"),
                moves(0.62, "implemented"),
            ),
        ),
        change(
            None,
            0.8,
            "Integrate call recording with the CRM case record",
            reason="Complaints handlers want the call linked to the case.",
            owner="lukas",
            cost="£18,000.",
            scope="One more integration.",
            budget=18000,
            days=5,
            by="lukas",
            steps=(moves(0.83, "submitted"), moves(0.86, "assessed")),
        ),
        action(
            None,
            0.8,
            "Fix the single sign-on redirect loop on branch kiosks",
            owner="tom",
            due=T(-4),
            source="issue",
            detail="[[kiosk-sso]]",
            by="tom",
            steps=(started(0.81, "tom"),),
            links=(("relates_to", "kiosk-sso"),),
        ),
        action(
            None,
            0.74,
            "Write the runbook for the nightly member sync job",
            owner="tom",
            due=T(-11),
            detail="Operational acceptance prep, {date}",
            by="mary",
        ),
        action(
            None,
            0.66,
            "Load test member search at 400 concurrent users",
            owner="tom",
            due=A(14),
            source="risk",
            detail="[[api-throughput]]",
            by="lukas",
            steps=(started(0.67, "tom"), done(0.7, "tom")),
            links=(("relates_to", "api-throughput"),),
        ),
        action(
            None,
            0.86,
            "Agree the contingency drawdown for licences with Fiona Lang",
            owner="priya",
            due=T(-6),
            source="issue",
            detail="[[seats]]",
            by="priya",
            links=(("relates_to", "seats"),),
        ),
        action(
            None,
            0.58,
            "Confirm the wave plan with the regional branch managers",
            owner="priya",
            due=A(10),
            detail=board,
            by="mary",
            steps=(done(0.61, "priya"),),
        ),
        action(
            None,
            0.82,
            "Update the benefits model with the revised handling-time baseline",
            owner="priya",
            due=T(10),
            detail=board,
            by="mary",
            steps=(started(0.85, "priya"),),
        ),
        action(
            None,
            0.76,
            "Get the data processing agreement signed by Halcyon",
            owner="mary",
            due=T(-8),
            detail=board,
            by="priya",
            steps=(
                blocked(
                    0.84,
                    "Halcyon's legal team has not returned the DPA mark-up; chased twice, "
                    "now with their account director.",
                    "mary",
                ),
            ),
        ),
        action(
            None,
            0.9,
            "Circulate the design authority minutes",
            owner="mary",
            due=T(-2),
            detail="Design authority, {date}",
            by="mary",
        ),
        action(
            None,
            0.5,
            "Book rooms for train-the-trainer sessions",
            owner="mary",
            due=A(20),
            by="priya",
            steps=(done(0.55, "mary"),),
        ),
        action(
            None,
            0.93,
            "Add the Christmas change freeze to the project calendar",
            owner="mary",
            due=T(14),
            detail="Change advisory board, {date}",
            by="mary",
        ),
        action(
            None,
            0.35,
            "Document integration patterns for the API gateway",
            owner="lukas",
            due=A(21),
            source="risk",
            detail="[[architect-leaves]]",
            by="priya",
            steps=(started(0.4, "mary"), done(0.52, "mary")),
            links=(("relates_to", "architect-leaves"),),
        ),
        action(
            None,
            0.4,
            "Usability test the case screen with six advisers",
            owner="sophie",
            due=A(14),
            by="mary",
            steps=(done(0.46, "mary"),),
        ),
        action(
            None,
            0.76,
            "Prepare user acceptance test entry criteria",
            owner="nina",
            due=T(5),
            by="mary",
            steps=(started(0.8, "mary"),),
        ),
        action(
            None,
            0.83,
            "Start user acceptance test cycle 1",
            owner="nina",
            due=T(-1),
            source="other",
            detail="Test plan",
            by="mary",
            steps=(
                blocked(
                    0.9,
                    "The test environment has no masked production data yet; waiting for "
                    "the masking script.",
                    "mary",
                ),
            ),
            links=(("affects", "task:User acceptance testing"),),
        ),
        action(
            None,
            0.38,
            "Run the fit-gap workshop on the vendor's complaints module",
            owner="lukas",
            due=A(7),
            source="risk",
            detail="[[vendor-module]]",
            by="priya",
            steps=(done(0.43, "mary"),),
            links=(("relates_to", "vendor-module"),),
        ),
        action(
            None,
            0.38,
            "Send the cleansing rules to the member data owners for sign-off",
            owner="priya",
            due=A(10),
            source="issue",
            detail="[[profiling]]",
            by="mary",
            steps=(done(0.47, "priya"),),
            links=(("relates_to", "profiling"),),
        ),
        action(
            None,
            0.6,
            "Ask the document service team to estimate Welsh letter templates",
            owner="lukas",
            due=T(-15),
            source="issue",
            detail="[[welsh]]",
            by="mary",
            steps=(started(0.68, "mary"),),
            links=(("relates_to", "welsh"),),
        ),
        action(
            None,
            0.2,
            "Set up the RAID log and the fortnightly review",
            owner="mary",
            due=A(5),
            detail="Kick-off workshop, {date}",
            by="priya",
            steps=(done(0.21, "mary"),),
        ),
        action(
            None,
            0.68,
            "Brief the contact centre managers on the training plan",
            owner="sophie",
            due=A(14),
            detail=board,
            by="mary",
            steps=(
                Step(
                    0.74,
                    "mary",
                    {
                        "status": "cancelled",
                        "description": "Covered at the operations forum instead.",
                    },
                ),
            ),
        ),
        lesson(
            0.56,
            "Profile legacy data before the migration design, not after",
            type="to_improve",
            category="technical",
            stage="delivery",
            happened="Data profiling ran after the migration design and found 8.4% of "
            "records failing, costing three weeks and £38.5k.",
            learned="Data quality drives the migration plan; profiling is cheap early.",
            recommendation="Profile source data during requirements on every migration project.",
            owner="priya",
            by="priya",
        ),
        lesson(
            0.63,
            "Fit-gap before custom build saved four sprints",
            type="went_well",
            category="suppliers",
            stage="delivery",
            happened="A one-day fit-gap on the vendor's new complaints module showed it met "
            "34 of 38 requirements.",
            learned="Vendors' releases move faster than our designs.",
            recommendation="Review the vendor's roadmap at each design authority.",
            owner="lukas",
            by="mary",
        ),
    ]


def _dataplat() -> list[Item]:
    """Data platform: the core-banking extract arrived late; amber and re-planned."""
    return [
        risk(
            "corelink",
            0.24,
            "Core banking vendor late with the extract interface",
            cat="external",
            cause="Corelink Systems is building the change-data extract for three clients "
            "at once and has not committed to a delivery date in the contract.",
            event="The extract interface arrives after the ingestion build is due to start.",
            effect="Core banking ingestion and every report that needs it slip; finance "
            "keeps the spreadsheet extracts longer.",
            owner="priya",
            actionee="ravi",
            p=3,
            i=4,
            strategy="reduce",
            response="Monthly delivery checkpoints with Corelink; build against their "
            "sample files; sequence mortgage and CRM sources first.",
            after=(3, 3),
            cost=(40000, 90000, 180000),
            days=(20, 40, 70),
            by="priya",
            steps=(
                later(0.5, "priya", probability=4),
                occurred(
                    0.64,
                    "corelink-late",
                    "priya",
                    title="Core banking extract interface eight weeks late",
                    priority=CRITICAL,
                    severity=HIGH,
                    due_date=T(-7),
                ),
            ),
            links=(("affects", "task:Ingestion pipeline (source 1)"),),
        ),
        follow(
            "issues",
            "corelink-late",
            later(
                0.68,
                "priya",
                escalated_to_pmo=True,
                escalation_reason="Finish date beyond tolerance: needs the PMO's view on "
                "the knock-on to the member portal, and a portfolio change request.",
            ),
            started(0.7, "priya"),
            later(0.82, "mary", due_date=T(-7), severity=MEDIUM),
        ),
        risk(
            "dq-ownership",
            0.2,
            "Nobody owns data quality in the source systems",
            cat="operational",
            cause="Data owners are named in policy but have no time or targets for data quality.",
            event="Quality rules fail and nobody fixes the source records.",
            effect="Finance and risk distrust the platform and keep their spreadsheets.",
            owner="daniel",
            actionee="chloe",
            p=4,
            i=3,
            strategy="reduce",
            response="Data owner role description with a quality target; monthly quality "
            "dashboard to the executive committee.",
            after=(2, 3),
            review=T(-9),
            by="chloe",
            steps=(later(0.55, "mary", probability=3),),
        ),
        risk(
            "cloud-costs",
            0.3,
            "Cloud consumption costs exceed the estimate",
            cat="financial",
            cause="Compute is billed by use and report refreshes are not yet tuned.",
            event="Monthly cloud bills run above £14k.",
            effect="Running costs exceed the business case by up to 40%.",
            owner="priya",
            actionee="ravi",
            p=3,
            i=3,
            strategy="reduce",
            response="Budgets and alerts on every subscription; auto-pause for "
            "development warehouses; monthly cost review.",
            after=(2, 2),
            review=T(12),
            cost=(20000, 45000, 110000),
            by="ravi",
            steps=(later(0.74, "mary", probability_after=1, impact_after=2),),
        ),
        risk(
            "skills",
            0.15,
            "Only one engineer knows the ingestion framework",
            cat="people",
            cause="The platform team is Ravi plus contractors whose contracts end in March.",
            event="Ravi is unavailable during a critical build period.",
            effect="Ingestion work stops; defects in live pipelines wait.",
            owner="priya",
            actionee="ravi",
            p=3,
            i=4,
            strategy="reduce",
            response="Recruit a second data engineer; pair on every pipeline; runbooks in "
            "the catalogue.",
            after=(2, 3),
            review=T(-4),
            by="priya",
        ),
        risk(
            "gdpr-lineage",
            0.35,
            "Personal data copied to the platform without a lawful basis recorded",
            cat="legal",
            cause="Sources are ingested whole for speed; not every field is needed.",
            event="The DPO finds personal data on the platform that no report uses.",
            effect="Data minimisation breach; fields must be purged and pipelines rebuilt.",
            owner="chloe",
            actionee="grace",
            p=2,
            i=4,
            strategy="avoid",
            response="Ingest only catalogued fields with a recorded purpose; catalogue "
            "review before each source goes live.",
            after=(1, 4),
            review=T(18),
            by="chloe",
            links=(("affects", "task:Data catalogue"),),
        ),
        risk(
            "finance-parallel",
            0.45,
            "Finance cannot staff parallel runs at quarter end",
            cat="people",
            cause="Parallel runs of each report pack need two finance analysts for ten days.",
            event="Quarter-end close takes the analysts away from parallel runs.",
            effect="Report packs go live late or without proper comparison.",
            owner="fiona",
            actionee="mary",
            p=4,
            i=2,
            strategy="accept",
            response="Accepted: parallel runs scheduled outside quarter-end weeks.",
            review=T(35),
            by="mary",
        ),
        risk(
            "reuse-crm",
            0.4,
            "Reuse the curated member model for the member portal",
            opportunity=True,
            cat="strategic",
            cause="The portal needs statements and member details the platform already curates.",
            event="The portal reads from the platform instead of building its own feeds.",
            effect="Lower portal cost and one version of member data.",
            owner="daniel",
            p=3,
            i=3,
            strategy="enhance",
            response="Design the member model with the portal's needs in mind; share the "
            "API design with the portal team.",
            after=(4, 3),
            cost=(-80000, -50000, -20000),
            review=T(45),
            by="priya",
        ),
        risk(
            "landing-zone",
            0.14,
            "Cloud landing zone not approved by information security",
            cat="technical",
            cause="The society's first production cloud data store.",
            event="Security review requires design changes to networking and keys.",
            effect="Platform foundations finish late.",
            owner="ravi",
            p=3,
            i=3,
            strategy="reduce",
            response="Use the provider's reference architecture; security architect in "
            "design workshops.",
            after=(1, 2),
            by="ravi",
            steps=(later(0.36, "mary", status="closed", description="Security review passed."),),
            links=(("affects", "task:Security review"),),
        ),
        risk(
            "report-sprawl",
            0.55,
            "Self-service reporting creates conflicting numbers",
            cat="operational",
            cause="Analysts can build their own reports on the curated model.",
            event="Two reports show different member numbers at the board.",
            effect="Trust in the platform drops.",
            owner="chloe",
            p=3,
            i=2,
            strategy="reduce",
            response="Certified datasets and a badge for certified reports.",
            after=(2, 2),
            review=T(21),
            by="chloe",
        ),
        assumption(
            None,
            0.1,
            "Corelink provides change-data capture, not only full nightly files",
            owner="ravi",
            due=W(0.3),
            consequence="Nightly full loads of 40 GB; longer batch window and cost.",
            by="ravi",
            steps=(later(0.3, "mary", status="valid"),),
        ),
        assumption(
            None,
            0.18,
            "Finance will retire the spreadsheet extracts once reports are certified",
            owner="fiona",
            due=T(-20),
            consequence="Two sets of numbers in parallel; the benefits are not realised.",
            by="priya",
        ),
        assumption(
            None,
            0.2,
            "The mortgage system's reporting replica can be read during the day",
            owner="ravi",
            due=W(0.45),
            consequence="Ingestion from the mortgage system limited to overnight.",
            by="ravi",
            steps=(
                later(
                    0.42,
                    "mary",
                    status="invalid",
                    description="The replica is locked from 07:00 to 19:00 for mortgage "
                    "offers; ingestion moved overnight.",
                ),
            ),
        ),
        assumption(
            None,
            0.6,
            "Risk team accepts daily (not intraday) data for liquidity reports",
            owner="marcus",
            due=T(15),
            consequence="An intraday pipeline for treasury data would be needed.",
            by="chloe",
        ),
        issue(
            "mortgage-nulls",
            0.48,
            "Mortgage system extract has no redemption dates for 2015–2017",
            type="off_specification",
            priority=MEDIUM,
            severity=HIGH,
            owner="ravi",
            by="ravi",
            steps=(
                started(0.5, "mary"),
                resolved(
                    0.58,
                    "Redemption dates recovered from the general ledger and "
                    "loaded as a one-off correction.",
                    "mary",
                ),
            ),
        ),
        issue(
            "contractor-gap",
            0.7,
            "Second data engineer not yet recruited",
            priority=HIGH,
            owner="priya",
            due=T(-12),
            by="priya",
            steps=(started(0.75, "priya"),),
        ),
        issue(
            "catalogue-licence",
            0.3,
            "Data catalogue licence priced per user, not per organisation",
            type="off_specification",
            priority=MEDIUM,
            severity=MEDIUM,
            owner="priya",
            by="chloe",
            steps=(
                resolved(
                    0.38,
                    "Renegotiated to a 50-user band at the original price.",
                    "priya",
                    status="closed",
                ),
            ),
        ),
        issue(
            "treasury-ask",
            0.62,
            "Treasury asks to add intraday liquidity data",
            type="request_for_change",
            priority=LOW,
            severity=LOW,
            owner="chloe",
            by="chloe",
        ),
        issue(
            "pipeline-failures",
            0.85,
            "CRM ingestion pipeline fails on Mondays",
            priority=MEDIUM,
            severity=MEDIUM,
            owner="ravi",
            due=T(3),
            description="Weekend CRM batch overruns; the pipeline starts before the "
            "export completes.",
            by="ravi",
        ),
        dependency(
            None,
            0.15,
            "Change-data extract interface from core banking",
            owner="ravi",
            party="Corelink Systems (core banking supplier)",
            need_by=W(0.55),
            by="ravi",
            steps=(later(0.55, "priya", status="at_risk"),),
        ),
        dependency(
            None,
            0.2,
            "Enterprise agreement for cloud services signed",
            owner="mary",
            party="Procurement and the cloud provider",
            need_by=W(0.25),
            by="mary",
            steps=(later(0.24, "mary", status="met"),),
        ),
        dependency(
            None,
            0.5,
            "Curated statements data for the member portal",
            direction="outbound",
            owner="ravi",
            project="PORTAL",
            need_by=T(120),
            by="priya",
        ),
        decision(
            "dec-sequence",
            0.66,
            "Build mortgage and CRM ingestion first while core banking waits",
            rationale="Keeps the team productive and delivers the mortgage reports to "
            "risk four months earlier.",
            alternatives="Pause the build (idle team cost £35k a month); build against "
            "sample files only (rework when the real interface arrives).",
            decided_by="priya",
            by="priya",
            links=(("resolves", "corelink-late"),),
        ),
        decision(
            None,
            0.32,
            "Host the platform in the UK South region only",
            rationale="Member data stays in the UK without transfer assessments.",
            alternatives="Two regions for resilience (doubles storage cost).",
            decided_by="daniel",
            by="ravi",
        ),
        decision(
            None,
            0.22,
            "Use the provider's managed warehouse rather than open source",
            rationale="No platform team to run clusters; predictable support.",
            alternatives="Self-managed Spark and Postgres.",
            decided_by="priya",
            by="ravi",
        ),
        decision(
            None,
            0.64,
            "Treasury intraday data is out of scope for this project",
            rationale="No report in scope needs it; daily data meets the liquidity "
            "reporting rules.",
            alternatives="Add an intraday pipeline (£60k, three months).",
            decided_by="marcus",
            by="chloe",
            links=(("resolves", "treasury-ask"),),
        ),
        change(
            None,
            0.78,
            "Move the finish to June 2027 after the core banking delay",
            reason="Core banking interface eight weeks late ([[corelink-late]]).",
            owner="priya",
            time="Finish moves from 30 April to 30 June 2027.",
            cost="£120,000: team extension and cloud costs for two months.",
            risk_impact="Overlaps with the portal project's start.",
            days=43,
            budget=120000,
            by="priya",
            steps=(
                moves(0.79, "submitted"),
                moves(0.8, "assessed"),
                moves(0.81, "approved"),
                moves(0.83, "implemented"),
            ),
        ),
        change(
            None,
            0.66,
            "Add intraday treasury data",
            reason="[[treasury-ask]].",
            owner="chloe",
            cost="£60,000.",
            time="Three months.",
            budget=60000,
            days=60,
            by="chloe",
            steps=(moves(0.66, "submitted"), moves(0.67, "assessed"), moves(0.69, "rejected")),
        ),
        change(
            None,
            0.88,
            "Retire the finance spreadsheet extracts in two steps, not one",
            reason="Finance wants a quarter-end on the new reports before retiring.",
            owner="mary",
            time="Retirement of extracts moves one quarter.",
            by="mary",
            steps=(moves(0.9, "submitted"),),
        ),
        change(
            None,
            0.92,
            "Add the complaints data mart for the CRM reports",
            reason="CRM complaint reporting moved to the platform (CRM decision).",
            owner="chloe",
            cost="£22,000.",
            scope="One more mart and four reports.",
            budget=22000,
            days=8,
            by="chloe",
        ),
        change(
            None,
            0.84,
            "Replace the catalogue's bespoke lineage scanner with the vendor's",
            reason="Vendor now supports our warehouse.",
            owner="ravi",
            cost="£9,000 less.",
            budget=-9000,
            by="ravi",
            steps=(moves(0.86, "submitted"), moves(0.9, "assessed"), moves(0.93, "approved")),
        ),
        action(
            None,
            0.64,
            "Agree a firm delivery date with Corelink's account director",
            owner="priya",
            due=T(-14),
            source="issue",
            detail="[[corelink-late]]",
            by="mary",
            steps=(started(0.7, "priya"),),
            links=(("relates_to", "corelink-late"),),
        ),
        action(
            None,
            0.82,
            "Send the revised plan to finance and risk",
            owner="priya",
            due=T(-3),
            detail="Steering committee, {date}",
            by="mary",
        ),
        action(
            None,
            0.72,
            "Interview the shortlisted data engineers",
            owner="priya",
            due=A(14),
            source="issue",
            detail="[[contractor-gap]]",
            by="priya",
            steps=(done(0.78, "priya"),),
            links=(("relates_to", "contractor-gap"),),
        ),
        action(
            None,
            0.8,
            "Update the data quality dashboard for the executive committee",
            owner="mary",
            due=T(-5),
            source="risk",
            detail="[[dq-ownership]]",
            by="priya",
        ),
        action(
            None,
            0.3,
            "Set up cost alerts on every subscription",
            owner="ravi",
            due=A(10),
            source="risk",
            detail="[[cloud-costs]]",
            by="mary",
            steps=(done(0.34, "mary"),),
        ),
        action(
            None,
            0.86,
            "Fix the Monday CRM pipeline start time",
            owner="ravi",
            due=T(2),
            source="issue",
            detail="[[pipeline-failures]]",
            by="mary",
            steps=(started(0.88, "mary"),),
            links=(("relates_to", "pipeline-failures"),),
        ),
        action(
            None,
            0.5,
            "Catalogue review of the mortgage source fields",
            owner="chloe",
            due=A(10),
            source="risk",
            detail="[[gdpr-lineage]]",
            by="mary",
            steps=(started(0.52, "mary"), done(0.57, "mary")),
        ),
        action(
            None,
            0.76,
            "Book finance analysts for report pack 1 parallel run",
            owner="mary",
            due=T(-9),
            source="risk",
            detail="[[finance-parallel]]",
            by="priya",
            steps=(
                blocked(
                    0.85,
                    "Finance will not commit people until the quarter-end timetable is published.",
                    "mary",
                ),
            ),
            links=(("affects", "task:Parallel run (report pack 1)"),),
        ),
        action(
            None,
            0.6,
            "Share the member model API design with the portal team",
            owner="chloe",
            due=T(-25),
            source="risk",
            detail="[[reuse-crm]]",
            by="priya",
            steps=(started(0.7, "mary"),),
        ),
        action(
            None,
            0.14,
            "Agree the platform's information security review dates",
            owner="ravi",
            due=A(7),
            detail="Kick-off, {date}",
            by="priya",
            steps=(done(0.17, "mary"),),
        ),
        action(
            None,
            0.9,
            "Prepare the December steering committee pack",
            owner="mary",
            due=T(9),
            detail="Steering committee, {date}",
            by="priya",
        ),
        lesson(
            0.7,
            "Put supplier delivery dates in the contract, not in the minutes",
            type="to_improve",
            category="suppliers",
            stage="delivery",
            happened="Corelink's extract interface arrived eight weeks late; the date "
            "had only been agreed in a meeting.",
            learned="Without a contractual date we had no lever and no remedy.",
            recommendation="Make interface delivery dates contractual milestones with "
            "service credits.",
            owner="priya",
            by="priya",
        ),
        lesson(
            0.45,
            "Catalogue first made the DPIA quick",
            type="went_well",
            category="governance",
            stage="delivery",
            happened="Each source's fields were catalogued with a purpose before ingestion.",
            learned="The DPO could review purposes field by field instead of whole systems.",
            recommendation="Catalogue before ingesting on every data project.",
            owner="chloe",
            by="mary",
        ),
    ]


def _netrefresh() -> list[Item]:
    """Branch network refresh: weekend cut-overs in waves, on track, a few scares."""
    return [
        risk(
            "lead-times",
            0.12,
            "Router and switch lead times stretch beyond twelve weeks",
            cat="commercial",
            cause="Global shortage of the switch model in the design; the distributor "
            "allocates stock by order date.",
            event="Hardware for later waves arrives after their cut-over weekends.",
            effect="Waves slip into the Christmas change freeze; old kit leaves vendor "
            "support in March.",
            owner="james",
            actionee="george",
            p=4,
            i=4,
            strategy="reduce",
            response="Order all 42 branches' hardware up front; approve an alternative "
            "switch model with the same configuration.",
            after=(2, 3),
            cost=(0, 18000, 45000),
            days=(5, 15, 40),
            prox="imminent",
            by="george",
            steps=(
                later(0.3, probability=3, description="All hardware ordered on one PO."),
                later(0.55, probability=2, probability_after=1, impact_after=3),
            ),
            links=(("affects", "task:Hardware delivery"),),
        ),
        risk(
            "circuit-delays",
            0.15,
            "Carrier circuit installations late for rural branches",
            cat="external",
            cause="Seven rural branches need new fibre; the carrier needs wayleaves.",
            event="Circuits are not live by the branch's cut-over weekend.",
            effect="Those branches stay on old routers past end of support.",
            owner="george",
            p=4,
            i=3,
            strategy="fallback",
            response="4G backup routers for any branch whose circuit is late; order "
            "circuits six months ahead.",
            after=(4, 2),
            review=T(-7),
            cost=(3000, 8000, 20000),
            by="george",
        ),
        risk(
            "cutover-failure",
            0.2,
            "Weekend cut-over fails and the branch cannot open on Monday",
            cat="operational",
            cause="Each cut-over changes the router, switches and the WAN in one window.",
            event="A branch has no network at opening time.",
            effect="Members turned away; cash and counter services unavailable.",
            owner="james",
            actionee="george",
            p=2,
            i=5,
            strategy="reduce",
            response="Tested roll-back to the old router by 06:00 Monday; pre-staged "
            "configuration; remote hands on site until opening.",
            after=(1, 4),
            review=T(10),
            by="james",
            steps=(later(0.6, probability=1),),
        ),
        risk(
            "asbestos",
            0.25,
            "Asbestos found in comms cupboards of older branches",
            cat="operational",
            cause="Twelve branches were built before 1980.",
            event="Engineers find suspected asbestos when running new cabling.",
            effect="Work stops until a survey and removal; that wave slips.",
            owner="omar",
            p=2,
            i=3,
            strategy="avoid",
            response="Refurbishment asbestos surveys before each wave.",
            after=(1, 2),
            review=T(-2),
            by="omar",
            steps=(later(0.62, description="Found at Bridgwater; removal took nine days."),),
        ),
        risk(
            "freeze",
            0.3,
            "Christmas change freeze leaves too few weekends",
            cat="schedule",
            cause="No network changes from 1 December to 4 January.",
            event="Remaining waves do not fit between January and March.",
            effect="Branches run on unsupported equipment for weeks.",
            owner="james",
            p=3,
            i=3,
            strategy="reduce",
            response="Run double waves (twelve branches) on four November weekends.",
            after=(2, 2),
            review=T(6),
            days=(0, 10, 25),
            by="james",
        ),
        risk(
            "sdwan-licences",
            0.45,
            "Lower SD-WAN licence tier for small branches",
            opportunity=True,
            cat="financial",
            cause="Eleven branches use under 20 Mbit/s at peak.",
            event="The provider agrees a small-site tier.",
            effect="About £22k a year saved.",
            owner="james",
            p=3,
            i=2,
            strategy="exploit",
            response="Share usage data with Arcline and request the tier.",
            after=(4, 2),
            cost=(-26000, -22000, -12000),
            by="george",
            steps=(later(0.7, status="closed", description="Tier agreed from month four."),),
        ),
        risk(
            "skills-sdwan",
            0.18,
            "Service desk cannot support SD-WAN after handover",
            cat="people",
            cause="The service desk has only supported the old MPLS network.",
            event="Faults after handover wait for the project's engineers.",
            effect="Longer branch outages; project staff tied up after closure.",
            owner="george",
            p=3,
            i=3,
            strategy="reduce",
            response="Training for the service desk; runbooks; shadowing on cut-over weekends.",
            after=(2, 2),
            review=T(20),
            by="george",
        ),
        risk(
            "pci",
            0.35,
            "Card payment terminals lose PCI segmentation",
            cat="legal",
            cause="The new switch configuration changes the VLAN layout.",
            event="Card terminals share a segment with staff PCs.",
            effect="PCI DSS non-compliance; the acquirer could suspend card acceptance.",
            owner="george",
            actionee="nina",
            p=2,
            i=5,
            strategy="reduce",
            response="Segmentation test on every branch before Monday opening; QSA "
            "review of the standard configuration.",
            after=(1, 4),
            review=T(28),
            by="nina",
        ),
        assumption(
            None,
            0.14,
            "Branches can close at 13:00 on Saturdays of their cut-over",
            owner="james",
            due=W(0.3),
            consequence="Cut-over windows shrink to Saturday night only.",
            steps=(later(0.25, status="valid"),),
        ),
        assumption(
            None,
            0.16,
            "Existing structured cabling is reusable in every branch",
            owner="george",
            due=W(0.35),
            consequence="Recabling for some branches: cost and time.",
            by="george",
            steps=(
                later(
                    0.4,
                    status="invalid",
                    description="Nine branches have Cat5 cabling that fails testing; "
                    "recabling added (change request).",
                ),
            ),
        ),
        assumption(
            None,
            0.5,
            "Arcline's portal gives the service desk read access from day one",
            owner="george",
            due=T(-6),
            consequence="The desk cannot see branch links and must call Arcline.",
            by="george",
        ),
        issue(
            "recabling",
            0.4,
            "Nine branches need recabling",
            type="off_specification",
            priority=HIGH,
            severity=MEDIUM,
            owner="george",
            steps=(resolved(0.6, "Recabled in the weeks before each wave (change approved).")),
        ),
        issue(
            "bridgwater",
            0.62,
            "Asbestos found at Bridgwater stopped wave 4",
            priority=HIGH,
            severity=HIGH,
            owner="omar",
            by="omar",
            steps=(
                started(0.63),
                resolved(0.66, "Licensed removal completed; Bridgwater cut over with wave 5."),
            ),
        ),
        issue(
            "monday-outage",
            0.78,
            "Taunton branch opened 40 minutes late after cut-over",
            priority=MEDIUM,
            severity=HIGH,
            owner="george",
            description="The 4G backup router had an expired SIM.",
            steps=(
                resolved(
                    0.8,
                    "All backup SIMs checked; SIM expiry added to the pre-stage checklist.",
                    status="closed",
                ),
            ),
        ),
        issue(
            "desk-access",
            0.88,
            "Service desk still has no access to the Arcline portal",
            priority=MEDIUM,
            owner="george",
            due=T(-3),
            by="george",
        ),
        dependency(
            None,
            0.16,
            "Fibre circuits for seven rural branches",
            owner="george",
            party="Openreach via Arcline Networks",
            need_by=T(40),
            steps=(later(0.7, status="at_risk"),),
        ),
        dependency(
            None,
            0.2,
            "Managed SD-WAN service live in the Arcline core",
            owner="james",
            party="Arcline Networks (managed service provider)",
            need_by=W(0.3),
            steps=(later(0.3, status="met"),),
        ),
        dependency(
            None,
            0.3,
            "Comms room at Riverside House ready for the head office link",
            owner="george",
            project="HQMOVE",
            need_by=T(60),
            steps=(
                later(
                    0.72,
                    status="at_risk",
                    description="Head office move on hold; the link may have to go to "
                    "Castle Street instead.",
                ),
            ),
        ),
        decision(
            None,
            0.28,
            "Order hardware for all 42 branches on one purchase order",
            rationale="Secures allocation against the shortage; 6% volume discount.",
            alternatives="Order per wave (cash-flow friendly, but lead-time risk).",
            decided_by="helen",
            by="james",
        ),
        decision(
            "dec-4g",
            0.3,
            "Fit 4G backup routers in every branch, not only rural ones",
            rationale="Covers cut-over failures as well as late circuits, for £9k.",
            alternatives="Backup only where circuits are late.",
            decided_by="james",
        ),
        decision(
            None,
            0.72,
            "Run double waves on four November weekends",
            rationale="Finishes before the change freeze; engineers volunteer.",
            alternatives="Spread waves into January and February.",
            decided_by="helen",
        ),
        change(
            None,
            0.42,
            "Recable nine branches",
            reason="[[recabling]].",
            owner="george",
            cost="£31,500.",
            time="No change: done in the weeks before each wave.",
            budget=31500,
            days=0,
            steps=(
                moves(0.43, "submitted"),
                moves(0.45, "assessed"),
                moves(0.46, "approved"),
                moves(0.64, "implemented"),
            ),
        ),
        change(
            None,
            0.68,
            "Add the two mobile branch vans to scope",
            reason="The vans' routers reach end of support at the same time.",
            owner="james",
            cost="£7,800.",
            scope="Two more sites with 4G-only connectivity.",
            budget=7800,
            days=2,
            steps=(moves(0.7, "submitted"), moves(0.74, "assessed")),
        ),
        change(
            None,
            0.58,
            "Replace branch Wi-Fi access points at the same time",
            reason="Access points are five years old.",
            owner="george",
            cost="£64,000.",
            scope="42 branches' Wi-Fi.",
            budget=64000,
            days=20,
            steps=(moves(0.6, "submitted"), moves(0.62, "assessed"), moves(0.65, "rejected")),
        ),
        change(
            None,
            0.92,
            "Keep two spare routers per region after closure",
            reason="Faster replacement than the vendor's next-day service in rural areas.",
            owner="george",
            cost="£11,000.",
            budget=11000,
        ),
        action(
            None,
            0.1,
            "Survey all 42 branches' comms cupboards",
            owner="george",
            due=A(30),
            detail="Kick-off, {date}",
            steps=(done(0.28),),
            links=(("affects", "task:Site surveys"),),
        ),
        action(
            None,
            0.26,
            "Book asbestos surveys for the twelve pre-1980 branches",
            owner="omar",
            due=A(20),
            source="risk",
            detail="[[asbestos]]",
            steps=(done(0.35),),
        ),
        action(
            None,
            0.86,
            "Renew the SIM contracts of all 4G backup routers",
            owner="george",
            due=T(-8),
            source="issue",
            detail="[[monday-outage]]",
            steps=(started(0.9),),
        ),
        action(
            None,
            0.88,
            "Get Arcline portal accounts for the service desk",
            owner="george",
            due=T(-3),
            source="issue",
            detail="[[desk-access]]",
            steps=(blocked(0.92, "Arcline needs a signed access request form from IT security."),),
        ),
        action(
            None,
            0.6,
            "Run service desk SD-WAN training",
            owner="nina",
            due=A(30),
            source="risk",
            detail="[[skills-sdwan]]",
            steps=(started(0.7), done(0.82)),
        ),
        action(
            None,
            0.7,
            "Publish the double-wave rota to branch managers",
            owner="james",
            due=A(7),
            detail="Project board, {date}",
            steps=(done(0.73),),
        ),
        action(
            None,
            0.9,
            "Confirm circuit dates for the seven rural branches",
            owner="george",
            due=T(7),
            detail="Project board, {date}",
        ),
        action(
            None,
            0.8,
            "QSA review of the branch switch configuration",
            owner="nina",
            due=T(12),
            source="risk",
            detail="[[pci]]",
            steps=(started(0.85),),
        ),
        lesson(
            0.5,
            "Ordering all hardware at once beat the shortage",
            type="went_well",
            category="suppliers",
            stage="delivery",
            happened="One purchase order for all 42 branches secured stock while other "
            "buyers waited 20 weeks.",
            learned="Lead times, not money, were the constraint.",
            recommendation="For hardware roll-outs, commit to the full quantity early "
            "with staged delivery.",
            owner="james",
        ),
        lesson(
            0.64,
            "Survey for asbestos before the engineers arrive",
            type="to_improve",
            category="planning",
            stage="delivery",
            happened="Asbestos at Bridgwater stopped a wave for nine days; only twelve "
            "branches had been surveyed.",
            learned="Building age is not a reliable guide.",
            recommendation="Refurbishment surveys for every site where cables are run.",
            owner="omar",
        ),
        lesson(
            0.82,
            "Check backup kit as carefully as the main kit",
            type="to_improve",
            category="quality",
            stage="delivery",
            happened="Taunton opened late because the backup router's SIM had expired.",
            learned="Fallbacks are only as good as their last test.",
            recommendation="Test every fallback in the pre-stage checklist.",
            owner="george",
        ),
    ]


def _retention() -> list[Item]:
    """Records retention: the mortgage system cannot delete single records."""
    return [
        risk(
            "no-delete",
            0.18,
            "Older systems cannot delete individual member records",
            cat="technical",
            cause="The mortgage system and the document archive were built to keep "
            "everything; deletion is by whole year only.",
            event="A system in scope cannot apply the retention schedule record by record.",
            effect="Records kept beyond the schedule: a data protection breach we cannot "
            "fix without supplier changes.",
            owner="aisha",
            actionee="chloe",
            p=3,
            i=4,
            strategy="reduce",
            response="Confirm deletion capability for each system in discovery; ask "
            "suppliers for quotes early.",
            after=(3, 3),
            cost=(30000, 75000, 160000),
            days=(15, 30, 60),
            by="chloe",
            steps=(
                later(0.5, probability=4),
                occurred(
                    0.74,
                    "no-delete-issue",
                    title="Mortgage system cannot delete individual records",
                    priority=HIGH,
                    severity=HIGH,
                    due_date=T(-10),
                    description="Helix Lending Systems confirmed deletion works by "
                    "financial year only. 38,000 closed mortgage accounts are past the "
                    "retention period.",
                ),
            ),
        ),
        follow(
            "issues",
            "no-delete-issue",
            later(
                0.76,
                escalated_to_pmo=True,
                escalation_reason="Needs a supplier change of up to £160k not in the "
                "budget, and a view from the Chief Risk Officer on interim measures; the "
                "project cannot resolve it within tolerance.",
            ),
            started(0.8),
        ),
        risk(
            "legal-holds",
            0.2,
            "Records under legal hold deleted by the new rules",
            cat="legal",
            cause="Legal holds are recorded in a spreadsheet kept by the legal team, not "
            "in the systems.",
            event="An automated disposal run deletes records needed for litigation or a "
            "regulator's investigation.",
            effect="Contempt of court or obstruction of a regulator; severe reputational damage.",
            owner="grace",
            p=2,
            i=5,
            strategy="avoid",
            response="Legal holds loaded into each system as a block on disposal before "
            "any deletion runs; legal signs off each run.",
            after=(1, 5),
            review=T(-11),
            by="grace",
        ),
        risk(
            "schedule-disputes",
            0.15,
            "Business areas dispute retention periods",
            cat="strategic",
            cause="Mortgages, savings and HR each want longer periods 'just in case'.",
            event="The retention schedule is not approved on time.",
            effect="Configuration cannot start; the project slips.",
            owner="marcus",
            actionee="grace",
            p=4,
            i=3,
            strategy="reduce",
            response="Legal review of each period; the Chief Risk Officer arbitrates.",
            after=(2, 2),
            by="aisha",
            steps=(later(0.34, status="closed", description="Schedule approved."),),
            links=(("affects", "task:Retention schedule"),),
        ),
        risk(
            "backups",
            0.3,
            "Deleted records remain in backups for years",
            cat="technical",
            cause="Backup tapes are kept for seven years.",
            event="A member's subject access request finds data we said was deleted.",
            effect="Complaints and an ICO finding.",
            owner="aisha",
            p=3,
            i=3,
            strategy="accept",
            response="Accepted with the DPO: backups are beyond use, documented in the "
            "privacy notice; restores re-apply disposal.",
            review=T(40),
            by="grace",
        ),
        risk(
            "storage-savings",
            0.35,
            "Storage savings from disposal",
            opportunity=True,
            cat="financial",
            cause="About 30% of the document archive is past its retention date.",
            event="Disposal frees enough storage to cancel the archive expansion.",
            effect="£70k capital saving next year.",
            owner="aisha",
            p=3,
            i=3,
            strategy="exploit",
            response="Tell infrastructure before they order the expansion.",
            after=(4, 3),
            cost=(-90000, -70000, -40000),
            review=T(30),
            by="chloe",
        ),
        risk(
            "staff-deletion",
            0.45,
            "Staff keep local copies outside the systems",
            cat="operational",
            cause="Spreadsheets and e-mail attachments hold member data.",
            event="Records past retention survive in shared drives and mailboxes.",
            effect="Disposal is incomplete; subject access searches find them.",
            owner="grace",
            p=4,
            i=3,
            strategy="reduce",
            response="Shared drive scan; guidance and an amnesty week; mailbox retention policy.",
            after=(3, 2),
            review=T(-5),
            by="grace",
        ),
        assumption(
            None,
            0.12,
            "The CRM replacement will carry retention rules from go-live",
            owner="priya",
            due=T(45),
            consequence="The legacy CRM's records need a separate disposal project.",
            by="chloe",
        ),
        assumption(
            None,
            0.16,
            "Legal can review the schedule in four weeks",
            owner="grace",
            due=W(0.3),
            consequence="Schedule approval slips.",
            steps=(later(0.3, status="valid"),),
        ),
        assumption(
            None,
            0.2,
            "Every system in scope has an owner who can approve disposal",
            owner="aisha",
            due=W(0.4),
            consequence="Disposal runs wait for owners to be named.",
            steps=(
                later(
                    0.42,
                    status="invalid",
                    description="Four of 25 systems had no owner; the COO named them.",
                ),
            ),
        ),
        issue(
            "inventory-gaps",
            0.3,
            "Records inventory misses shadow IT systems",
            priority=MEDIUM,
            owner="chloe",
            by="chloe",
            steps=(
                resolved(
                    0.45,
                    "Found six more systems through expense and licence "
                    "records; added to the inventory.",
                )
            ),
        ),
        issue(
            "archive-vendor",
            0.6,
            "Document archive supplier charges per deletion",
            type="off_specification",
            priority=MEDIUM,
            severity=MEDIUM,
            owner="aisha",
            due=T(-6),
            steps=(started(0.7),),
        ),
        issue(
            "hr-periods",
            0.55,
            "HR asks to keep leavers' files for 12 years instead of 6",
            type="request_for_change",
            priority=LOW,
            severity=LOW,
            owner="grace",
            steps=(resolved(0.62, "Legal advice: six years; HR agreed.", status="closed"),),
        ),
        dependency(
            None,
            0.2,
            "Retention rules configured in the new CRM",
            owner="chloe",
            project="CRM",
            need_by=T(90),
        ),
        dependency(
            None,
            0.25,
            "Disposal applied to the data platform's copies of member data",
            owner="chloe",
            project="DATAPLAT",
            need_by=T(110),
        ),
        dependency(
            None,
            0.5,
            "Quote for record-level deletion in the mortgage system",
            owner="aisha",
            party="Helix Lending Systems (mortgage system supplier)",
            need_by=T(-14),
            steps=(later(0.74, status="at_risk"),),
        ),
        dependency(
            None,
            0.22,
            "Legal opinion on retention periods for closed mortgages",
            owner="grace",
            party="External counsel (Harrow & Lane LLP)",
            need_by=W(0.35),
            steps=(later(0.33, status="met"),),
        ),
        decision(
            None,
            0.34,
            "Adopt the retention schedule v1.2",
            rationale="Periods follow legal advice and the FCA's record-keeping rules; "
            "disputes settled by the CRO.",
            alternatives="Keep everything for 12 years (breaches data minimisation).",
            decided_by="marcus",
            by="grace",
        ),
        decision(
            None,
            0.8,
            "Restrict access to mortgage records past retention until deletion is possible",
            rationale="An interim control the ICO guidance accepts while a fix is built.",
            alternatives="Wait for the supplier change with no interim control.",
            decided_by="marcus",
            links=(("resolves", "no-delete-issue"),),
        ),
        change(
            None,
            0.78,
            "Fund record-level deletion in the mortgage system",
            reason="[[no-delete-issue]].",
            owner="aisha",
            cost="£75,000 (quote pending).",
            time="Mortgage system disposal moves to after March.",
            budget=75000,
            days=30,
            steps=(moves(0.82, "submitted"),),
        ),
        change(
            None,
            0.5,
            "Add HR's e-mail archive to scope",
            reason="Leavers' e-mails hold personal data past retention.",
            owner="grace",
            cost="£8,000.",
            budget=8000,
            days=5,
            steps=(
                moves(0.52, "submitted"),
                moves(0.54, "assessed"),
                moves(0.56, "approved"),
                moves(0.7, "implemented"),
            ),
        ),
        change(
            None,
            0.9,
            "Scan shared drives with a discovery tool",
            reason="[[staff-deletion]].",
            owner="grace",
            cost="£14,000 licence for three months.",
            budget=14000,
        ),
        action(
            None,
            0.76,
            "Get Helix's quote for record-level deletion",
            owner="aisha",
            due=T(-14),
            source="issue",
            detail="[[no-delete-issue]]",
            steps=(started(0.78),),
            links=(("relates_to", "no-delete-issue"),),
        ),
        action(
            None,
            0.8,
            "Restrict mortgage archive access to the complaints team",
            owner="chloe",
            due=A(14),
            source="decision",
            steps=(done(0.86),),
        ),
        action(
            None,
            0.3,
            "Load legal holds into the document archive",
            owner="grace",
            due=A(21),
            source="risk",
            detail="[[legal-holds]]",
            steps=(done(0.4),),
        ),
        action(
            None,
            0.88,
            "Plan the shared drive amnesty week",
            owner="grace",
            due=T(10),
            source="risk",
            detail="[[staff-deletion]]",
        ),
        action(
            None,
            0.62,
            "Ask the archive supplier for a flat deletion price",
            owner="aisha",
            due=T(-20),
            source="issue",
            detail="[[archive-vendor]]",
            steps=(blocked(0.75, "Supplier's account manager on leave until next week."),),
        ),
        action(
            None,
            0.92,
            "Prepare the internal audit briefing",
            owner="grace",
            due=T(6),
            detail="Project board, {date}",
        ),
        risk(
            "sar-volume",
            0.4,
            "Subject access requests rise when disposal is announced",
            cat="operational",
            cause="The privacy notice update tells members records will be deleted.",
            event="Members ask for copies of their data before it goes.",
            effect="The data protection team misses one-month deadlines.",
            owner="grace",
            p=3,
            i=2,
            strategy="reduce",
            response="Stagger the privacy notice update; temporary help for the DPO team.",
            after=(2, 2),
            review=T(25),
        ),
        assumption(
            None,
            0.5,
            "Disposal runs can be automated in 20 of the 25 systems",
            owner="chloe",
            due=T(-8),
            consequence="Manual disposal needs a team for a month each year.",
            by="chloe",
        ),
        issue(
            "audit-trail",
            0.7,
            "Disposal runs leave no certificate of destruction",
            type="off_specification",
            priority=MEDIUM,
            severity=MEDIUM,
            owner="chloe",
            due=T(20),
            by="chloe",
            steps=(started(0.8),),
        ),
        action(
            None,
            0.72,
            "Design the disposal certificate with internal audit",
            owner="chloe",
            due=T(-2),
            source="issue",
            detail="[[audit-trail]]",
            links=(("relates_to", "audit-trail"),),
        ),
        action(
            None,
            0.45,
            "Configure retention rules in the first five systems",
            owner="chloe",
            due=A(30),
            detail="Project board, {date}",
            steps=(started(0.5), done(0.66)),
            links=(("affects", "task:Configure retention rules (system 1)"),),
        ),
        action(
            None,
            0.58,
            "Update the privacy notice wording on retention",
            owner="grace",
            due=A(21),
            source="risk",
            detail="[[sar-volume]]",
            steps=(done(0.7),),
        ),
        lesson(
            0.8,
            "Test deletion in each system during discovery",
            type="to_improve",
            category="technical",
            stage="delivery",
            happened="The mortgage system's lack of record-level deletion was found during "
            "configuration, five months in.",
            learned="Suppliers' 'yes, it can delete' meant by year.",
            recommendation="Prove each capability the project relies on with a test, not "
            "a questionnaire.",
            owner="aisha",
        ),
    ]


def _payroll() -> list[Item]:
    """Payroll upgrade: early days, parallel runs ahead, a hard April deadline."""
    return [
        risk(
            "tax-year",
            0.1,
            "Upgrade not live before the new tax year",
            cat="schedule",
            cause="The current version is not certified for 2027–28 tax tables.",
            event="Go-live slips past the first April payroll.",
            effect="Payroll run on an uncertified version: wrong deductions and penalties.",
            owner="hannah",
            p=2,
            i=5,
            strategy="reduce",
            response="Three parallel runs finishing in February; go/no-go in early March "
            "with a month of contingency.",
            after=(1, 5),
            review=T(14),
            days=(0, 10, 30),
            links=(("affects", "task:First live payroll"),),
        ),
        risk(
            "ytd",
            0.2,
            "Year-to-date balances load wrongly",
            cat="technical",
            cause="Balances are migrated mid-year across twelve legal entities.",
            event="Tax or National Insurance year-to-date figures are wrong after go-live.",
            effect="Employees over- or under-taxed; corrections through HMRC.",
            owner="nina",
            p=3,
            i=4,
            strategy="reduce",
            response="Reconcile every entity's balances to the P32 before sign-off.",
            after=(2, 3),
            review=T(-4),
            cost=(2000, 6000, 15000),
            by="nina",
            links=(("affects", "task:Load year-to-date balances (entity 1)"),),
        ),
        risk(
            "pensions",
            0.22,
            "Pension contributions miscalculated for salary sacrifice",
            cat="financial",
            cause="Three schemes with different salary sacrifice rules.",
            event="Contributions sent to the pension provider are wrong.",
            effect="Arrears to correct and an auto-enrolment breach report.",
            owner="hannah",
            actionee="nina",
            p=3,
            i=3,
            strategy="reduce",
            response="Test cases per scheme in each parallel run; provider checks the first file.",
            after=(2, 2),
            review=T(21),
        ),
        risk(
            "administrator",
            0.3,
            "Senior payroll administrator retires in February",
            cat="people",
            cause="One administrator knows the pay element mappings.",
            event="She leaves before the parallel runs finish.",
            effect="Differences cannot be explained quickly; go-live at risk.",
            owner="fiona",
            p=4,
            i=3,
            strategy="reduce",
            response="Document the mappings now; backfill recruited by January.",
            after=(2, 2),
            review=T(-9),
        ),
        risk(
            "self-service",
            0.4,
            "Stop printing payslips with the new self-service portal",
            opportunity=True,
            cat="financial",
            cause="The new version includes an employee portal at no extra cost.",
            event="All staff move to online payslips.",
            effect="£9k a year printing and postage saved.",
            owner="hannah",
            p=3,
            i=2,
            strategy="exploit",
            response="Announce online payslips with go-live; paper only on request.",
            after=(4, 2),
            cost=(-9000, -8000, -5000),
        ),
        risk(
            "rti",
            0.35,
            "First RTI submission rejected by HMRC",
            cat="legal",
            cause="The upgrade changes the submission software identity.",
            event="HMRC rejects the Full Payment Submission on the first live run.",
            effect="Late filing penalties if not resubmitted the same day.",
            owner="nina",
            p=2,
            i=3,
            strategy="reduce",
            response="Submit to HMRC's test service during parallel run 2.",
            after=(1, 2),
            review=T(30),
        ),
        assumption(
            None,
            0.15,
            "The supplier hosts the new version in the UK",
            owner="hannah",
            due=W(0.3),
            consequence="Data transfer assessment needed.",
            steps=(later(0.3, status="valid"),),
        ),
        assumption(
            None,
            0.35,
            "Parallel runs can use last month's live data",
            owner="nina",
            due=T(-2),
            consequence="Test data would have to be built by hand.",
            by="nina",
        ),
        assumption(
            None,
            0.4,
            "No pay award is implemented between January and April",
            owner="fiona",
            due=T(20),
            consequence="A pay award mid-parallel run would double the reconciliation work.",
        ),
        issue(
            "entity-data",
            0.5,
            "Two legal entities' employee data is incomplete",
            priority=HIGH,
            severity=MEDIUM,
            owner="nina",
            due=T(-5),
            description="Kestrel Insurance Services and Kestrel Estates have no NI "
            "categories for 31 employees.",
            by="nina",
            steps=(started(0.55),),
        ),
        issue(
            "onboarding-slow",
            0.32,
            "Supplier onboarding took three weeks longer than planned",
            priority=MEDIUM,
            owner="hannah",
            steps=(
                resolved(
                    0.48, "Onboarded; configuration started with float used.", status="closed"
                ),
            ),
        ),
        issue(
            "pay-elements",
            0.62,
            "Eleven pay elements have no equivalent in the new version",
            type="off_specification",
            priority=MEDIUM,
            severity=MEDIUM,
            owner="nina",
            due=T(8),
            by="nina",
            steps=(started(0.7),),
        ),
        dependency(
            None,
            0.2,
            "Test service access for RTI submissions",
            owner="nina",
            party="HMRC",
            need_by=T(35),
        ),
        dependency(
            None,
            0.25,
            "Contribution file format for the new version approved",
            owner="hannah",
            party="Northfield Pensions (pension provider)",
            need_by=T(-1),
            steps=(later(0.8, status="at_risk"),),
        ),
        dependency(
            None,
            0.12,
            "Upgrade licence and hosting contract signed",
            owner="hannah",
            party="Paywise Solutions (payroll supplier)",
            need_by=W(0.25),
            steps=(later(0.24, status="met"),),
        ),
        decision(
            None,
            0.2,
            "Move to the supplier-hosted version rather than upgrading on premises",
            rationale="Removes our own servers and patching; same annual cost.",
            alternatives="Upgrade on premises (server refresh £25k).",
            decided_by="fiona",
        ),
        decision(
            None,
            0.66,
            "Map unmatched pay elements to generic allowances with reporting codes",
            rationale="Keeps the standard product; reporting codes preserve analysis.",
            alternatives="Pay the supplier to build custom elements (£18k).",
            proposed=True,
            owner="nina",
            links=(("resolves", "pay-elements"),),
        ),
        change(
            None,
            0.7,
            "Add a third parallel run",
            reason="Entity data problems found in the first data load.",
            owner="hannah",
            time="Three weeks added before go-live, within the contingency.",
            cost="£6,500 supplier time.",
            budget=6500,
            days=15,
            steps=(moves(0.72, "submitted"), moves(0.74, "assessed"), moves(0.76, "approved")),
        ),
        change(
            None,
            0.9,
            "Bring the pension file format change into scope",
            reason="The provider's new format is mandatory from April.",
            owner="hannah",
            cost="£3,000.",
            budget=3000,
        ),
        action(
            None,
            0.5,
            "Collect NI categories for the 31 employees",
            owner="nina",
            due=T(-5),
            source="issue",
            detail="[[entity-data]]",
            steps=(started(0.56),),
            links=(("relates_to", "entity-data"),),
        ),
        action(
            None,
            0.3,
            "Document the pay element mappings with the senior administrator",
            owner="nina",
            due=T(-12),
            source="risk",
            detail="[[administrator]]",
            steps=(started(0.5),),
        ),
        action(
            None,
            0.4,
            "Start recruitment for the payroll administrator backfill",
            owner="hannah",
            due=A(20),
            source="risk",
            detail="[[administrator]]",
            steps=(done(0.55),),
        ),
        action(
            None,
            0.2,
            "Sign the supplier's data processing agreement",
            owner="hannah",
            due=A(10),
            detail="Kick-off, {date}",
            steps=(done(0.24),),
        ),
        action(
            None,
            0.75,
            "Send the contribution file sample to Northfield Pensions",
            owner="nina",
            due=T(-3),
            steps=(blocked(0.85, "Sample can only be produced after parallel run 1."),),
        ),
        action(
            None,
            0.85,
            "Draft the employee communication about online payslips",
            owner="hannah",
            due=T(18),
            source="risk",
            detail="[[self-service]]",
        ),
        risk(
            "gender-pay",
            0.45,
            "Gender pay gap report cannot be produced from the new version",
            cat="legal",
            cause="Hourly pay for the report uses pay elements mapped differently.",
            event="The April snapshot report is wrong or late.",
            effect="Statutory report published late; reputational damage.",
            owner="fiona",
            actionee="nina",
            p=2,
            i=3,
            strategy="reduce",
            response="Rebuild the report in parallel run 3 and compare with last year's.",
            after=(1, 3),
            review=T(40),
        ),
        risk(
            "bacs",
            0.55,
            "BACS payment file rejected on the first live run",
            cat="operational",
            cause="The new version writes a different BACS file layout.",
            event="The bank rejects the payment file on pay day minus two.",
            effect="Staff paid late.",
            owner="hannah",
            p=2,
            i=5,
            strategy="reduce",
            response="Send a test file through the bank's validation service; keep the "
            "old system able to produce the file for the first month.",
            after=(1, 4),
            review=T(-1),
        ),
        issue(
            "holiday-accrual",
            0.8,
            "Holiday accrual for part-time staff calculates differently",
            type="off_specification",
            priority=MEDIUM,
            severity=MEDIUM,
            owner="nina",
            due=T(15),
            by="nina",
        ),
        dependency(
            None,
            0.5,
            "Bank's BACS test validation slot",
            owner="hannah",
            party="Kestrel's clearing bank (BACS bureau)",
            need_by=T(50),
        ),
        action(
            None,
            0.56,
            "Ask the bank for a BACS test validation slot",
            owner="hannah",
            due=T(-16),
            source="risk",
            detail="[[bacs]]",
            steps=(started(0.66),),
        ),
        action(
            None,
            0.8,
            "Compare part-time holiday accrual for 20 sample employees",
            owner="nina",
            due=T(9),
            source="issue",
            detail="[[holiday-accrual]]",
            links=(("relates_to", "holiday-accrual"),),
        ),
        action(
            None,
            0.62,
            "Agree the go/no-go criteria with the Chief Financial Officer",
            owner="hannah",
            due=A(21),
            detail="Project board, {date}",
            steps=(done(0.78),),
        ),
        action(
            None,
            0.46,
            "Build the reconciliation spreadsheet for parallel runs",
            owner="nina",
            due=A(14),
            detail="Test planning, {date}",
            steps=(started(0.5), done(0.6)),
            links=(("affects", "task:Reconcile differences (parallel run 1)"),),
        ),
        action(
            None,
            0.7,
            "Rebuild the gender pay gap report in the new version",
            owner="nina",
            due=T(45),
            source="risk",
            detail="[[gender-pay]]",
        ),
        lesson(
            0.5,
            "Ask for entity-level data completeness before onboarding",
            type="to_improve",
            category="planning",
            stage="initiation",
            happened="Data gaps in two small entities were found only at the first load.",
            learned="Small entities get the least attention and cause the most rework.",
            recommendation="Check each entity's data completeness in initiation.",
            owner="nina",
        ),
    ]


def _hqmove() -> list[Item]:
    """Head office consolidation: on hold over the Castle Street dilapidations dispute."""
    return [
        risk(
            "dilapidations",
            0.12,
            "Landlord's dilapidations claim exceeds the provision",
            cat="commercial",
            cause="Castle Street has been occupied for 22 years with many alterations.",
            event="The landlord's schedule of dilapidations is far above our £400k provision.",
            effect="Lease exit costs more, or the break date is missed while we dispute it.",
            owner="helen",
            actionee="omar",
            p=3,
            i=4,
            strategy="reduce",
            response="Independent building surveyor; agree the schedule early; budget "
            "for a cash settlement.",
            after=(3, 3),
            cost=(150000, 420000, 900000),
            days=(20, 90, 180),
            steps=(
                later(0.5, probability=4),
                occurred(
                    0.64,
                    "dispute",
                    title="Castle Street landlord disputes the dilapidations schedule",
                    priority=CRITICAL,
                    severity=CRITICAL,
                    due_date=T(-18),
                    description="The landlord's surveyor claims £1.1m against our "
                    "surveyor's £380k; the lease break requires the premises to be "
                    "handed back in the agreed condition.",
                ),
            ),
        ),
        follow(
            "issues",
            "dispute",
            later(
                0.66,
                escalated_to_pmo=True,
                escalation_reason="The gap (£720k) is outside the project's authority; "
                "the board must decide whether to settle, litigate or extend the lease.",
            ),
            started(0.7),
            later(
                0.75,
                description="Board paused fit-out spending until exit terms are "
                "agreed. Mediation proposed for January.",
            ),
        ),
        risk(
            "break-date",
            0.1,
            "Lease break date at Castle Street missed",
            cat="schedule",
            cause="The break can only be exercised in December 2026 with vacant possession.",
            event="Staff or equipment are still in Castle Street on the break date.",
            effect="Five more years of rent (£610k a year) or a negotiated surrender.",
            owner="helen",
            p=2,
            i=5,
            strategy="avoid",
            response="Fit-out finishes by October; moves in November; two weeks' float.",
            after=(1, 5),
            cost=(300000, 610000, 3050000),
            by="omar",
            steps=(
                later(0.48, probability=3),
                later(
                    0.64, probability=5, description="Break date will be missed: fit-out paused."
                ),
            ),
            links=(("affects", "task:Lease negotiation"),),
        ),
        risk(
            "planning",
            0.2,
            "Planning consent for Riverside House alterations delayed",
            cat="external",
            cause="The new stair and roof plant need listed building consent.",
            event="The council's decision takes more than its eight-week target.",
            effect="Fit-out cannot start on the ground floor.",
            owner="omar",
            p=3,
            i=3,
            strategy="reduce",
            response="Pre-application meeting with the conservation officer.",
            after=(2, 3),
            steps=(later(0.4, status="closed", description="Consent granted in seven weeks."),),
            links=(("affects", "task:Planning consent"),),
        ),
        risk(
            "staff-travel",
            0.3,
            "Staff resist the longer commute to Riverside House",
            cat="people",
            cause="Riverside House is four miles from Castle Street with poor parking.",
            event="Key staff resign or refuse to move.",
            effect="Loss of skills; more hybrid working than the space plan assumes.",
            owner="helen",
            p=3,
            i=3,
            strategy="reduce",
            response="Shuttle bus trial; travel survey; hybrid working policy agreed with unions.",
            after=(2, 2),
            review=T(-30),
        ),
        risk(
            "fitout-inflation",
            0.3,
            "Fit-out tender prices above the estimate",
            cat="financial",
            cause="Construction inflation of 6–9% since the estimate.",
            event="Tenders exceed the fit-out budget by more than 10%.",
            effect="Scope cut or a funding request to the board.",
            owner="james",
            p=3,
            i=3,
            strategy="accept",
            response="Accepted: 8% contingency held for fit-out.",
            cost=(50000, 180000, 350000),
            review=T(-45),
        ),
        assumption(
            None,
            0.1,
            "Riverside House takes 620 desks at a 0.7 desk ratio",
            owner="james",
            due=W(0.3),
            consequence="A third floor would be needed.",
            steps=(later(0.28, status="valid"),),
        ),
        assumption(
            None,
            0.12,
            "The landlord accepts a cash settlement instead of reinstatement",
            owner="helen",
            due=W(0.6),
            consequence="We must reinstate Castle Street before leaving: months of work.",
            steps=(
                later(
                    0.64,
                    status="invalid",
                    description="Landlord insists on reinstatement of the ground floor.",
                ),
            ),
        ),
        issue(
            "comms-room",
            0.58,
            "Riverside House comms room too small for the core switches",
            type="off_specification",
            priority=MEDIUM,
            owner="george",
            by="george",
            steps=(resolved(0.68, "Adjacent store room added to the comms room.")),
        ),
        issue(
            "furniture",
            0.7,
            "Furniture supplier wants payment for stored desks",
            priority=LOW,
            severity=MEDIUM,
            owner="omar",
            due=T(-12),
            by="omar",
        ),
        dependency(
            None,
            0.25,
            "Building control sign-off for Riverside House fit-out",
            owner="omar",
            party="City council building control",
            need_by=T(150),
        ),
        decision(
            None,
            0.06,
            "Consolidate into Riverside House and leave Castle Street",
            rationale="Saves £1.4m a year; Riverside House has a long lease and room.",
            alternatives="Stay in both buildings; consolidate into Castle Street (too small).",
            decided_by="helen",
        ),
        decision(
            None,
            0.74,
            "Pause fit-out spending until Castle Street exit terms are agreed",
            rationale="Committing £2.3m of fit-out while the exit cost is unknown would "
            "breach the board's investment appetite.",
            alternatives="Continue fit-out and settle later.",
            decided_by="helen",
            links=(("relates_to", "dispute"),),
        ),
        decision(
            None,
            0.86,
            "Propose mediation with the Castle Street landlord",
            rationale="Cheaper and faster than the courts; keeps a surrender option.",
            alternatives="Issue proceedings; accept the landlord's claim.",
            proposed=True,
            owner="helen",
            links=(("resolves", "dispute"),),
        ),
        change(
            None,
            0.72,
            "Put the project on hold and move the finish to June 2027",
            reason="Dilapidations dispute ([[dispute]]).",
            owner="james",
            time="Finish from December 2026 to June 2027.",
            cost="Holding costs of £45k a month while paused.",
            days=130,
            budget=270000,
            steps=(
                moves(0.73, "submitted"),
                moves(0.735, "assessed"),
                moves(0.74, "approved"),
                moves(0.75, "implemented"),
            ),
        ),
        change(
            None,
            0.55,
            "Add a staff shuttle bus for six months",
            reason="[[staff-travel]].",
            owner="omar",
            cost="£58,000.",
            budget=58000,
            steps=(moves(0.56, "submitted"), moves(0.6, "assessed"), moves(0.62, "rejected")),
        ),
        action(
            None,
            0.66,
            "Appoint a dilapidations solicitor",
            owner="helen",
            due=A(14),
            source="issue",
            detail="[[dispute]]",
            steps=(done(0.7),),
        ),
        action(
            None,
            0.86,
            "Send the mediation proposal to the landlord's agent",
            owner="james",
            due=T(-9),
            source="decision",
            detail="Board, {date}",
            steps=(
                blocked(0.9, "Waiting for the solicitor's draft of the without-prejudice letter."),
            ),
        ),
        action(
            None,
            0.75,
            "Stop non-essential fit-out orders and tell the contractor",
            owner="omar",
            due=A(5),
            source="decision",
            steps=(done(0.76),),
        ),
        action(
            None,
            0.8,
            "Agree storage terms for delivered furniture",
            owner="omar",
            due=T(-12),
            source="issue",
            detail="[[furniture]]",
        ),
        action(
            None,
            0.4,
            "Run the staff travel survey",
            owner="omar",
            due=A(21),
            source="risk",
            detail="[[staff-travel]]",
            steps=(done(0.5),),
        ),
        lesson(
            0.76,
            "Agree dilapidations before committing to the new building",
            type="to_improve",
            category="risk",
            stage="initiation",
            happened="Fit-out started before the Castle Street exit terms were known; "
            "the dispute then paused the project with the lease break missed.",
            learned="The exit was the critical path, not the fit-out.",
            recommendation="Make agreed exit terms an entry criterion for the fit-out stage.",
            owner="helen",
        ),
        lesson(
            0.42,
            "Early conservation officer meeting sped up consent",
            type="went_well",
            category="stakeholders",
            stage="delivery",
            happened="A pre-application meeting shaped the design; consent came in seven weeks.",
            learned="Regulators prefer to be consulted than presented to.",
            recommendation="Meet planning officers before submitting on listed buildings.",
            owner="omar",
        ),
    ]


def _dcexit() -> list[Item]:
    """Data centre exit: closed on time after a difficult summer; rich in lessons."""
    closed = "closed"
    return [
        risk(
            "unknown-apps",
            0.06,
            "Undocumented applications found late in the data centre",
            cat="technical",
            cause="The configuration database lists 140 servers; the racks hold 180.",
            event="Servers with unknown owners are found after migration waves are fixed.",
            effect="Extra waves, and the co-location contract end date at risk.",
            owner="james",
            actionee="george",
            p=4,
            i=4,
            strategy="reduce",
            response="Network traffic analysis for four weeks to find every live server; "
            "owners named before wave planning.",
            after=(2, 3),
            cost=(20000, 50000, 120000),
            days=(10, 25, 50),
            by="george",
            steps=(
                later(0.3, probability=3),
                later(0.55, probability=2),
                later(0.92, status=closed, description="All 180 servers migrated or retired."),
            ),
            links=(("affects", "task:Dependency mapping"),),
        ),
        risk(
            "contract-end",
            0.05,
            "Co-location contract ends before the last workload moves",
            cat="schedule",
            cause="The contract ends on 31 October 2026 and the provider has re-let the space.",
            event="Servers still running in Docklands on 31 October.",
            effect="Emergency moves or penalty rates of £90k a month.",
            owner="daniel",
            p=3,
            i=5,
            strategy="reduce",
            response="Finish migrations by the end of September; month of float.",
            after=(2, 5),
            cost=(0, 90000, 270000),
            steps=(
                later(
                    0.69,
                    probability=4,
                    description="Wave 14 slipped three weeks (database replication).",
                ),
                later(0.88, probability=1),
                later(0.97, status=closed),
            ),
            links=(("affects", "task:Hand back data centre"),),
        ),
        risk(
            "db-replication",
            0.2,
            "Large databases cannot replicate within the cut-over window",
            cat="technical",
            cause="The core banking reporting database is 6 TB over a 1 Gbit/s link.",
            event="Replication does not catch up before the weekend window.",
            effect="Extended outage of member reporting or a failed cut-over.",
            owner="george",
            p=3,
            i=4,
            strategy="reduce",
            response="Temporary 10 Gbit/s link for three months; seed by shipped disk.",
            after=(2, 3),
            cost=(12000, 18000, 30000),
            steps=(
                occurred(
                    0.68,
                    "wave14",
                    title="Wave 14 replication did not finish in the window",
                    priority=HIGH,
                    severity=HIGH,
                    due_date=W(0.8),
                ),
            ),
        ),
        follow(
            "issues",
            "wave14",
            started(0.69),
            resolved(
                0.84,
                "Re-seeded by shipped disk over the 10 Gbit/s link; cut-over "
                "completed three weeks late within float.",
            ),
        ),
        risk(
            "cloud-bill",
            0.15,
            "Cloud costs higher than the data centre's",
            cat="financial",
            cause="Servers lifted and shifted without right-sizing.",
            event="The first cloud bills exceed the co-location cost.",
            effect="Business case savings not realised.",
            owner="james",
            p=3,
            i=3,
            strategy="reduce",
            response="Right-size every server after two weeks of monitoring; reserved "
            "instances for steady workloads.",
            after=(2, 2),
            steps=(later(0.95, status=closed),),
        ),
        risk(
            "retire-more",
            0.25,
            "Retire more servers than planned",
            opportunity=True,
            cat="financial",
            cause="Many servers host one small legacy application.",
            event="Owners agree to retire instead of migrating.",
            effect="Fewer migrations and lower running cost.",
            owner="george",
            p=3,
            i=3,
            strategy="exploit",
            response="Retirement offered first at each wave's planning meeting.",
            after=(4, 3),
            cost=(-120000, -80000, -30000),
            steps=(later(0.9, status=closed, description="61 servers retired, 119 migrated."),),
        ),
        assumption(
            None,
            0.08,
            "Application owners can test in a weekend window",
            owner="james",
            due=W(0.2),
            consequence="Weekday cut-overs with outages.",
            steps=(later(0.2, status="valid"),),
        ),
        assumption(
            None,
            0.1,
            "The configuration database is accurate",
            owner="george",
            due=W(0.25),
            consequence="Discovery must find the real inventory.",
            steps=(later(0.22, status="invalid", description="40 servers were missing from it."),),
        ),
        issue(
            "firewall",
            0.4,
            "Firewall rules for wave 6 missed a payments interface",
            priority=HIGH,
            severity=HIGH,
            owner="george",
            steps=(
                resolved(
                    0.41,
                    "Rule added within two hours; rule review added to the cut-over checklist.",
                    status=closed,
                ),
            ),
        ),
        issue(
            "licences",
            0.5,
            "Two vendors' licences do not allow cloud hosting",
            type="off_specification",
            priority=MEDIUM,
            owner="james",
            steps=(
                resolved(
                    0.62,
                    "Licences converted at no cost for one vendor; the "
                    "other application was retired early.",
                    status=closed,
                ),
            ),
        ),
        issue(
            "extra-wave",
            0.58,
            "Request to migrate the test lab as well",
            type="request_for_change",
            priority=LOW,
            severity=LOW,
            owner="james",
            steps=(resolved(0.6, "Rejected: the lab is retired instead.", status=closed),),
        ),
        dependency(
            None,
            0.1,
            "Hand-back inspection of the Docklands suite",
            owner="george",
            party="Docklands co-location provider",
            need_by=W(0.98),
            steps=(later(0.98, status="met"),),
        ),
        dependency(
            None,
            0.3,
            "Branch WAN core moved out of Docklands before the branch refresh",
            direction="outbound",
            owner="george",
            project="NETREFRESH",
            need_by=W(0.6),
            steps=(later(0.58, status="met"),),
        ),
        decision(
            None,
            0.12,
            "Migrate to the public cloud rather than another co-location site",
            rationale="No hardware refresh; the society's cloud strategy.",
            alternatives="Move racks to a new co-location provider.",
            decided_by="daniel",
        ),
        decision(
            None,
            0.7,
            "Rent a temporary 10 Gbit/s link for the large databases",
            rationale="£18k against the risk of a £90k-a-month overstay.",
            alternatives="Extend the cut-over windows to three days.",
            decided_by="james",
            links=(("resolves", "wave14"),),
        ),
        change(
            None,
            0.32,
            "Add 40 undiscovered servers to the migration waves",
            reason="[[unknown-apps]].",
            owner="james",
            cost="£36,000.",
            time="Two more waves, within float.",
            budget=36000,
            days=10,
            steps=(
                moves(0.33, "submitted"),
                moves(0.34, "assessed"),
                moves(0.35, "approved"),
                moves(0.6, "implemented"),
            ),
        ),
        change(
            None,
            0.58,
            "Migrate the test lab",
            reason="[[extra-wave]].",
            owner="james",
            cost="£22,000.",
            budget=22000,
            steps=(moves(0.59, "submitted"), moves(0.59, "assessed"), moves(0.6, "rejected")),
        ),
        action(
            None,
            0.2,
            "Run network traffic analysis for four weeks",
            owner="george",
            due=A(30),
            source="risk",
            detail="[[unknown-apps]]",
            steps=(done(0.3),),
        ),
        action(
            None,
            0.7,
            "Order the temporary 10 Gbit/s link",
            owner="george",
            due=A(5),
            source="decision",
            steps=(done(0.71),),
        ),
        action(
            None,
            0.9,
            "Right-size the migrated servers",
            owner="george",
            due=A(30),
            source="risk",
            detail="[[cloud-bill]]",
            steps=(started(0.92), done(0.99)),
        ),
        action(
            None,
            0.96,
            "Hand the cloud cost reports over to IT operations",
            owner="george",
            due=T(-1),
            source="other",
            detail="Closure report",
        ),
        action(
            None,
            0.97,
            "Hold the lessons learned workshop",
            owner="james",
            due=A(7),
            detail="Closure, {date}",
            steps=(done(0.99),),
        ),
        lesson(
            0.99,
            "Discover with network traffic, not with the asset register",
            type="to_improve",
            category="planning",
            stage="starting_up",
            happened="The configuration database missed 40 of 180 servers; they were "
            "found by traffic analysis in month three.",
            learned="Registers describe what people remember; traffic shows what runs.",
            recommendation="Start every exit or migration with four weeks of traffic "
            "analysis before planning waves.",
            owner="george",
        ),
        lesson(
            0.99,
            "Offer retirement before migration",
            type="went_well",
            category="technical",
            stage="delivery",
            happened="61 of 180 servers were retired instead of migrated when owners were "
            "asked first.",
            learned="Owners keep servers because nobody asks.",
            recommendation="Ask 'retire, replace or move?' for every workload.",
            owner="james",
        ),
        lesson(
            0.99,
            "Size the network for the largest database, not the average",
            type="to_improve",
            category="technical",
            stage="delivery",
            happened="Wave 14's 6 TB database could not replicate in the window.",
            learned="One large system can set the pace of a whole migration.",
            recommendation="Plan bandwidth and seeding for the largest data sets first.",
            owner="george",
        ),
        lesson(
            0.99,
            "A month of float before a hard contract date saved us",
            type="went_well",
            category="planning",
            stage="delivery",
            happened="The three-week slip of wave 14 was absorbed by the float.",
            learned="Hard dates need visible, protected float.",
            recommendation="Plan to finish a month before any immovable contract date.",
            owner="james",
        ),
        lesson(
            0.99,
            "Check licences for cloud hosting during discovery",
            type="to_improve",
            category="suppliers",
            stage="starting_up",
            happened="Two vendors' licences forbade cloud hosting; found in wave planning.",
            learned="Licence terms are as much a dependency as technology.",
            recommendation="Review licence terms of every application before choosing a "
            "target platform.",
            owner="james",
        ),
        lesson(
            0.99,
            "Cut-over checklists caught most problems",
            type="went_well",
            category="quality",
            stage="delivery",
            happened="After wave 6's firewall miss, a rule review was added to the "
            "checklist; no later wave had a firewall incident.",
            learned="Checklists improve when every incident adds a line.",
            recommendation="Review the checklist after every cut-over.",
            owner="george",
        ),
        lesson(
            0.99,
            "Keep the sponsor close when the date is at risk",
            type="went_well",
            category="governance",
            stage="delivery",
            happened="Weekly calls with the sponsor during the amber summer got the "
            "temporary link approved in a day.",
            learned="Fast decisions need a sponsor who already knows the details.",
            recommendation="Move to weekly sponsor check-ins when a project turns amber.",
            owner="james",
        ),
        lesson(
            0.99,
            "Hand over running costs before the team disbands",
            type="to_improve",
            category="people",
            stage="closure",
            happened="The project closed with the cloud cost reports still owned by the "
            "project's engineer; operations had not agreed to take them.",
            learned="Closure was planned around the technology, not the running service.",
            recommendation="Name the operational owner of every report and budget at the "
            "last stage gate, before closure is approved.",
            owner="james",
        ),
        lesson(
            0.99,
            "The closure report was written from the RAID log in a day",
            type="went_well",
            category="governance",
            stage="closure",
            happened="Every decision, change and issue was in the log with its dates.",
            learned="A well-kept log is the project's memory when people move on.",
            recommendation="Keep decisions and changes in the log, not in e-mail threads.",
            owner="james",
        ),
        lesson(
            0.99,
            "Application owners need protected time for testing",
            type="to_improve",
            category="people",
            stage="delivery",
            happened="Several cut-overs waited for owners who had no time to test.",
            learned="Testing was treated as a favour, not planned work.",
            recommendation="Agree owners' testing time with their managers at wave planning.",
            owner="james",
        ),
    ]


def _amlscreen() -> list[Item]:
    """AML screening upgrade: cancelled when the vendor offered a managed service."""
    return [
        risk(
            "false-positives",
            0.15,
            "False positives swamp the financial crime team",
            cat="operational",
            cause="The new engine's fuzzy matching is stricter than the current one.",
            event="Daily alerts rise from 300 to over 1,000.",
            effect="Backlogs; payments held for members; regulatory criticism.",
            owner="grace",
            p=4,
            i=4,
            strategy="reduce",
            response="Tune thresholds per customer segment with two weeks of parallel screening.",
            after=(2, 3),
            steps=(later(0.98, status="closed", description="Project cancelled."),),
        ),
        risk(
            "list-updates",
            0.2,
            "Sanctions list updates not applied the same day",
            cat="legal",
            cause="List loads are manual in the current engine.",
            event="A newly designated person is not screened for a day.",
            effect="A sanctions breach reportable to OFSI.",
            owner="marcus",
            p=2,
            i=5,
            strategy="reduce",
            response="Automated list loads within two hours of publication.",
            after=(1, 5),
            steps=(
                later(
                    0.98, status="closed", description="Handled by the vendor's managed service."
                ),
            ),
        ),
        risk(
            "managed-service",
            0.55,
            "Vendor offers screening as a managed service",
            opportunity=True,
            cat="strategic",
            cause="The vendor is moving customers to its managed service.",
            event="The managed service is offered under the existing contract.",
            effect="No upgrade project needed; list management moves to the vendor.",
            owner="marcus",
            p=3,
            i=4,
            strategy="exploit",
            response="Due diligence on the managed service; compare with the upgrade.",
            after=(5, 4),
            cost=(-150000, -120000, -90000),
            steps=(later(0.95, status="closed", description="Exploited: project cancelled."),),
        ),
        issue(
            None,
            0.45,
            "Upgrade needs a database version we do not run",
            type="off_specification",
            priority=HIGH,
            owner="aisha",
            steps=(resolved(0.96, "Moot: project cancelled.", status="closed"),),
        ),
        decision(
            "dec-cancel",
            0.96,
            "Cancel the upgrade and move to the vendor's managed service",
            rationale="Same controls, no infrastructure to run, £120k of budget returned; "
            "the CRO confirmed the managed service meets the firm's sanctions obligations.",
            alternatives="Continue the upgrade as planned.",
            decided_by="marcus",
            links=(("relates_to", "managed-service"),),
        ),
        action(
            None,
            0.6,
            "Due diligence on the vendor's managed service",
            owner="grace",
            due=A(30),
            source="risk",
            detail="[[managed-service]]",
            steps=(started(0.65), done(0.9)),
        ),
        action(
            None,
            0.97,
            "Return unspent budget to the regulatory portfolio",
            owner="aisha",
            due=A(10),
            source="decision",
            detail="[[dec-cancel]]",
            steps=(done(0.99),),
        ),
        lesson(
            0.99,
            "Ask the vendor about its roadmap before starting an upgrade",
            type="to_improve",
            category="suppliers",
            stage="starting_up",
            happened="Four months into the upgrade the vendor offered a managed service "
            "that made the project unnecessary.",
            learned="The vendor had planned the service for a year.",
            recommendation="Ask suppliers for their two-year roadmap in every business case.",
            owner="aisha",
        ),
        lesson(
            0.99,
            "Stopping early is a good outcome",
            type="went_well",
            category="governance",
            stage="closure",
            happened="The board cancelled within three weeks of the option appearing and "
            "returned £120k.",
            learned="Clear tolerances made cancelling a decision, not a failure.",
            recommendation="Report cancelled projects' savings as benefits.",
            owner="marcus",
        ),
        lesson(
            0.99,
            "Parallel screening data is reusable",
            type="went_well",
            category="quality",
            stage="delivery",
            happened="The threshold tuning data was handed to the vendor and shortened "
            "their onboarding.",
            learned="Good test data outlives the project that made it.",
            recommendation="Archive test data sets with the project's documents.",
            owner="grace",
        ),
        lesson(
            0.99,
            "Involve financial crime analysts from the start",
            type="to_improve",
            category="stakeholders",
            stage="initiation",
            happened="Analysts joined in month three and changed the alert design.",
            learned="The people who clear alerts know what a useful alert is.",
            recommendation="Put an end user on the project team from initiation.",
            owner="grace",
        ),
    ]


def _portal() -> list[Item]:
    """Member portal: a proposal, with the risks and dependencies of its business case."""
    return [
        risk(
            None,
            0.2,
            "Members do not adopt self-service",
            cat="strategic",
            cause="Older members prefer branches and the phone.",
            event="Fewer than 15% of members register in the first year.",
            effect="Call reduction and the business case are not achieved.",
            owner="daniel",
            p=3,
            i=4,
            strategy="reduce",
            response="Branch staff help members register; simple registration with the "
            "existing member number.",
            after=(2, 4),
            review=T(40),
        ),
        risk(
            None,
            0.3,
            "Fraudsters take over member accounts",
            cat="technical",
            cause="Online access to change contact details.",
            event="Account takeover through stolen credentials.",
            effect="Member losses, reimbursement and reputational damage.",
            owner="hannah",
            actionee="sophie",
            p=3,
            i=5,
            strategy="reduce",
            response="Strong customer authentication; notify members of every change by "
            "the old and new contact details.",
            after=(1, 4),
            review=T(60),
        ),
        risk(
            None,
            0.4,
            "Portal start delayed by the CRM and data platform",
            cat="schedule",
            cause="Both projects the portal depends on are still delivering.",
            event="Case management or statements data are not ready in January.",
            effect="Portal starts late or builds temporary feeds.",
            owner="hannah",
            p=4,
            i=3,
            strategy="accept",
            response="Start with discovery and design, which need neither.",
            review=T(-3),
        ),
        assumption(
            None,
            0.3,
            "30% of routine calls can move online",
            owner="daniel",
            due=T(45),
            consequence="The business case would need re-basing.",
        ),
        assumption(
            None,
            0.5,
            "The CRM's case API is available to the portal",
            owner="hannah",
            due=T(30),
            consequence="Portal requests would need re-keying by advisers.",
        ),
        dependency(
            None,
            0.45,
            "Case management API from the new CRM",
            owner="hannah",
            project="CRM",
            need_by=T(150),
        ),
        action(
            None,
            0.55,
            "Prepare the portal business case for the January portfolio review",
            owner="hannah",
            due=T(25),
            detail="Portfolio board, {date}",
            steps=(started(0.7),),
        ),
        action(
            None,
            0.6,
            "Run member research sessions in three branches",
            owner="sophie",
            due=T(-6),
            source="risk",
            by="sophie",
        ),
        decision(
            None,
            0.8,
            "Start in January with discovery only",
            rationale="Waits for the CRM's case API without idle build staff.",
            alternatives="Start build in November as first proposed.",
            decided_by="bob",
        ),
    ]


def _climate() -> list[Item]:
    """Climate disclosures: a proposal with data and regulatory unknowns."""
    return [
        risk(
            None,
            0.2,
            "No energy performance data for a third of the mortgage book",
            cat="technical",
            cause="EPC ratings exist only for properties sold or let since 2008.",
            event="Financed emissions must be estimated for many mortgages.",
            effect="Disclosures rely on proxies the auditors challenge.",
            owner="aisha",
            actionee="grace",
            p=4,
            i=3,
            strategy="reduce",
            response="Buy modelled EPC data; disclose the estimation method.",
            after=(3, 2),
            review=T(30),
            cost=(15000, 25000, 40000),
        ),
        risk(
            None,
            0.3,
            "Final disclosure rules change the scope",
            cat="legal",
            cause="UK sustainability reporting standards are still being finalised.",
            event="The final rules add scope 3 categories or scenario requirements.",
            effect="More work than planned for the first report.",
            owner="fiona",
            p=3,
            i=3,
            strategy="accept",
            response="Accepted: plan for the draft standard, review when final.",
            review=T(50),
        ),
        risk(
            None,
            0.35,
            "No in-house scenario analysis skills",
            cat="people",
            cause="Climate scenario modelling is new to the finance and risk teams.",
            event="The scenario analysis is late or weak.",
            effect="Auditor findings; the board lacks confidence in the disclosure.",
            owner="aisha",
            p=4,
            i=3,
            strategy="transfer",
            response="Buy scenario modelling from a specialist firm with knowledge transfer.",
            after=(2, 3),
        ),
        assumption(
            None,
            0.3,
            "The data platform can hold property-level EPC data",
            owner="grace",
            due=T(20),
            consequence="A separate data store would be needed.",
        ),
        dependency(
            None,
            0.4,
            "Mortgage book data with property details from the data platform",
            owner="grace",
            project="DATAPLAT",
            need_by=T(200),
        ),
        dependency(
            None,
            0.45,
            "Final UK sustainability disclosure standards",
            owner="aisha",
            party="FCA and the UK Endorsement Board (regulator)",
            need_by=T(120),
        ),
        action(
            None,
            0.5,
            "Get quotes for modelled EPC data",
            owner="grace",
            due=T(-4),
            source="risk",
        ),
        action(
            None,
            0.6,
            "Draft the project brief for the portfolio board",
            owner="aisha",
            due=T(12),
            detail="Portfolio board, {date}",
            steps=(started(0.8),),
        ),
    ]


# Routine governance actions every project has; each project gets a few, at its own times.
_GOVERNANCE = [
    ("Refresh the risk register before the quarterly portfolio review", "Portfolio review, {date}"),
    ("Send the monthly highlight report to {sponsor}", "Project board, {date}"),
    ("Confirm attendees and papers for the stage gate", "Stage gate, {date}"),
    ("Reconcile project spend to date with the finance ledger", "Month end, {date}"),
    ("Update the plan baseline after the approved change", "Change control, {date}"),
    ("Check the benefits measures with finance", "Project board, {date}"),
    ("Close or re-plan open actions older than a month", "RAID review, {date}"),
    ("Update the communications plan for the next stage", "Project board, {date}"),
    ("Agree stage tolerances with {sponsor}", "Project board, {date}"),
    ("Confirm team availability for the next stage with resourcing", "Project board, {date}"),
    ("Prepare the end-of-stage report for {sponsor}", "Stage gate, {date}"),
    ("Book the lessons learned session for the end of the stage", "Project board, {date}"),
]


def _governance(first: int, owners: tuple[str, ...], ats: tuple[float, ...]) -> list[Item]:
    """Routine actions: the older ones done, the latest still open (one of them late)."""
    items = []
    for number, at in enumerate(ats):
        title, detail = _GOVERNANCE[(first + number) % len(_GOVERNANCE)]
        owner = owners[number % len(owners)]
        last = number == len(ats) - 1
        if at < 0.85:
            steps = (done(min(at + 0.04, 0.99)),)
            due = A(10)
        else:
            steps = ()
            due = T(-4) if last else T(11)
        items.append(action(None, at, title, owner=owner, due=due, detail=detail, steps=steps))
    return items


def _with_governance(build, first: int, owners: tuple[str, ...], ats: tuple[float, ...]):
    return lambda: [*build(), *_governance(first, owners, ats)]


# Project code → its log story. Loaded in this order, so dependencies on other demo
# projects find them (each project exists before any logs are loaded).
LOGS = {
    "CRM": _crm,
    "DATAPLAT": _with_governance(_dataplat, 0, ("mary", "priya"), (0.3, 0.55, 0.93)),
    "NETREFRESH": _with_governance(
        _netrefresh, 1, ("james", "george"), (0.18, 0.4, 0.58, 0.76, 0.9, 0.95)
    ),
    "RETENTION": _with_governance(
        _retention, 3, ("aisha", "grace"), (0.22, 0.36, 0.5, 0.66, 0.84, 0.91, 0.96)
    ),
    "PAYROLL": _with_governance(_payroll, 5, ("hannah", "nina"), (0.3, 0.48, 0.7, 0.88, 0.96)),
    "HQMOVE": _with_governance(_hqmove, 2, ("james", "omar"), (0.15, 0.35, 0.52, 0.6, 0.9)),
    "DCEXIT": _dcexit,
    "AMLSCREEN": _amlscreen,
    "PORTAL": _portal,
    "CLIMATE": _climate,
}
