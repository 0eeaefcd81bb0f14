"""The demo organisation: Kestrel Mutual, a mid-size building society, as plain data.

Everything is created through the same services the pages and the API use, by the demo
user who would do it in real life, so permissions are exercised and the audit history
reads like a real one: the PMO registers projects, managers move them through their life,
project support keeps them current. History entries are then dated across the past year,
as if the organisation had used SteerCo all along.

Loading is idempotent: each object has a natural key (username, e-mail, code) and is
created only when missing, so a second run changes nothing. Later features extend the
data here (risks, budgets, skills...) and give their loaders the same property.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from steerco.accounts.models import OrganisationRole
from steerco.accounts.rules import forget_cached_roles
from steerco.accounts.services import organisation_role_grant
from steerco.projects.models import Membership, Portfolio, Project
from steerco.projects.services import membership_add, portfolio_create, project_create
from steerco.projects.services import project_update as _project_update
from steerco.resources.models import Person
from steerco.resources.services import person_create

from .bookings import load_demo_bookings
from .logs import load_demo_logs
from .plans import load_demo_plans
from .staffing import load_demo_staffing

DEMO_PASSWORD = "demo"  # noqa: S105 — public by design, never used in production
EMAIL_DOMAIN = "kestrel-mutual.example"

Role = OrganisationRole.Role
M = Membership.Role


class DemoRefused(Exception):
    """The demo organisation must never be loaded into a production database."""


@dataclass(frozen=True)
class DemoUser:
    username: str
    name: str
    team: str
    job_title: str
    role_summary: str
    organisation_role: str | None = None
    superuser: bool = False


@dataclass(frozen=True)
class DemoPerson:
    key: str
    name: str
    team: str
    job_title: str


@dataclass(frozen=True)
class DemoPortfolio:
    code: str
    name: str
    owner: str
    description: str


@dataclass(frozen=True)
class DemoProject:
    """A project, its team and its life so far.

    ``registered`` is when the PMO (``registered_by``) recorded it, with the fields in
    ``initial`` overriding the final ones; ``events`` are later changes, each
    ``(date, username, {field: value})``; ``members`` are ``(person key, role, date)``,
    added by the project manager (or the PMO when the manager has no login).
    """

    code: str
    name: str
    portfolio: str | None
    manager: str
    sponsor: str
    status: str
    health: str
    planned_start: date
    planned_finish: date
    description: str
    registered: date
    registered_by: str = "bob"
    initial: dict = field(default_factory=dict)
    events: list[tuple[date, str, dict]] = field(default_factory=list)
    members: list[tuple[str, str, date]] = field(default_factory=list)


USERS = [
    DemoUser(
        "admin",
        "Alex Kent",
        "IT",
        "IT service manager",
        "Administrator (superuser)",
        Role.ADMINISTRATOR,
        superuser=True,
    ),
    DemoUser(
        "bob",
        "Bob Harris",
        "PMO",
        "Head of PMO",
        "PMO manager: every project and portfolio",
        Role.PMO,
    ),
    DemoUser(
        "mary",
        "Mary Okafor",
        "PMO",
        "Project support officer",
        "Project support on CRM and DATAPLAT",
    ),
    DemoUser(
        "priya",
        "Priya Shah",
        "Delivery",
        "Senior project manager",
        "Project manager of CRM and DATAPLAT",
    ),
    DemoUser(
        "tom",
        "Tom Fletcher",
        "Digital",
        "Software engineer",
        "Team member on CRM",
    ),
    DemoUser(
        "erin",
        "Erin Walsh",
        "Executive",
        "Chief operating officer",
        "Executive: reads everything, changes nothing",
        Role.EXECUTIVE,
    ),
    DemoUser(
        "rita",
        "Rita Costa",
        "Resourcing",
        "Resource manager",
        "Resource manager: people; reads every project",
        Role.RESOURCE_MANAGER,
    ),
    DemoUser(
        "olga",
        "Olga Novak",
        "Finance",
        "Management accountant",
        "No role: sees no project",
    ),
]

# People without a login: sponsors, managers from other teams, specialists, contractors.
PEOPLE = [
    DemoPerson("daniel", "Daniel Price", "Executive", "Chief digital officer"),
    DemoPerson("helen", "Helen Carter", "Estates & facilities", "Director of estates"),
    DemoPerson("marcus", "Marcus Reid", "Risk & compliance", "Chief risk officer"),
    DemoPerson("fiona", "Fiona Lang", "Finance", "Chief financial officer"),
    DemoPerson("james", "James O'Neill", "Delivery", "Project manager"),
    DemoPerson("aisha", "Aisha Khan", "Delivery", "Senior project manager"),
    DemoPerson("hannah", "Hannah Brooks", "Delivery", "Project manager"),
    DemoPerson("ravi", "Ravi Menon", "Data", "Data engineer"),
    DemoPerson("sophie", "Sophie Turner", "Digital", "User experience designer"),
    DemoPerson("george", "George Adams", "IT infrastructure", "Network engineer"),
    DemoPerson("nina", "Nina Petrova", "Quality", "Test lead"),
    DemoPerson("grace", "Grace Liu", "Risk & compliance", "Compliance analyst"),
    DemoPerson("omar", "Omar Haddad", "Estates & facilities", "Facilities coordinator"),
    DemoPerson(
        "lukas", "Lukas Becker", "Digital", "Solution architect (contractor, Becker Consulting)"
    ),
    DemoPerson("chloe", "Chloe Martin", "Data", "Business analyst (contractor)"),
]

PORTFOLIOS = [
    DemoPortfolio(
        "DIGITAL",
        "Digital transformation",
        "daniel",
        "Change to how members are served and how the society uses its data: the CRM "
        "replacement, the data platform that feeds it, and self-service built on both.",
    ),
    DemoPortfolio(
        "ESTATES",
        "Infrastructure & estates",
        "helen",
        "Buildings, branch networks and hosting. Most projects here are driven by lease "
        "events and end-of-life equipment, so dates are hard constraints.",
    ),
    DemoPortfolio(
        "REGULATORY",
        "Regulatory & compliance",
        "marcus",
        "Mandatory change arising from regulation and law. Projects here cannot be "
        "deprioritised, only re-scoped with the Chief Risk Officer's agreement.",
    ),
]

D = date

PROJECTS = [
    DemoProject(
        code="CRM",
        name="Customer relationship management replacement",
        portfolio="DIGITAL",
        manager="priya",
        sponsor="daniel",
        status=Project.Status.ACTIVE,
        health=Project.Health.GREEN,
        planned_start=D(2026, 2, 2),
        planned_finish=D(2027, 3, 26),
        description=(
            "Replace the end-of-life contact-centre CRM with a cloud CRM used by the contact "
            "centre and all 42 branches.\n\n"
            "Scope: single customer view, case management, complaint handling within the "
            "regulator's timescales, and migration of 1.2 million member records. Mortgage "
            "origination is out of scope.\n\n"
            "Success: average call handling time down 20%; the legacy support contract "
            "(£340k a year) ends on 31 March 2027."
        ),
        registered=D(2026, 1, 12),
        initial={"status": Project.Status.PROPOSED, "health": Project.Health.NOT_ASSESSED},
        events=[
            (D(2026, 1, 30), "bob", {"status": Project.Status.ACTIVE}),
            (D(2026, 2, 16), "priya", {"health": Project.Health.GREEN}),
            (D(2026, 5, 11), "priya", {"health": Project.Health.AMBER}),
            (D(2026, 7, 6), "mary", {"health": Project.Health.GREEN}),
        ],
        members=[
            ("mary", M.PROJECT_SUPPORT, D(2026, 1, 30)),
            ("lukas", M.TEAM_MEMBER, D(2026, 2, 2)),
            ("tom", M.TEAM_MEMBER, D(2026, 2, 9)),
            ("sophie", M.TEAM_MEMBER, D(2026, 2, 9)),
            ("nina", M.TEAM_MEMBER, D(2026, 4, 20)),
        ],
    ),
    DemoProject(
        code="DATAPLAT",
        name="Enterprise data platform",
        portfolio="DIGITAL",
        manager="priya",
        sponsor="daniel",
        status=Project.Status.ACTIVE,
        health=Project.Health.AMBER,
        planned_start=D(2026, 4, 6),
        planned_finish=D(2027, 6, 30),
        description=(
            "A governed data platform replacing the nightly spreadsheet extracts that feed "
            "finance, risk and the CRM.\n\n"
            "Scope: ingestion from core banking, the mortgage system and the CRM; a curated "
            "member and product model; self-service reporting for finance and risk.\n\n"
            "Amber since August: the core-banking vendor's extract interface arrived eight "
            "weeks late. Finish moved to June 2027 with the sponsor's agreement."
        ),
        registered=D(2026, 2, 23),
        initial={
            "status": Project.Status.PROPOSED,
            "health": Project.Health.NOT_ASSESSED,
            "planned_finish": D(2027, 4, 30),
        },
        events=[
            (D(2026, 3, 30), "bob", {"status": Project.Status.ACTIVE}),
            (D(2026, 4, 20), "priya", {"health": Project.Health.GREEN}),
            (D(2026, 8, 24), "priya", {"health": Project.Health.AMBER}),
            (D(2026, 10, 5), "bob", {"planned_finish": D(2027, 6, 30)}),
        ],
        members=[
            ("mary", M.PROJECT_SUPPORT, D(2026, 3, 30)),
            ("ravi", M.TEAM_MEMBER, D(2026, 4, 6)),
            ("chloe", M.TEAM_MEMBER, D(2026, 4, 6)),
        ],
    ),
    DemoProject(
        code="PORTAL",
        name="Member self-service portal",
        portfolio="DIGITAL",
        manager="hannah",
        sponsor="daniel",
        status=Project.Status.PROPOSED,
        health=Project.Health.NOT_ASSESSED,
        planned_start=D(2027, 1, 11),
        planned_finish=D(2027, 9, 24),
        description=(
            "Let members update their details, download statements and raise requests "
            "online, taking an estimated 30% of routine calls out of the contact centre.\n\n"
            "Proposal for the January 2027 portfolio review. Depends on the CRM replacement "
            "(case management) and the data platform (statements)."
        ),
        registered=D(2026, 9, 14),
        events=[
            (
                D(2026, 10, 19),
                "bob",
                {"planned_start": D(2027, 1, 11), "planned_finish": D(2027, 9, 24)},
            ),
        ],
        initial={"planned_start": D(2026, 11, 2), "planned_finish": D(2027, 6, 25)},
        members=[("sophie", M.TEAM_MEMBER, D(2026, 9, 21))],
    ),
    DemoProject(
        code="HQMOVE",
        name="Head office consolidation",
        portfolio="ESTATES",
        manager="james",
        sponsor="helen",
        status=Project.Status.ON_HOLD,
        health=Project.Health.RED,
        planned_start=D(2026, 3, 2),
        planned_finish=D(2027, 6, 25),
        description=(
            "Consolidate the two head-office buildings into Riverside House and surrender "
            "the Castle Street lease.\n\n"
            "On hold since September: the Castle Street landlord disputes the dilapidations "
            "schedule, and the board paused fit-out spending until the lease exit terms are "
            "agreed. Red because the lease break date (December 2026) will be missed."
        ),
        registered=D(2026, 1, 19),
        initial={
            "status": Project.Status.PROPOSED,
            "health": Project.Health.NOT_ASSESSED,
            "planned_finish": D(2026, 12, 18),
        },
        events=[
            (D(2026, 2, 23), "bob", {"status": Project.Status.ACTIVE}),
            (D(2026, 3, 9), "bob", {"health": Project.Health.GREEN}),
            (D(2026, 6, 15), "bob", {"health": Project.Health.AMBER}),
            (D(2026, 8, 3), "bob", {"health": Project.Health.RED}),
            (
                D(2026, 9, 7),
                "bob",
                {"status": Project.Status.ON_HOLD, "planned_finish": D(2027, 6, 25)},
            ),
        ],
        members=[
            ("omar", M.TEAM_MEMBER, D(2026, 2, 23)),
            ("george", M.TEAM_MEMBER, D(2026, 3, 9)),
        ],
    ),
    DemoProject(
        code="NETREFRESH",
        name="Branch network refresh",
        portfolio="ESTATES",
        manager="james",
        sponsor="helen",
        status=Project.Status.ACTIVE,
        health=Project.Health.GREEN,
        planned_start=D(2026, 5, 4),
        planned_finish=D(2027, 2, 26),
        description=(
            "Replace branch routers and switches that leave vendor support in March 2027, "
            "and move all 42 branches to the managed SD-WAN service.\n\n"
            "Rolled out in waves of six branches, each over a weekend; 24 of 42 done."
        ),
        registered=D(2026, 3, 16),
        initial={"status": Project.Status.PROPOSED, "health": Project.Health.NOT_ASSESSED},
        events=[
            (D(2026, 4, 27), "bob", {"status": Project.Status.ACTIVE}),
            (D(2026, 5, 11), "bob", {"health": Project.Health.GREEN}),
        ],
        members=[
            ("george", M.TEAM_MEMBER, D(2026, 4, 27)),
            ("nina", M.TEAM_MEMBER, D(2026, 6, 1)),
        ],
    ),
    DemoProject(
        code="DCEXIT",
        name="Data centre exit",
        portfolio="ESTATES",
        manager="james",
        sponsor="daniel",
        status=Project.Status.CLOSED,
        health=Project.Health.GREEN,
        planned_start=D(2026, 1, 5),
        planned_finish=D(2026, 10, 30),
        description=(
            "Move the remaining 180 servers out of the Docklands data centre before the "
            "co-location contract ends on 31 October 2026.\n\n"
            "Closed in November: all workloads migrated or retired, contract ended on time, "
            "lessons recorded for the branch network refresh."
        ),
        registered=D(2025, 11, 3),
        initial={"status": Project.Status.PROPOSED, "health": Project.Health.NOT_ASSESSED},
        events=[
            (D(2025, 12, 1), "bob", {"status": Project.Status.ACTIVE}),
            (D(2026, 1, 12), "bob", {"health": Project.Health.GREEN}),
            (D(2026, 7, 13), "bob", {"health": Project.Health.AMBER}),
            (D(2026, 9, 21), "bob", {"health": Project.Health.GREEN}),
            (D(2026, 11, 6), "bob", {"status": Project.Status.CLOSED}),
        ],
        members=[("george", M.TEAM_MEMBER, D(2025, 12, 1))],
    ),
    DemoProject(
        code="RETENTION",
        name="Records retention and disposal",
        portfolio="REGULATORY",
        manager="aisha",
        sponsor="marcus",
        status=Project.Status.ACTIVE,
        health=Project.Health.AMBER,
        planned_start=D(2026, 5, 18),
        planned_finish=D(2027, 3, 31),
        description=(
            "Apply the records retention schedule to every system holding member data and "
            "dispose of records held beyond it, as data protection law requires.\n\n"
            "Amber: the mortgage system cannot delete individual records; a supplier change "
            "is being costed."
        ),
        registered=D(2026, 4, 6),
        initial={"status": Project.Status.PROPOSED, "health": Project.Health.NOT_ASSESSED},
        events=[
            (D(2026, 5, 11), "bob", {"status": Project.Status.ACTIVE}),
            (D(2026, 5, 25), "bob", {"health": Project.Health.GREEN}),
            (D(2026, 9, 28), "bob", {"health": Project.Health.AMBER}),
        ],
        members=[
            ("grace", M.TEAM_MEMBER, D(2026, 5, 11)),
            ("chloe", M.TEAM_MEMBER, D(2026, 6, 8)),
        ],
    ),
    DemoProject(
        code="CLIMATE",
        name="Climate-related financial disclosures",
        portfolio="REGULATORY",
        manager="aisha",
        sponsor="fiona",
        status=Project.Status.PROPOSED,
        health=Project.Health.NOT_ASSESSED,
        planned_start=D(2027, 1, 4),
        planned_finish=D(2027, 12, 17),
        description=(
            "Prepare the first climate-related disclosures in the 2027 annual report: "
            "governance, scenario analysis of the mortgage book, and financed emissions.\n\n"
            "Awaiting approval at the January 2027 portfolio board."
        ),
        registered=D(2026, 10, 12),
        members=[("grace", M.TEAM_MEMBER, D(2026, 10, 12))],
    ),
    DemoProject(
        code="AMLSCREEN",
        name="Sanctions and AML screening upgrade",
        portfolio="REGULATORY",
        manager="aisha",
        sponsor="marcus",
        status=Project.Status.CANCELLED,
        health=Project.Health.AMBER,
        planned_start=D(2026, 3, 2),
        planned_finish=D(2026, 11, 27),
        description=(
            "Upgrade the on-premises sanctions and anti-money-laundering screening engine.\n\n"
            "Cancelled in June: the vendor now provides screening as a managed service "
            "under the existing contract, which removes the need for this project. "
            "£120k of unspent budget returned to the portfolio."
        ),
        registered=D(2026, 1, 26),
        initial={"status": Project.Status.PROPOSED, "health": Project.Health.NOT_ASSESSED},
        events=[
            (D(2026, 3, 2), "bob", {"status": Project.Status.ACTIVE}),
            (D(2026, 3, 16), "bob", {"health": Project.Health.GREEN}),
            (D(2026, 5, 18), "bob", {"health": Project.Health.AMBER}),
            (D(2026, 6, 29), "bob", {"status": Project.Status.CANCELLED}),
        ],
        members=[("grace", M.TEAM_MEMBER, D(2026, 3, 2))],
    ),
    DemoProject(
        code="PAYROLL",
        name="Payroll system upgrade",
        portfolio=None,
        manager="hannah",
        sponsor="fiona",
        status=Project.Status.ACTIVE,
        health=Project.Health.GREEN,
        planned_start=D(2026, 9, 1),
        planned_finish=D(2027, 4, 2),
        description=(
            "Upgrade the payroll system to the supplier's supported version before the "
            "April 2027 tax year. Business as usual change run by Finance, tracked by the "
            "PMO but outside the change portfolios."
        ),
        registered=D(2026, 8, 3),
        initial={"status": Project.Status.PROPOSED, "health": Project.Health.NOT_ASSESSED},
        events=[
            (D(2026, 8, 31), "bob", {"status": Project.Status.ACTIVE}),
            (D(2026, 9, 14), "bob", {"health": Project.Health.GREEN}),
        ],
        members=[("nina", M.TEAM_MEMBER, D(2026, 9, 1))],
    ),
]

USERS_JOINED = D(2025, 10, 1)


def email_of(key: str) -> str:
    """Demo e-mail address for a username or person key."""
    name = next((p.name for p in PEOPLE if p.key == key), None)
    name = name or next(u.name for u in USERS if u.username == key)
    local = name.lower().replace("'", "").replace(" ", ".")
    return f"{local}@{EMAIL_DOMAIN}"


@dataclass
class DemoLoadResult:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, what: str) -> None:
        self.created[what] = self.created.get(what, 0) + 1

    @property
    def changed_anything(self) -> bool:
        return any(self.created.values())


@contextmanager
def _dated(when: datetime, history_models: list) -> Iterator[None]:
    """Date every history record written inside the block at ``when``.

    Services stamp history with the current time; the demo tells a story over months.
    """
    marks = {
        model: model.objects.aggregate(top=Max("history_id"))["top"] or 0
        for model in history_models
    }
    yield
    for model, mark in marks.items():
        model.objects.filter(history_id__gt=mark).update(history_date=when)


class _Loader:
    def __init__(self) -> None:
        self.result = DemoLoadResult()
        self.now = timezone.now()
        self.users: dict = {}
        self.people: dict[str, Person] = {}
        self.portfolios: dict[str, Portfolio] = {}
        self._minute = 0
        # Looked up once: simple-history builds a manager on every ``Model.history``.
        self.history_models = [
            model.history.model for model in (Person, Portfolio, Project, Membership)
        ]

    def dated(self, when: datetime):
        return _dated(when, self.history_models)

    def at(self, day: date) -> datetime:
        """A working-hours time on ``day``, a minute after the previous one, never future."""
        self._minute += 1
        moment = timezone.make_aware(datetime.combine(day, time(9, 0))) + timedelta(
            minutes=self._minute
        )
        if moment >= self.now:
            # Story dates still ahead of the clock (a fresh install in early 2026) are
            # squeezed into the last day, keeping their order.
            moment = self.now - timedelta(days=1) + timedelta(seconds=self._minute)
        return moment

    def actor(self, username: str):
        user = self.users[username]
        forget_cached_roles(user)
        return user

    def load(self) -> DemoLoadResult:
        self.load_users()
        self.load_people()
        self.load_portfolios()
        for spec in PROJECTS:
            self.load_project(spec)
        self.load_plans()
        self.load_logs()
        load_demo_staffing(actor_of=self.actor, people=self.people, count=self.result.count)
        self.load_bookings()
        return self.result

    def load_plans(self) -> None:
        for _plan in range(load_demo_plans(actor_of=self.actor)):
            self.result.count("plans")

    def load_logs(self) -> None:
        for _item in range(load_demo_logs(actor_of=self.actor, people=self.people)):
            self.result.count("log items")

    def load_bookings(self) -> None:
        for _booking in range(load_demo_bookings(actor_of=self.actor)):
            self.result.count("bookings")

    def load_users(self) -> None:
        User = get_user_model()
        password_hash = None
        joined = self.at(USERS_JOINED)
        for spec in USERS:
            user = User.objects.filter(username=spec.username).first()
            if user is None:
                # One hash for all: argon2 is slow by design and the password is public.
                password_hash = password_hash or make_password(DEMO_PASSWORD)
                first, _, last = spec.name.partition(" ")
                user = User.objects.create(
                    username=spec.username,
                    password=password_hash,
                    email=email_of(spec.username),
                    first_name=first,
                    last_name=last,
                    is_superuser=spec.superuser,
                    is_staff=spec.superuser,
                    date_joined=joined,
                )
                self.result.count("users")
            if (
                spec.organisation_role
                and not user.organisation_roles.filter(role=spec.organisation_role).exists()
            ):
                organisation_role_grant(user=user, role=spec.organisation_role)
                self.result.count("organisation roles")
            self.users[spec.username] = user
        admin = self.actor("admin")
        for spec in USERS:
            user = self.users[spec.username]
            person = Person.objects.filter(user=user).first()
            if person is None:
                with self.dated(joined):
                    person = person_create(
                        actor=admin,
                        name=spec.name,
                        email=user.email or email_of(spec.username),
                        team=spec.team,
                        job_title=spec.job_title,
                        user=user,
                    )
                self.result.count("people")
            self.people[spec.username] = person

    def load_people(self) -> None:
        admin = self.actor("admin")
        for spec in PEOPLE:
            email = email_of(spec.key)
            person = Person.objects.filter(email=email).first()
            if person is None:
                with self.dated(self.at(USERS_JOINED)):
                    person = person_create(
                        actor=admin,
                        name=spec.name,
                        email=email,
                        team=spec.team,
                        job_title=spec.job_title,
                    )
                self.result.count("people")
            self.people[spec.key] = person

    def load_portfolios(self) -> None:
        for spec in PORTFOLIOS:
            portfolio = Portfolio.objects.filter(code=spec.code).first()
            if portfolio is None:
                with self.dated(self.at(USERS_JOINED + timedelta(days=14))):
                    portfolio = portfolio_create(
                        actor=self.actor("bob"),
                        code=spec.code,
                        name=spec.name,
                        description=spec.description,
                        owner=self.people[spec.owner],
                    )
                self.result.count("portfolios")
            self.portfolios[spec.code] = portfolio

    def load_project(self, spec: DemoProject) -> None:
        if Project.objects.filter(code=spec.code).exists():
            return
        final = {
            "status": spec.status,
            "health": spec.health,
            "planned_start": spec.planned_start,
            "planned_finish": spec.planned_finish,
        }
        first = {**final, **spec.initial}
        registered_at = self.at(spec.registered)
        with self.dated(registered_at):
            project = project_create(
                actor=self.actor(spec.registered_by),
                code=spec.code,
                name=spec.name,
                description=spec.description,
                sponsor=self.people[spec.sponsor],
                manager=self.people[spec.manager],
                portfolio=self.portfolios[spec.portfolio] if spec.portfolio else None,
                **first,
            )
        # Services stamp these with the clock; the story registered the project earlier.
        # Their history rows are dated alike, so no later change shows them moving.
        Project.objects.filter(pk=project.pk).update(created_at=registered_at)
        Project.history.filter(id=project.pk).update(created_at=registered_at)
        Membership.objects.filter(project=project).update(added_at=registered_at)
        Membership.history.filter(project_id=project.pk).update(added_at=registered_at)
        self.result.count("projects")

        manager_login = spec.manager if spec.manager in self.users else "bob"
        steps: list[tuple[date, int, object]] = [
            (day, 0, ("change", username, changes)) for day, username, changes in spec.events
        ]
        steps += [(day, 1, ("member", key, role)) for key, role, day in spec.members]
        for day, _order, step in sorted(steps, key=lambda s: (s[0], s[1])):
            when = self.at(day)
            with self.dated(when):
                if step[0] == "change":
                    _, username, changes = step
                    project = self._change(project, username, changes, day)
                else:
                    _, key, role = step
                    membership = membership_add(
                        actor=self.actor(manager_login),
                        project=project,
                        person=self.people[key],
                        role=role,
                    )
                    Membership.objects.filter(pk=membership.pk).update(added_at=when)
                    Membership.history.filter(id=membership.pk).update(added_at=when)
                    self.result.count("memberships")

    def _change(self, project: Project, username: str, changes: dict, day: date) -> Project:
        project = Project.objects.get(pk=project.pk)
        project = _project_update(
            actor=self.actor(username), project=project, expected_version=project.version, **changes
        )
        if project.closed_on is not None:
            # The service dates a closure today; the story closed it on ``day``.
            Project.objects.filter(pk=project.pk).update(closed_on=day)
            Project.history.filter(id=project.pk, closed_on__isnull=False).update(closed_on=day)
        return project


def refuse_in_production() -> None:
    if getattr(settings, "STEERCO_PRODUCTION", False):
        raise DemoRefused(
            "The demo organisation cannot be loaded with production settings: it creates "
            "users whose password is 'demo'."
        )


def load_demo_organisation() -> DemoLoadResult:
    """Create whatever of the demo organisation is missing; return what was created."""
    refuse_in_production()
    with transaction.atomic():
        return _Loader().load()


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, password) for each demo login, for printing."""
    return [(spec.username, spec.role_summary, DEMO_PASSWORD) for spec in USERS]
