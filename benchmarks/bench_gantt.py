"""Gantt chart rendering speed on synthetic plans.

Plans of 500, 2,000 and 8,000 tasks: phases of ten tasks under summary tasks, about 1.5 links
per leaf of mixed types (FS, SS, FF, SF, some lags), a milestone closing each phase, progress on
the early tasks, a baseline for every task, today and status-date lines. Scheduling is done
once, outside the timing; the figure is the best of a few renders at each zoom, so the growth
from 2,000 to 8,000 tasks shows the work is linear.

Goal: 2,000 tasks in well under 0.5 s.
Run: ``PYTHONPATH=src python benchmarks/bench_gantt.py [--svg out.svg]`` (writes the 2,000-task
week-zoom chart to ``out.svg`` when asked, to look at).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time

from steerco.engine.scheduling import Link, LinkType, Plan, Task, WorkingCalendar, schedule_plan
from steerco.plans.gantt import GanttOptions, render_gantt

DAY = 480
PHASE = 10  # leaves per summary
LINK_TYPES = [LinkType.FS] * 14 + [LinkType.SS] * 3 + [LinkType.FF] * 2 + [LinkType.SF]


def synthetic_plan(size: int, seed: int = 11) -> Plan:
    """``size`` tasks: a summary, ``PHASE - 1`` leaves and a milestone per phase, in 8 streams
    running side by side (so the chart spans months, not decades)."""
    rng = random.Random(seed)
    tasks: list[Task] = []
    links: list[Link] = []
    uid = 0
    previous_end: dict[int, int] = {}
    while len(tasks) < size:
        uid += 1
        summary = uid
        stream = (uid // PHASE) % 8
        tasks.append(Task(uid=summary, name=f"Phase {summary}", summary=True))
        leaves = []
        for _ in range(PHASE - 2):
            uid += 1
            days = rng.choice((1, 2, 3, 5, 8))
            tasks.append(
                Task(
                    uid=uid,
                    name=f"Task {uid} <{stream}> & co",
                    duration_minutes=days * DAY,
                    outline_level=2,
                    parent_uid=summary,
                    percent_complete=rng.choice((0.0, 0.0, 25.0, 100.0)),
                )
            )
            if leaves:
                for pred in rng.sample(leaves[-4:], min(len(leaves), rng.choice((1, 2)))):
                    lag = rng.choice((0, 0, 0, DAY, -DAY // 2))
                    links.append(Link(pred, uid, rng.choice(LINK_TYPES), lag))
            elif stream in previous_end:
                links.append(Link(previous_end[stream], uid))
            leaves.append(uid)
        uid += 1
        tasks.append(
            Task(uid=uid, name=f"Gate {uid}", milestone=True, outline_level=2, parent_uid=summary)
        )
        links.append(Link(leaves[-1], uid))
        previous_end[stream] = uid
    tasks = tasks[:size]
    kept = {t.uid for t in tasks}
    links = [k for k in links if k.predecessor_uid in kept and k.successor_uid in kept]
    return Plan(
        tasks=tasks,
        links=links,
        start=dt.datetime(2027, 1, 4, 8),
        calendar=WorkingCalendar(country="GB"),
        name=f"Synthetic {size}",
    )


def best_of(runs: int, action) -> tuple[float, float]:
    """Best wall-clock and best CPU seconds of ``runs`` calls (CPU time is the steadier figure
    on a shared, busy machine)."""
    wall = cpu = float("inf")
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        action()
        wall = min(wall, time.perf_counter() - began)
        cpu = min(cpu, time.process_time() - began_cpu)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--svg", help="write the 2,000-task week-zoom chart here")
    args = parser.parse_args()
    for size in (500, 2_000, 8_000):
        plan = synthetic_plan(size)
        schedule = schedule_plan(plan)
        baseline = {uid: (t.start, t.finish) for uid, t in schedule.tasks.items()}
        for zoom in ("day", "week", "month"):
            options = GanttOptions(
                zoom=zoom,
                today=dt.date(2027, 3, 1),
                status_date=dt.datetime(2027, 2, 26, 17),
                baseline=baseline,
            )
            svg = render_gantt(plan, schedule, options=options)
            wall, cpu = best_of(
                7, lambda p=plan, s=schedule, o=options: render_gantt(p, s, options=o)
            )
            print(
                f"{size:>6,} tasks, {len(plan.links):>6,} links, {zoom:>5} zoom: "
                f"{wall * 1000:7.1f} ms wall, {cpu * 1000:7.1f} ms CPU, "
                f"{len(svg) / 1e6:5.2f} MB of SVG"
            )
            if args.svg and size == 2_000 and zoom == "week":
                with open(args.svg, "w", encoding="utf-8") as file:
                    file.write(svg)


if __name__ == "__main__":
    main()
