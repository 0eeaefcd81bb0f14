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
    """A date ``days`` after the item was raised."""

    days: int


@dataclass(frozen=True)
class Step:
    """Something that happened to an item later: a change, a workflow move, occurrence."""

    at: float
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


def later(at: float, who: str | None = None, **changes) -> Step:
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
    return Item(kind, key, steps[0].at, None, {}, tuple(steps), existing=True)


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
    return Item("risks", key, at, by, fields, tuple(steps), tuple(links))


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
    return Item("assumptions", key, at, by, fields, tuple(steps))


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
    return Item("issues", key, at, by, fields, tuple(steps), tuple(links))


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
    return Item("dependencies", key, at, by, fields, tuple(steps))


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
    return Item("decisions", key, at, by, fields, tuple(steps), tuple(links))


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
    return Item("changes", key, at, by, fields, tuple(steps), tuple(links))


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
    return Item("actions", key, at, by, fields, tuple(steps), tuple(links))


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
DONE = {"status": "done"}


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
        project = Project.objects.filter(code=code).select_related("manager").first()
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
        members = Membership.objects.filter(
            project=project, person__user__isnull=False
        ).select_related("person__user")
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
        """Fill in "{date}" (the day raised) and "[[key]]" (another item's reference)."""
        value = value.replace("{date}", _long_date(raised))
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
                events.append((max(raised, self.day_at(step.at)), order, number, spec, step))
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


LOGS = {
    "CRM": _crm,
    "DATAPLAT": _dataplat,
}
