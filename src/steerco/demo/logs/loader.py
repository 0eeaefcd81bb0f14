"""Loads the demo's log stories: writes each item through the logs services, then dates it.

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
from decimal import Decimal
from typing import Any

from django.utils import timezone

from steerco.accounts.rules import has_perm
from steerco.logs import services
from steerco.logs.kinds import kind_for
from steerco.logs.models import Action, ChangeRequest, ItemLink, LogCounter
from steerco.plans.models import Task
from steerco.projects.models import Membership, Project
from steerco.resources.models import Person

from .projects import STORIES
from .story import DaysAfter, DaysFromToday, ItemStory, PointInLife, Step

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
    for code, story in STORIES.items():
        project = Project.objects.filter(code=code).select_related("sponsor").first()
        if project is None or LogCounter.objects.filter(project=project).exists():
            continue
        made += ProjectLogLoader(project, actor_of, people, today).load(story())
    return made


def _working_day(day: dt.date, first: dt.date) -> dt.date:
    """Move a weekend date back to the Friday: nobody logged risks on a Sunday.

    A weekend day in the project's first days, with no Friday after ``first``, stays.
    """
    if day.weekday() >= 5:
        friday = day - dt.timedelta(days=day.weekday() - 4)
        return friday if friday >= first else day
    return day


_REFERENCE = re.compile(r"\[\[([\w-]+)\]\]")


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


class WorkingHoursClock:
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


class ProjectLogLoader:
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
        """The working day at fraction ``at`` of the project's life."""
        span = (self.last - self.first).days
        return _working_day(self.first + dt.timedelta(days=round(span * at)), self.first)

    def resolve(self, value, raised: dt.date):
        """The date a story's date means (``value`` itself if it is no such date)."""
        if isinstance(value, DaysFromToday):
            return _working_day(self.last + dt.timedelta(days=value.days), self.first)
        if isinstance(value, PointInLife):
            return self.day_at(value.at)
        if isinstance(value, DaysAfter):
            return _working_day(raised + dt.timedelta(days=value.days), self.first)
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

    def load(self, items: list[ItemStory]) -> int:
        """Play every creation and later step in date order, then the links."""
        # Items without a key of their own are known by their place in the table.
        keys = [spec.key or f"#{order}" for order, spec in enumerate(items)]
        events = []
        for order, spec in enumerate(items):
            raised = self.day_at(spec.at)
            if not spec.existing:
                events.append((raised, order, 0, spec, None))
            for number, step in enumerate(spec.steps, start=1):
                day = self.resolve(step.at, raised) if isinstance(step.at, DaysFromToday) else None
                day = day or self.day_at(step.at)
                events.append((max(raised, day), order, number, spec, step))
        events.sort(key=lambda event: (event[0], event[1], event[2]))
        clock = WorkingHoursClock(self.started)
        made = 0
        for day, order, _number, spec, step in events:
            when = clock.at(day)
            if step is None:
                made += self.play_creation(keys[order], spec, day, when)
            elif keys[order] in self.items:
                made += self.play_step(keys[order], spec, step, day, when)
        for key, spec in zip(keys, items, strict=True):
            for relation, target in spec.links:
                self.add_link(key, spec, relation, target)
        for (model, pk), when in self.touched.items():
            # Saves stamp ``updated_at`` now; the story last touched the item at ``when``.
            model.objects.filter(pk=pk).update(updated_at=when)
        return made

    def date_history(self, model, when: dt.datetime, **also) -> None:
        """Date the history records of ``model`` written by the event just played.

        Every earlier record is already dated in the past, so the records at or after
        the start of loading are exactly this event's.
        """
        if model not in self.history:
            self.history[model] = model.history.model
        self.history[model].objects.filter(history_date__gte=self.started).update(
            history_date=when, **also
        )

    def note_touched(self, item, when: dt.datetime) -> None:
        self.touched[(type(item), item.pk)] = when

    def play_creation(self, key: str, spec: ItemStory, day: dt.date, when: dt.datetime) -> int:
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
        self.date_history(kind.model, when, created_at=when, **self.backdate_completion(item, day))
        self.note_touched(item, when)
        self.items[key] = item
        self.created[key] = when
        return 1

    def play_step(
        self, key: str, spec: ItemStory, step: Step, day: dt.date, when: dt.datetime
    ) -> int:
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
            self.date_history(model, when, **also)
            self.note_touched(item, when)
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
            self.date_history(model, when)
            self.date_history(type(new), when, created_at=when)
            self.date_history(ItemLink, when, created_at=when)
            ItemLink.objects.filter(created_at__gte=self.started).update(created_at=when)
            self.note_touched(item, when)
            self.note_touched(new, when)
            self.items[step.issue_key] = new
            self.created[step.issue_key] = when
            return 1
        changes = self.values(step.changes, day) or {}
        if changes.get("escalated_to_pmo") or changes.get("escalated_to"):
            changes.setdefault("escalated_on", day)
        services.item_update(actor=actor, item=item, expected_version=item.version, **changes)
        self.date_history(model, when, **self.backdate_completion(item, day))
        self.note_touched(item, when)
        return 0

    def backdate_completion(self, item, day: dt.date) -> dict[str, Any]:
        """Services date a completion today; the story completed the action on ``day``."""
        if not isinstance(item, Action) or item.completed_on in (None, day):
            return {}
        if item.completed_on != timezone.localdate():
            return {}  # completed at an earlier step, already dated
        item.completed_on = day
        Action.objects.filter(pk=item.pk).update(completed_on=day)
        return {"completed_on": day}

    def add_link(self, key: str, spec: ItemStory, relation: str, target: str) -> None:
        source = self.items.get(key)
        if target.startswith("task:"):
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
        self.date_history(ItemLink, when, created_at=when)
        ItemLink.objects.filter(created_at__gte=self.started).update(created_at=when)
