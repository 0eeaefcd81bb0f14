"""Synthetic finish-to-start networks for the benchmarks and the TaskJuggler agreement tests.

Not used by the product. ``benchmarks/bench_vs_taskjuggler.py`` and
``tests/engine/test_taskjuggler_agreement.py`` import it as ``steerco.engine.scheduling.synthetic``;
running ``tj3`` itself is I/O, so it lives in :mod:`steerco.testing` beside the other tool lookups.

A network is written both as a SteerCo JSON plan and as a TaskJuggler project, and TaskJuggler's
report is read back in SteerCo's conventions. ``bench_scheduling.synthetic_plan`` is not reused:
it mixes SS/FF/SF links, leads, half-day lags and milestones, none of which TaskJuggler's
``depends``/``gaplength``/``length`` can say the same way. This generator keeps its shape
(parallel 1,000-task projects, each task linked back to one or two of the 50 tasks before it) so
the two benchmarks load the engine alike.

Both files describe the same network:

* working hours Monday to Friday 08:00-12:00 and 13:00-17:00, 8 hours a working day;
* a handful of public holidays (whole non-working days) each year;
* task lengths of 1 to 10 whole working days (TaskJuggler ``length``, SteerCo working minutes);
* FS links with gaps of 0 to 3 whole working days (``depends tX { gaplength Nd }``; SteerCo's
  ``lag_minutes``);
* everything in UTC for TaskJuggler and local naive times for SteerCo, so wall clocks agree.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import random
from dataclasses import dataclass

DAY_MINUTES = 480
PROJECT_START = dt.date(2027, 3, 1)  # a Monday, four weeks before Easter
MORNING = (dt.time(8), dt.time(12))
AFTERNOON = (dt.time(13), dt.time(17))
#: Fixed-date public holidays repeated every year, plus England's other holidays of 2027 (the
#: first weeks of every network cross Easter, so even small networks meet holidays).
YEARLY_HOLIDAYS = (
    ((1, 1), "New Year's Day"),
    ((12, 25), "Christmas Day"),
    ((12, 26), "Boxing Day"),
)
ONE_OFF_HOLIDAYS = (
    (dt.date(2027, 3, 26), "Good Friday"),
    (dt.date(2027, 3, 29), "Easter Monday"),
    (dt.date(2027, 5, 3), "Early May bank holiday"),
    (dt.date(2027, 5, 31), "Spring bank holiday"),
    (dt.date(2027, 8, 30), "Summer bank holiday"),
)


@dataclass(frozen=True, slots=True)
class FsNetwork:
    """Tasks ``1..size``, task ``uid`` lasting ``lengths[uid - 1]`` working days; ``links`` are
    (predecessor uid, successor uid, gap in working days)."""

    lengths: list[int]
    links: list[tuple[int, int, int]]
    holidays: list[tuple[dt.date, str]]

    @property
    def size(self) -> int:
        return len(self.lengths)


def fs_network(size: int, seed: int = 7) -> FsNetwork:
    """A seeded random acyclic network of ``size`` tasks with about 1.5 FS links per task.

    Predecessors are drawn only among the 50 tasks before each task inside its 1,000-task
    project, so the network is acyclic and each project runs about a year.
    """
    rng = random.Random(seed)  # noqa: S311 - seeded so every run builds the same network
    lengths = [rng.choice((1, 1, 2, 3, 5, 8, 10)) for _ in range(size)]
    links = []
    for uid in range(2, size + 1):
        first = ((uid - 1) // 1000) * 1000 + 1
        if uid == first:
            continue
        count = min(rng.choice((1, 1, 2, 2)), uid - first)  # about 1.5 links per task
        for pred in sorted(rng.sample(range(max(first, uid - 50), uid), count)):
            links.append((pred, uid, rng.choice((0, 0, 0, 1, 2, 3))))
    horizon = _horizon_days(lengths, links)
    last_year = (PROJECT_START + dt.timedelta(days=horizon)).year
    holidays = [
        (dt.date(year, month, day), name)
        for year in range(PROJECT_START.year, last_year + 1)
        for (month, day), name in YEARLY_HOLIDAYS
    ]
    holidays += ONE_OFF_HOLIDAYS
    return FsNetwork(lengths=lengths, links=links, holidays=sorted(holidays))


def _horizon_days(lengths: list[int], links: list[tuple[int, int, int]]) -> int:
    """Calendar days that surely hold the whole schedule: the longest path in working days,
    stretched by 7/5 for weekends, plus room for holidays. TaskJuggler needs a project end, and
    its run time grows with the project's length, so it should not be much longer than this."""
    finish = [0] * (len(lengths) + 1)  # working days from the project start, by uid
    preds: dict[int, list[tuple[int, int]]] = {}
    for pred, succ, gap in links:
        preds.setdefault(succ, []).append((pred, gap))
    for uid in range(1, len(lengths) + 1):  # predecessors always come first
        start = max((finish[p] + gap for p, gap in preds.get(uid, ())), default=0)
        finish[uid] = start + lengths[uid - 1]
    working_days = max(finish)
    return math.ceil(working_days * 7 / 5) + 10 * (working_days // 250 + 1) + 30


def horizon(network: FsNetwork) -> dt.date:
    """The project end date written into the TaskJuggler file."""
    return PROJECT_START + dt.timedelta(days=_horizon_days(network.lengths, network.links))


def plan_json(network: FsNetwork) -> str:
    """The network as a SteerCo JSON plan (``steerco schedule`` reads it)."""
    day = [[f"{a:%H:%M}", f"{b:%H:%M}"] for a, b in (MORNING, AFTERNOON)]
    data = {
        "format": "steerco-plan",
        "version": 1,
        "name": f"FS network of {network.size} tasks",
        "start": dt.datetime.combine(PROJECT_START, MORNING[0]).isoformat(),
        "minutes_per_day": DAY_MINUTES,
        "calendar": {
            "name": "Standard",
            "week": {d: day for d in ("mon", "tue", "wed", "thu", "fri")} | {"sat": [], "sun": []},
            "exceptions": [
                {"start": date.isoformat(), "intervals": [], "name": name}
                for date, name in network.holidays
            ],
        },
        "tasks": [
            {"uid": uid, "name": f"Task {uid}", "duration_minutes": days * DAY_MINUTES}
            for uid, days in enumerate(network.lengths, start=1)
        ],
        "links": [
            {"predecessor": p, "successor": s, "type": "FS", "lag_minutes": gap * DAY_MINUTES}
            for p, s, gap in network.links
        ],
    }
    return json.dumps(data)


def tjp(network: FsNetwork, report: str = "dates") -> str:
    """The network as a TaskJuggler project whose CSV report ``<report>.csv`` lists every
    task's id, start and end.

    ``timingresolution`` comes first and ``timezone`` before ``workinghours`` because TaskJuggler
    resets the working hours when either is set. ``length`` counts working time on these global
    working hours and leaves; ``duration`` would be calendar time and ``effort`` needs resources.
    A zero gap is left out: TaskJuggler rejects ``gaplength 0d`` as shorter than its resolution.
    """
    lines = [
        f'project fs "FS network of {network.size} tasks" {PROJECT_START} - {horizon(network)} {{',
        "  timingresolution 60min",
        '  timezone "UTC"',
        "  dailyworkinghours 8",
        f"  workinghours mon - fri {MORNING[0]:%H:%M} - {MORNING[1]:%H:%M}, "
        f"{AFTERNOON[0]:%H:%M} - {AFTERNOON[1]:%H:%M}",
        "  workinghours sat, sun off",
        "}",
    ]
    lines += [f'leaves holiday "{name}" {date}' for date, name in network.holidays]
    preds: dict[int, list[str]] = {}
    for pred, succ, gap in network.links:
        preds.setdefault(succ, []).append(f"t{pred}" + (f" {{ gaplength {gap}d }}" if gap else ""))
    for uid, days in enumerate(network.lengths, start=1):
        depends = f" depends {', '.join(preds[uid])}" if uid in preds else ""
        lines.append(f'task t{uid} "Task {uid}" {{{depends} length {days}d }}')
    lines += [
        f'taskreport "{report}" {{',
        "  formats csv",
        "  columns id, start, end",
        '  timeformat "%Y-%m-%dT%H:%M"',
        "  hidetask 0",
        "}",
    ]
    return "\n".join(lines) + "\n"


def is_working(moment: dt.datetime, holidays: set[dt.date]) -> bool:
    """Whether the minute starting at ``moment`` is working time on the network's calendar."""
    if moment.weekday() >= 5 or moment.date() in holidays:
        return False
    return any(a <= moment.time() < b for a, b in (MORNING, AFTERNOON))


def next_working(moment: dt.datetime, holidays: set[dt.date]) -> dt.datetime:
    """The first working minute at or after ``moment`` (kept apart from the engine's calendar
    so that the comparison does not lean on the code it checks)."""
    while not is_working(moment, holidays):
        if moment.weekday() < 5 and moment.date() not in holidays:
            for a, _ in (MORNING, AFTERNOON):
                if moment.time() < a:
                    moment = dt.datetime.combine(moment.date(), a)
                    break
            else:
                moment = dt.datetime.combine(moment.date() + dt.timedelta(days=1), MORNING[0])
        else:
            moment = dt.datetime.combine(moment.date() + dt.timedelta(days=1), MORNING[0])
    return moment


def tj3_dates(report: str, network: FsNetwork) -> dict[int, tuple[str, str]]:
    """Read TaskJuggler's CSV report into {uid: (start, finish)} as SteerCo writes them.

    Convention mappings (TaskJuggler → SteerCo):

    * Start: TaskJuggler reports the instant a task may begin, which is where its predecessor
      (plus gap) ended or the project start, even when that instant is not working time
      (the project start at 00:00 for the first tasks, 17:00 or 12:00 after a predecessor or a gap).
      SteerCo reports the first working minute of the task, so a TaskJuggler start is rolled
      forward to the next working minute (17:00 → next working day 08:00, 12:00 → 13:00,
      00:00 → 08:00), skipping weekends and holidays.
    * End: both report the end of the last working hour (17:00, or 12:00 before lunch), never
      the next working minute or the next midnight, so the end is taken as it is.
    * Granularity: TaskJuggler's dates are on its 60-minute timing resolution; lengths and gaps
      are whole working days, so every SteerCo date is on the hour too and nothing is rounded.
    * Time zone: the project is in UTC, which has no daylight saving shifts, matching SteerCo's
      local naive times.
    """
    holidays = {date for date, _ in network.holidays}
    dates = {}
    for row in csv.DictReader(io.StringIO(report), delimiter=";"):
        uid = int(row["Id"].removeprefix("t"))
        start = next_working(dt.datetime.fromisoformat(row["Start"]), holidays)
        end = dt.datetime.fromisoformat(row["End"])
        dates[uid] = (start.isoformat(), end.isoformat())
    return dates


def steerco_dates(schedule_json: dict) -> dict[int, tuple[str, str]]:
    """{uid: (start, finish)} from the output of ``steerco schedule --format json``."""
    return {task["uid"]: (task["start"], task["finish"]) for task in schedule_json["tasks"]}


def mismatches(theirs: dict[int, tuple[str, str]], ours: dict[int, tuple[str, str]]) -> list[str]:
    """One line per task whose dates differ (or that only one side scheduled), by uid."""
    lines = []
    for uid in sorted(theirs.keys() | ours.keys()):
        if theirs.get(uid) != ours.get(uid):
            lines.append(f"task {uid}: tj3 {theirs.get(uid)} steerco {ours.get(uid)}")
    return lines


def mspdi(network: FsNetwork, package: int = 10) -> bytes:
    """The network as Microsoft Project XML, with an outline: a summary task over each
    1,000-task project and one over every ``package`` tasks inside it.

    The network's tasks keep their uids (``1..size``); summaries take the uids after them.
    Each task carries its outline, duration and summary flag (the elements left out mean what
    Microsoft Project's defaults mean: as soon as possible, on the project calendar), each
    link its type, lag and lag format;
    the project calendar is the network's working week with each holiday as an exception.
    Written as text, in the schema's element order, so that a 100,000-task file takes a
    second to make (the benchmarks read it; they do not time this).
    """
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Project xmlns="http://schemas.microsoft.com/project">'
        f"<SaveVersion>14</SaveVersion><Name>FS network of {network.size} tasks</Name>"
        "<ScheduleFromStart>1</ScheduleFromStart>"
        f"<StartDate>{dt.datetime.combine(PROJECT_START, MORNING[0]).isoformat()}</StartDate>"
        f"<CalendarUID>1</CalendarUID><MinutesPerDay>{DAY_MINUTES}</MinutesPerDay>"
        "<Calendars>" + _mspdi_calendar(network) + "</Calendars><Tasks>"
    ]
    predecessors: dict[int, list[tuple[int, int]]] = {}
    for pred, succ, gap in network.links:
        predecessors.setdefault(succ, []).append((pred, gap))
    next_uid = network.size + 1
    row = 0

    def task(uid: int, name: str, outline: tuple[int, ...], minutes: int, summary: bool) -> None:
        nonlocal row
        row += 1
        number = ".".join(map(str, outline))
        links = "".join(
            f"<PredecessorLink><PredecessorUID>{pred}</PredecessorUID><Type>1</Type>"
            f"<LinkLag>{gap * DAY_MINUTES * 10}</LinkLag><LagFormat>7</LagFormat>"
            "</PredecessorLink>"
            for pred, gap in predecessors.get(uid, ())
        )
        parts.append(
            f"<Task><UID>{uid}</UID><ID>{row}</ID><Name>{name}</Name><WBS>{number}</WBS>"
            f"<OutlineLevel>{len(outline)}</OutlineLevel>"
            f"<Duration>PT{minutes // 60}H{minutes % 60}M0S</Duration>"
            f"<DurationFormat>7</DurationFormat><Summary>{int(summary)}</Summary>{links}</Task>"
        )

    for first in range(1, network.size + 1, 1000):
        project_number = first // 1000 + 1
        task(next_uid, f"Project {project_number}", (project_number,), 0, True)
        next_uid += 1
        last = min(first + 999, network.size)
        for package_first in range(first, last + 1, package):
            package_number = (package_first - first) // package + 1
            outline = (project_number, package_number)
            task(next_uid, f"Work package {next_uid}", outline, 0, True)
            next_uid += 1
            for uid in range(package_first, min(package_first + package - 1, last) + 1):
                days = network.lengths[uid - 1]
                position = (*outline, uid - package_first + 1)
                task(uid, f"Task {uid}", position, days * DAY_MINUTES, False)
    parts.append("</Tasks></Project>\n")
    return "".join(parts).encode()


def _mspdi_calendar(network: FsNetwork) -> str:
    hours = "".join(
        f"<WorkingTime><FromTime>{a:%H:%M:%S}</FromTime><ToTime>{b:%H:%M:%S}</ToTime></WorkingTime>"
        for a, b in (MORNING, AFTERNOON)
    )
    days = "".join(
        f"<WeekDay><DayType>{day_type}</DayType><DayWorking>1</DayWorking>"
        f"<WorkingTimes>{hours}</WorkingTimes></WeekDay>"
        if 2 <= day_type <= 6
        else f"<WeekDay><DayType>{day_type}</DayType><DayWorking>0</DayWorking></WeekDay>"
        for day_type in range(1, 8)  # 1 = Sunday
    )
    exceptions = "".join(
        f"<Exception><TimePeriod><FromDate>{date}T00:00:00</FromDate>"
        f"<ToDate>{date}T23:59:00</ToDate></TimePeriod><Name>{name}</Name><Type>1</Type>"
        "<DayWorking>0</DayWorking></Exception>"
        for date, name in network.holidays
    )
    return (
        "<Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>"
        f"<BaseCalendarUID>-1</BaseCalendarUID><WeekDays>{days}</WeekDays>"
        f"<Exceptions>{exceptions}</Exceptions></Calendar>"
    )
