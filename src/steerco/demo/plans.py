"""Demo plans: a real schedule for each demo project, with a baseline and progress.

Each plan is written as phases of work packages of tasks, the way a project manager
would outline it, then loaded through the same import the plan page uses (as SteerCo's
JSON plan format), baselined, and progressed to a status date so the Gantt chart,
baselines and milestones pages have something true to show: finished and part-done
work, critical paths and phase gates, and the slips each project's story tells
(``SLIPS``), so that its computed schedule RAG agrees with its description: CRM, the
branch network and payroll on track, the data platform and records retention amber, the
head office move (on hold) red. Team members own tasks, each of them some running in the
current week, so "My work" has something to show.

Plans are built deterministically from the project code, and loaded only into projects
that have no tasks yet, so loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from steerco.core.history import change_set
from steerco.engine.interop.plan_json import read_plan_json
from steerco.engine.scheduling import schedule_plan
from steerco.engine.scheduling.resources import fixed_units_work
from steerco.plans import services as plan_services
from steerco.plans.calendars.services import calendar_create
from steerco.plans.models import (
    Baseline,
    ProjectPlan,
    Task,
    TaskAssignment,
    TaskLink,
    WorkCalendar,
)
from steerco.plans.selectors import plan_view
from steerco.plans.transfer import plan_import
from steerco.projects.models import Membership, Project

DAY = 480


@dataclass(frozen=True)
class Phase:
    name: str
    packages: list[tuple[str, list[tuple[str, float]]]]
    gate: str | None = None


def _repeat(label: str, count: int, steps: list[tuple[str, float]]):
    """Work packages repeated per wave/site/sprint: ("Wave 1", [...]), ("Wave 2", [...])."""
    return [
        (f"{label} {n}", [(f"{step} ({label.lower()} {n})", d) for step, d in steps])
        for n in range(1, count + 1)
    ]


SOFTWARE_START = [
    Phase(
        "Initiation",
        [
            (
                "Mobilise",
                [
                    ("Agree project brief", 3),
                    ("Appoint project board", 2),
                    ("Set up RAID log and reporting", 2),
                    ("Kick-off workshop", 1),
                ],
            ),
            (
                "Business case",
                [
                    ("Benefits model", 5),
                    ("Cost estimate", 4),
                    ("Options appraisal", 5),
                    ("Business case approval", 0),
                ],
            ),
        ],
        gate="Gate 1: business case approved",
    ),
    Phase(
        "Requirements",
        [
            (
                "Discovery",
                [
                    ("Stakeholder interviews", 8),
                    ("Current process mapping", 6),
                    ("Pain point analysis", 4),
                ],
            ),
            (
                "Requirements",
                [
                    ("User stories and acceptance criteria", 10),
                    ("Non-functional requirements", 5),
                    ("Requirements sign-off", 2),
                ],
            ),
            (
                "Procurement",
                [
                    ("Tender pack", 6),
                    ("Supplier evaluation", 10),
                    ("Contract negotiation", 12),
                    ("Contract award", 0),
                ],
            ),
        ],
        gate="Gate 2: requirements and supplier agreed",
    ),
]
SOFTWARE_END = [
    Phase(
        "Testing",
        [
            (
                "System testing",
                [
                    ("Test plan", 4),
                    ("System test cycle 1", 10),
                    ("Defect fixing", 8),
                    ("System test cycle 2", 8),
                ],
            ),
            (
                "Acceptance",
                [
                    ("User acceptance testing", 10),
                    ("Performance testing", 5),
                    ("Penetration test", 5),
                    ("Operational acceptance", 3),
                ],
            ),
        ],
        gate="Gate 4: ready for service",
    ),
]


#: A slip of whatever critical work is under way at the status date (a pause, say),
#: whenever the demo is loaded.
UNDER_WAY = ""


@dataclass(frozen=True)
class Slip:
    """Work that took, or will take, longer than the approved plan said, and why (the
    reason of the change in the project's history). ``task`` names the task, or is
    ``UNDER_WAY``."""

    task: str
    days: int
    reason: str


#: What has moved since each plan was approved.
SLIPS: dict[str, list[Slip]] = {
    "CRM": [
        Slip(
            "Mock migration 2",
            3,
            "Mock migration 2 rerun after a defect in the member address mapping",
        ),
    ],
    "DATAPLAT": [
        Slip(
            "User acceptance testing",
            12,
            "Finance asked to accept the reports over two month-end cycles, not one",
        ),
    ],
    "HQMOVE": [
        Slip(
            UNDER_WAY,
            30,
            "Fit-out spending paused by the board until the Castle Street exit terms are agreed",
        ),
    ],
    "NETREFRESH": [
        Slip("Pre-stage equipment (region 14)", 2, "Switches for region 14 delivered late"),
    ],
    "RETENTION": [
        Slip(
            "Configure retention rules (system 25)",
            10,
            "The mortgage system cannot delete single records: rules reworked around archiving",
        ),
    ],
    "PAYROLL": [
        Slip("Map pay elements (entity 5)", 2, "Entity 5 pays two legacy allowances"),
    ],
}

#: Milestones with a date fixed from outside (a regulator, a contract): their deadline, or
#: None for the date the approved plan gives them. A slip then puts them at risk.
DEADLINES: dict[str, dict[str, dt.date | None]] = {
    "NETREFRESH": {"All branches on new network": dt.date(2027, 3, 1)},  # vendor support ends
    "RETENTION": {"Policy applied in all systems": None},  # committed to the regulator
}

PLANS: dict[str, list[Phase]] = {
    "CRM": [
        *SOFTWARE_START,
        Phase(
            "Design and build",
            [
                (
                    "Solution design",
                    [
                        ("Target architecture", 8),
                        ("Integration design", 10),
                        ("Data model", 6),
                        ("Design authority review", 1),
                    ],
                ),
                *_repeat(
                    "Sprint",
                    12,
                    [("Sprint planning", 0.5), ("Build features", 8), ("Sprint review", 0.5)],
                ),
            ],
            gate="Gate 3: build complete",
        ),
        Phase(
            "Data migration",
            [
                (
                    "Migration",
                    [
                        ("Data profiling of 1.2m member records", 10),
                        ("Cleansing rules", 8),
                        ("Mock migration 1", 5),
                        ("Mock migration 2", 5),
                        ("Reconciliation sign-off", 2),
                    ],
                )
            ],
        ),
        *SOFTWARE_END,
        Phase(
            "Roll-out to 42 branches",
            [
                (
                    "Readiness",
                    [
                        ("Training materials", 10),
                        ("Train the trainers", 5),
                        ("Contact centre go-live", 1),
                    ],
                ),
                *_repeat(
                    "Wave",
                    10,
                    [
                        ("Branch readiness check", 2),
                        ("Staff training", 4),
                        ("Branch go-live", 1),
                        ("Hypercare", 5),
                    ],
                ),
            ],
            gate="Legacy CRM decommissioned",
        ),
    ],
    "DATAPLAT": [
        *SOFTWARE_START,
        Phase(
            "Platform build",
            [
                (
                    "Foundations",
                    [
                        ("Cloud landing zone", 10),
                        ("Identity and access", 6),
                        ("Data catalogue", 8),
                        ("Security review", 3),
                    ],
                ),
                *_repeat(
                    "Source",
                    12,
                    [
                        ("Ingestion pipeline", 6),
                        ("Data quality rules", 4),
                        ("Lineage and catalogue entry", 2),
                    ],
                ),
            ],
            gate="Gate 3: platform live",
        ),
        Phase(
            "Reporting migration",
            _repeat(
                "Report pack",
                10,
                [("Rebuild reports", 6), ("Parallel run", 10), ("Retire spreadsheet extract", 1)],
            ),
        ),
        *SOFTWARE_END,
    ],
    "HQMOVE": [
        Phase(
            "Site selection",
            [
                (
                    "Requirements",
                    [
                        ("Space requirements survey", 10),
                        ("Location options", 8),
                        ("Board approval of site", 0),
                    ],
                ),
                ("Lease", [("Heads of terms", 15), ("Lease negotiation", 20), ("Lease signed", 0)]),
            ],
            gate="Gate 1: lease signed",
        ),
        Phase(
            "Fit-out",
            [
                ("Design", [("Space planning", 15), ("M&E design", 12), ("Planning consent", 30)]),
                *_repeat(
                    "Floor",
                    8,
                    [
                        ("Strip out", 10),
                        ("Partitions and ceilings", 12),
                        ("Electrical and data cabling", 10),
                        ("Furniture install", 5),
                        ("Snagging", 3),
                    ],
                ),
            ],
            gate="Gate 2: building ready",
        ),
        Phase(
            "Move",
            _repeat(
                "Department group",
                12,
                [("Crate and label", 3), ("Move weekend", 1), ("Desk checks", 2)],
            ),
            gate="Old HQ handed back",
        ),
    ],
    "NETREFRESH": [
        Phase(
            "Design",
            [
                ("Survey", [("Site surveys", 15), ("Network design", 12), ("Design approval", 0)]),
                ("Procurement", [("Order switches and routers", 5), ("Hardware delivery", 30)]),
            ],
            gate="Gate 1: design approved",
        ),
        Phase(
            "Roll-out",
            _repeat(
                "Region",
                20,
                [
                    ("Pre-stage equipment", 3),
                    ("Install branch routers", 5),
                    ("Cut-over weekend", 1),
                    ("Decommission old kit", 2),
                ],
            ),
            gate="All branches on new network",
        ),
        Phase(
            "Close",
            [
                (
                    "Closure",
                    [
                        ("Lessons learned", 2),
                        ("Handover to operations", 3),
                        ("Project closure report", 2),
                    ],
                )
            ],
        ),
    ],
    "DCEXIT": [
        Phase(
            "Plan",
            [
                (
                    "Discovery",
                    [
                        ("Application inventory", 10),
                        ("Dependency mapping", 10),
                        ("Migration waves agreed", 0),
                    ],
                )
            ],
        ),
        Phase(
            "Migrate",
            _repeat(
                "Wave",
                20,
                [
                    ("Replicate workloads", 5),
                    ("Test in cloud", 4),
                    ("Cut-over", 1),
                    ("Stabilise", 3),
                ],
            ),
            gate="Data centre empty",
        ),
        Phase(
            "Exit",
            [
                (
                    "Exit",
                    [
                        ("Decommission hardware", 10),
                        ("Hand back data centre", 5),
                        ("Closure report", 2),
                    ],
                )
            ],
        ),
    ],
    "RETENTION": [
        Phase(
            "Discovery",
            [
                (
                    "Analysis",
                    [
                        ("Records inventory", 15),
                        ("Retention schedule", 10),
                        ("Legal review", 8),
                        ("Policy approved", 0),
                    ],
                )
            ],
        ),
        Phase(
            "Implement",
            _repeat(
                "System",
                25,
                [("Configure retention rules", 5), ("Test deletion", 3), ("Go live", 1)],
            ),
            gate="Policy applied in all systems",
        ),
        Phase(
            "Embed", [("Embed", [("Staff guidance", 5), ("Internal audit", 10), ("Closure", 2)])]
        ),
    ],
    "PAYROLL": [
        Phase(
            "Legal entities",
            _repeat(
                "Entity",
                12,
                [
                    ("Collect employee master data", 3),
                    ("Map pay elements", 4),
                    ("Configure pension schemes", 3),
                    ("Load year-to-date balances", 2),
                    ("Entity sign-off", 1),
                    ("Data protection check", 1),
                ],
            ),
        ),
        Phase(
            "Prepare",
            [
                (
                    "Prepare",
                    [
                        ("Supplier onboarding", 10),
                        ("Payroll data extract", 5),
                        ("Configuration", 15),
                    ],
                )
            ],
        ),
        Phase(
            "Parallel runs",
            _repeat(
                "Parallel run",
                3,
                [
                    ("Run payroll in both systems", 5),
                    ("Reconcile differences", 4),
                    ("Fix configuration", 3),
                ],
            ),
            gate="Go-live approved",
        ),
        Phase(
            "Go live",
            [
                (
                    "Go live",
                    [("First live payroll", 2), ("Hypercare", 10), ("Decommission old payroll", 5)],
                )
            ],
        ),
    ],
    "AMLSCREEN": [
        Phase(
            "Prepare",
            [
                (
                    "Prepare",
                    [("Screening requirements", 10), ("Vendor selection", 15), ("Contract", 10)],
                )
            ],
        ),
        Phase(
            "Implement",
            _repeat(
                "Customer segment",
                26,
                [("Configure rules", 5), ("Tune false positives", 6), ("Sign-off", 1)],
            ),
        ),
    ],
}


def _half_days(minutes: float) -> int:
    """Round to half days: plans are estimated in days, not in odd minutes."""
    return max(0, round(minutes / (DAY / 2)) * (DAY // 2))


def _planned_days(days: float, rng: random.Random) -> int:
    return _half_days(days * DAY * rng.choice((0.9, 1.0, 1.0, 1.1, 1.25)))


def fit_to_finish(document: dict, finish: dt.date) -> dict:
    """Scale durations and lags so the plan ends on ``finish`` (its approved end date).

    The outline says what is done in what order; the project's planned dates say how
    long it was given. Scaling is nearly linear, so two rounds come within days; the last
    task then takes up what is left, so the approved plan ends on the planned finish
    (or, when that is a holiday, on the working day before it).
    """
    for _round in range(2):
        plan = read_plan_json(json.dumps(document))
        schedule = schedule_plan(plan)
        target = dt.datetime.combine(finish, dt.time(17, 0))
        needed = plan.calendar.working_minutes_between(plan.start, schedule.finish)
        available = plan.calendar.working_minutes_between(plan.start, target)
        if needed <= 0 or abs(available - needed) < DAY:
            break
        factor = available / needed
        for task in document["tasks"]:
            if task["duration_minutes"]:
                task["duration_minutes"] = max(
                    DAY // 2, _half_days(task["duration_minutes"] * factor)
                )
        for link in document["links"]:
            if link.get("lag_minutes"):
                link["lag_minutes"] = _half_days(link["lag_minutes"] * factor)
    plan = read_plan_json(json.dumps(document))
    schedule = schedule_plan(plan)
    target = plan.calendar.previous_working_time(dt.datetime.combine(finish, dt.time(17, 0)))
    left = plan.calendar.working_minutes_between(schedule.finish, target)
    last = max(
        (task for task in document["tasks"] if task["duration_minutes"]),
        key=lambda task: (schedule.tasks[task["uid"]].finish, task["uid"]),
    )
    last["duration_minutes"] = max(DAY // 2, last["duration_minutes"] + left)
    return document


def build_plan_json(code: str, start: dt.date, name: str) -> tuple[dict, list[int]]:
    """The plan as SteerCo's JSON plan format, and the uids of leaf tasks (for assignees)."""
    rng = random.Random(code)  # noqa: S311 - reproducible demo data, not secrets
    tasks: list[dict] = []
    links: list[dict] = []
    leaves: list[int] = []
    uid = 0

    def add(
        name: str,
        parent: int | None,
        minutes: int = 0,
        milestone: bool = False,
        summary: bool = False,
    ) -> int:
        nonlocal uid
        uid += 1
        tasks.append(
            {
                "uid": uid,
                "name": name,
                "parent_uid": parent,
                "summary": summary,
                "duration_minutes": minutes,
                "milestone": milestone,
            }
        )
        return uid

    previous_phase_end: int | None = None
    for phase in PLANS[code]:
        phase_uid = add(phase.name, None, summary=True)
        phase_ends: list[int] = []
        previous_package_end: int | None = previous_phase_end
        for index, (package, steps) in enumerate(phase.packages):
            package_uid = add(package, phase_uid, summary=True)
            previous: int | None = None
            for step_name, days in steps:
                minutes = _planned_days(days, rng)
                task = add(step_name, package_uid, minutes, milestone=minutes == 0)
                if previous is not None:
                    links.append({"predecessor": previous, "successor": task, "type": "FS"})
                elif previous_package_end is not None:
                    # Packages of a phase overlap: most start when the previous one is
                    # half-way through, some wait for it to finish.
                    if index and rng.random() < 0.5:
                        links.append(
                            {
                                "predecessor": previous_package_end,
                                "successor": task,
                                "type": "SS",
                                "lag_minutes": 2 * DAY,
                            }
                        )
                    else:
                        links.append(
                            {"predecessor": previous_package_end, "successor": task, "type": "FS"}
                        )
                if minutes:
                    leaves.append(task)
                previous = task
            phase_ends.append(previous)
            previous_package_end = (
                previous if index == 0 or rng.random() < 0.4 else (previous_package_end)
            )
        if phase.gate:
            gate = add(phase.gate, phase_uid, 0, milestone=True)
            for end in phase_ends:
                links.append({"predecessor": end, "successor": gate, "type": "FS"})
            previous_phase_end = gate
        else:
            previous_phase_end = phase_ends[-1]
    plan = {
        "format": "steerco-plan",
        "version": 1,
        "name": name,
        "start": dt.datetime.combine(start, dt.time(8, 0)).isoformat(),
        "calendar": {
            "name": "UK working week",
            "country": "GB",
            "week": {
                d: [["08:00", "12:00"], ["13:00", "17:00"]]
                for d in ("mon", "tue", "wed", "thu", "fri")
            },
        },
        "tasks": tasks,
        "links": links,
    }
    return plan, leaves


def _status_date(today: dt.date) -> dt.datetime:
    """The last Friday evening before ``today``: where reported progress stands."""
    friday = today - dt.timedelta(days=(today.weekday() - 4) % 7 or 7)
    return dt.datetime.combine(friday, dt.time(17, 0))


#: The plan's audited models, whose history the demo dates along the project's life.
AUDITED = (WorkCalendar, ProjectPlan, Task, TaskLink, Baseline)


def _date_history(since: dt.datetime, when: dt.datetime) -> None:
    """Date the plan history written since ``since`` at ``when``, as the log stories do.

    Services stamp history with the current time; earlier plans' history is already dated
    in the past, so the rows at or after ``since`` are exactly those just written.
    """
    when = min(when, timezone.now())
    for model in AUDITED:
        model.history.model.objects.filter(history_date__gte=since).update(history_date=when)


def _planned_at(project, start: dt.date, status_date: dt.datetime) -> dt.datetime:
    """When the plan was made: two weeks before the work starts, after the project was
    registered and before the progress reported on it."""
    made = timezone.make_aware(dt.datetime.combine(start - dt.timedelta(days=14), dt.time(10, 0)))
    made = max(made, project.created_at + dt.timedelta(hours=1))
    return min(made, timezone.make_aware(status_date) - dt.timedelta(days=1))


def load_demo_plans(*, actor_of, today: dt.date | None = None) -> int:
    """Give every demo project with a plan outline and no tasks its plan; return how many."""
    today = today or dt.date.today()
    _organisation_calendar(actor_of("bob"))
    loaded = 0
    for code in PLANS:
        project = Project.objects.filter(code=code).first()
        if project is None or Task.objects.filter(project=project).exists():
            continue
        support = (
            Membership.objects.filter(project=project, role=Membership.Role.PROJECT_SUPPORT)
            .select_related("person__user")
            .first()
        )
        author = actor_of(
            support.person.user.username if support and support.person.user else "bob"
        )
        start = project.planned_start or today
        document, leaves = build_plan_json(code, start, project.name)
        if project.planned_finish:
            document = fit_to_finish(document, project.planned_finish)
        written = timezone.now()
        plan_import(
            actor=author,
            project=project,
            data=json.dumps(document).encode(),
            filename=f"{code.lower()}.json",
        )
        plan_services.baseline_save(actor=author, project=project, number=0, name="Approved plan")
        _set_deadlines(project, author, DEADLINES.get(code, {}))
        status_date = _progress_date(project, today)
        _date_history(written, _planned_at(project, start, status_date))
        written = timezone.now()
        _progress(project, author, leaves, status_date, today)
        _date_history(written, timezone.make_aware(status_date))
        loaded += 1
        # Progress is written in bulk, not through the services that keep the outlook:
        # store it once now (a plan that cannot be scheduled would fail loudly here too).
        if plan_services.outlook_refresh(project=project).error:
            raise RuntimeError(f"The demo plan of {code} cannot be scheduled.")
    return loaded


def _set_deadlines(project, author, deadlines: dict[str, dt.date | None]) -> None:
    """Give milestones their fixed dates: ``None`` means the approved plan's date."""
    approved = {
        row.task_uid: row.finish
        for row in Baseline.objects.get(project=project, number=0).tasks.all()
    }
    for name, day in deadlines.items():
        task = Task.objects.get(project=project, name=name)
        deadline = (
            dt.datetime.combine(day, dt.time(17, 0)) if day is not None else approved[task.uid]
        )
        plan_services.task_update(
            actor=author, task=task, expected_version=task.version, deadline=deadline
        )


def _organisation_calendar(pmo) -> None:
    """The PMO's base calendar, from which projects created in the UI take their working time."""
    name = "UK standard (England)"
    if not WorkCalendar.objects.filter(project__isnull=True, name=name).exists():
        calendar_create(actor=pmo, name=name, country="GB", subdivision="ENG")


def _progress_date(project, today: dt.date) -> dt.datetime:
    """Where the project's reported progress stands: last Friday evening, or the evening
    a closed or cancelled project stopped."""
    if project.status in (Project.Status.CLOSED, Project.Status.CANCELLED) and project.closed_on:
        return dt.datetime.combine(project.closed_on, dt.time(17, 0))
    if project.status == Project.Status.CANCELLED:
        return dt.datetime.combine(today, dt.time(17, 0))
    return _status_date(today)


def _progress(project, author, leaves: list[int], status_date: dt.datetime, today: dt.date) -> None:
    """``author`` reports progress at ``status_date``, after the slips since the baseline
    (``SLIPS``, each a change with its reason): one change in the project's history, as a
    status update is."""
    settings = plan_services.plan_settings(project)
    finished = project.status in (Project.Status.CLOSED,)
    # A closed project's slips are behind it, in the plan it finished by.
    for slip in [] if finished else SLIPS.get(project.code, []):
        with transaction.atomic(), change_set(actor=author, reason=slip.reason):
            row = (
                _critical_under_way(project, status_date)
                if slip.task == UNDER_WAY
                else Task.objects.get(project=project, name=slip.task)
            )
            plan_services.task_update(
                actor=author,
                task=row,
                expected_version=row.version,
                duration_minutes=row.duration_minutes + slip.days * DAY,
            )
    reason = f"Progress reported at {status_date:%d %b %Y}"
    with transaction.atomic(), change_set(actor=author, reason=reason) as changes:
        changed, assignments = _reported(project, leaves, status_date, today, finished=finished)
        # One small UPDATE per row (as the plan's renumbering does) and their history in
        # bulk: saving each task through the service would re-check the schedule each time.
        for row in changed:
            row.version += 1
            Task.objects.filter(pk=row.pk).update(
                percent_complete=row.percent_complete,
                actual_start=row.actual_start,
                actual_finish=row.actual_finish,
                version=row.version,
            )
        changes.record_updates(Task, changed, batch_size=1000)
        changes.bulk_create(TaskAssignment, assignments, batch_size=1000)
        settings.refresh_from_db()
        settings.status_date = None if finished else status_date
        settings._history_user = author
        settings.save(update_fields=["status_date"])


#: A supplier's consultant, known to the plan by name only (no person in SteerCo), who
#: works half time on every fifth task with work: a resource as plan files carry them.
CONSULTANT = "Supplier consultant"


def _critical_under_way(project, status_date: dt.datetime) -> Task:
    """The critical task with work that is running, or next to start, at ``status_date``."""
    view = plan_view(project=project)
    return min(
        (
            row
            for row in view.rows
            if not row.summary
            and row.task.duration_minutes
            and row.result.critical
            and row.result.finish > status_date
        ),
        key=lambda row: (row.result.start, row.task.position),
    ).task


def _owners(team: list[int], leaves: list[int], results: dict, today: dt.date) -> dict[int, int]:
    """Who owns each task with work: the tasks running in ``today``'s week go to each team
    member in turn (those who log in first), so everyone has work this week where the plan
    has enough; the rest are shared round the team."""
    if not team:
        return {}
    monday = today - dt.timedelta(days=today.weekday())
    friday = monday + dt.timedelta(days=4)

    def days_between(uid: int, first: dt.date, last: dt.date) -> int:
        start = max(results[uid].start.date(), first)
        return (min(results[uid].finish.date(), last) - start).days + 1

    # The tasks with most of the week still ahead first, so each person's is work under
    # way, not the tail of a task that ended on Monday.
    running = sorted(
        (uid for uid in leaves if days_between(uid, monday, friday) > 0),
        key=lambda uid: (-days_between(uid, today, friday), results[uid].start, uid),
    )
    owners = {uid: team[uid % len(team)] for uid in leaves}
    for index, uid in enumerate(running):
        owners[uid] = team[index % len(team)]
    return owners


def _assignments(
    rows: list[Task], owners: dict[int, int], team: list[int], names: dict[int, str]
) -> list[TaskAssignment]:
    """Each owned task's assignments: its owner full time and, on every third task, the
    next team member at 50 % (a reviewer, a second pair of hands), and on every fifth the
    supplier's consultant at 50 %, so plans show the Resources notation both ways and a
    resource known only by name. Work is duration × units, as Project's fixed units."""
    found = []
    for row in rows:
        owner = owners.get(row.uid)
        if owner is None:
            continue
        people = [(owner, Decimal(1))]
        if len(team) > 1 and row.uid % 3 == 0:
            people.append((team[(team.index(owner) + 1) % len(team)], Decimal("0.5")))
        found += [
            TaskAssignment(
                task=row,
                resource_name=names[person],
                person_id=person,
                units=units,
                work_minutes=fixed_units_work(row.duration_minutes, units),
            )
            for person, units in people
        ]
        if row.uid % 5 == 0:
            half = Decimal("0.5")
            found.append(
                TaskAssignment(
                    task=row,
                    resource_name=CONSULTANT,
                    units=half,
                    work_minutes=fixed_units_work(row.duration_minutes, half),
                )
            )
    return found


def _reported(
    project, leaves: list[int], status_date: dt.datetime, today: dt.date, *, finished: bool
) -> tuple[list, list[TaskAssignment]]:
    """The leaf tasks whose progress the report changes, changed, and the assignments of
    the tasks with work to the team."""
    # Team members own some leaf tasks, so "my tasks" and their progress updates are real.
    # Those who log in first: this week's work goes round them before the others.
    members = list(
        Membership.objects.filter(project=project, role=Membership.Role.TEAM_MEMBER)
        .order_by(F("person__user").asc(nulls_last=True), "person__name")
        .values_list("person_id", "person__name")
    )
    team = [person for person, _name in members]
    view = plan_view(project=project)
    results = {row.task.uid: row.result for row in view.rows}
    owners = _owners(team, leaves, results, today)
    changed = []
    leaf_rows = list(Task.objects.filter(project=project, children__isnull=True))
    # Every task that is not a summary reports progress, milestones included (a passed
    # gate is complete); only tasks with work are given to team members.
    for row in leaf_rows:
        result = results[row.uid]
        if finished or result.finish <= status_date:
            row.percent_complete = 100
            row.actual_start, row.actual_finish = result.start, result.finish
        elif result.start < status_date:
            worked = view.inputs.plan.calendar.working_minutes_between(result.start, status_date)
            total = max(
                1, view.inputs.plan.calendar.working_minutes_between(result.start, result.finish)
            )
            row.percent_complete = min(95, round(100 * worked / total))
            row.actual_start = result.start
        else:
            continue  # work not started: nothing to write
        changed.append(row)
    return changed, _assignments(leaf_rows, owners, team, dict(members))
