"""Capacity against demand for 1,000 people, 300 projects and 52 weeks.

A seeded organisation: 1,000 people in 20 teams with one of 8 primary roles, 1–4 skills each,
a mix of full-time, part-time (50–90 %) and availability (70–100 %), a few people starting or
leaving during the year, about two leave periods each and a country's public holidays. Demand:
about three allocations per person of 8–40 weeks (total hours, hours per week or per month,
FTE; a mix of confirmed, tentative and soft with win probabilities), 200 open role requests,
and about five task assignments per person of 4–40 days each; about 63 % average load, piled
up at random, so most people have some week they cannot fit (a hard case for the search).
Prints the best of a few runs for building the model, weekly aggregation by person and by
role, monthly by skill, the projects behind the peak cell, the feasibility check (earliest
deadline first) with the number of people it had to search, and the skills search.

Goal: building the model, the weekly tables by person and by role and the feasibility check
of this case in under 1 s in all.
Run: ``PYTHONPATH=src python benchmarks/bench_capacity.py``
"""

from __future__ import annotations

import datetime as dt
import random
import time

from steerco.engine.capacity import (
    Allocation,
    DemandView,
    GroupBy,
    Horizon,
    Leave,
    Person,
    Status,
    TaskAssignment,
    Unit,
    build_capacity,
    check_feasibility,
    free_people,
    load_table,
)

FIRST = dt.date(2027, 1, 4)  # a Monday
LAST = FIRST + dt.timedelta(weeks=52, days=-1)
ROLES = ["Developer", "Tester", "Business analyst", "Architect", "Designer", "Data analyst",
         "Project manager", "Scrum master"]  # fmt: skip
SKILLS = ["Python", "Java", "SQL", "Testing", "UX", "Cloud", "Agile", "Security", "Analytics"]
HOLIDAYS = frozenset(
    dt.date(2027, month, day)
    for month, day in ((1, 1), (3, 26), (3, 29), (5, 3), (5, 31), (8, 30), (12, 27), (12, 28))
)


def day(rng: random.Random, first: dt.date = FIRST, last: dt.date = LAST) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def organisation(seed: int = 11) -> tuple[list[Person], list[Allocation], list[TaskAssignment]]:
    rng = random.Random(seed)
    people = []
    for pid in range(1, 1001):
        start = end = None
        if rng.random() < 0.05:
            start = day(rng, FIRST, FIRST + dt.timedelta(days=200))
        elif rng.random() < 0.05:
            end = day(rng, FIRST + dt.timedelta(days=150), LAST)
        leave = []
        for _ in range(rng.choice((1, 2, 2, 3))):
            begins = day(rng)
            leave.append(Leave(begins, begins + dt.timedelta(days=rng.choice((0, 4, 11)))))
        people.append(
            Person(
                id=pid,
                name=f"Person {pid}",
                team=f"Team {pid % 20}",
                roles=(rng.choice(ROLES),),
                skills={s: rng.randint(1, 5) for s in rng.sample(SKILLS, rng.randint(1, 4))},
                part_time=rng.choice((1.0, 1.0, 1.0, 0.9, 0.8, 0.5)),
                availability=rng.choice((1.0, 0.9, 0.8, 0.7)),
                employment_start=start,
                employment_end=end,
                leave=tuple(leave),
                holidays=HOLIDAYS,
            )
        )
    allocations = []
    units = [Unit.HOURS_PER_WEEK, Unit.HOURS_PER_WEEK, Unit.TOTAL_HOURS, Unit.FTE,
             Unit.HOURS_PER_MONTH]  # fmt: skip
    statuses = [Status.CONFIRMED] * 6 + [Status.TENTATIVE] * 2 + [Status.SOFT] * 2
    for person in people:
        first = person.employment_start or FIRST
        last = person.employment_end or LAST
        for _ in range(rng.choice((2, 3, 3, 4))):
            start = day(rng, first, last)
            finish = min(start + dt.timedelta(weeks=rng.randint(8, 40)), last)
            if (finish - start).days < 7:
                continue  # too close to the end of the year or of the employment
            unit = rng.choice(units)
            amount = {
                Unit.HOURS_PER_WEEK: rng.choice((8, 12, 16, 20)),
                Unit.TOTAL_HOURS: rng.randint(80, 400),
                Unit.FTE: rng.choice((0.2, 0.3, 0.5)),
                Unit.HOURS_PER_MONTH: rng.choice((24, 40, 60)),
            }[unit]
            status = rng.choice(statuses)
            allocations.append(
                Allocation(
                    id=len(allocations) + 1,
                    project_id=rng.randint(1, 300),
                    start=start,
                    finish=finish,
                    amount=amount,
                    unit=unit,
                    status=status,
                    probability=1.0 if status is Status.CONFIRMED else rng.choice((0.3, 0.5, 0.8)),
                    person_id=person.id,
                )
            )
    for _ in range(200):
        start = day(rng)
        status = rng.choice(statuses)
        allocations.append(
            Allocation(
                id=len(allocations) + 1,
                project_id=rng.randint(1, 300),
                start=start,
                finish=start + dt.timedelta(weeks=rng.randint(4, 20)),
                amount=rng.choice((8, 16, 40)),
                unit=Unit.HOURS_PER_WEEK,
                status=status,
                probability=1.0 if status is Status.CONFIRMED else rng.choice((0.3, 0.5, 0.8)),
                role=rng.choice(ROLES),
            )
        )
    assignments = []
    for person in people:
        first = person.employment_start or FIRST
        last = person.employment_end or LAST
        for _ in range(rng.randint(3, 8)):
            start = day(rng, first, last)
            while start.weekday() >= 5 or start in HOLIDAYS:
                start += dt.timedelta(days=1)
            if start > last:
                continue
            finish = min(start + dt.timedelta(days=rng.randint(4, 40)), last)
            assignments.append(
                TaskAssignment(
                    id=len(assignments) + 1,
                    project_id=rng.randint(1, 300),
                    person_id=person.id,
                    start=start,
                    finish=finish,
                    work_hours=rng.choice((8, 16, 24, 40, 60)),
                )
            )
    return people, allocations, assignments


def best_of(runs: int, action) -> float:
    best = float("inf")
    for _ in range(runs):
        began = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - began)
    return best


def main() -> None:
    calibration = best_of(3, lambda: sum(range(1_000_000)))
    print(f"machine calibration: sum(range(1e6)) = {calibration * 1000:.1f} ms")
    people, allocations, assignments = organisation()
    print(
        f"{len(people):,} people, {len(allocations):,} allocations "
        f"({sum(a.role is not None for a in allocations)} open role requests), "
        f"{len(assignments):,} task assignments, 300 projects, 52 weeks"
    )
    weekly = Horizon.covering(FIRST, LAST, "week")
    monthly = Horizon.covering(FIRST, LAST, "month")

    def build(horizon: Horizon):
        return build_capacity(people, allocations, assignments, horizon=horizon)

    model = build(weekly)
    seconds_build = best_of(3, lambda: build(weekly))
    print(f"build the model (checks, daily capacity and demand): {seconds_build * 1000:7.1f} ms")
    timings = {}
    for label, group_by in (("by person", GroupBy.PERSON), ("by role", GroupBy.ROLE)):
        timings[label] = best_of(5, lambda g=group_by: load_table(model, g))
        print(f"weekly aggregation {label}:                     {timings[label] * 1000:7.1f} ms")
    monthly_model = build(monthly)
    seconds_skill = best_of(5, lambda: load_table(monthly_model, GroupBy.SKILL))
    print(f"monthly aggregation by skill:                    {seconds_skill * 1000:7.1f} ms")
    table = load_table(model, GroupBy.ROLE)
    peak = table.demand.argmax()
    role, period = table.keys[peak // len(table.periods)], peak % len(table.periods)
    seconds_projects = best_of(5, lambda: table.projects(role, period))
    print(
        f"projects behind the peak cell ({role}, {table.periods[period].label}): "
        f"{len(table.projects(role, period))} projects, {seconds_projects * 1000:.1f} ms"
    )
    for label, view in (
        ("confirmed", DemandView(include_tentative=False, include_soft=False)),
        ("all demand", DemandView()),
    ):
        seconds = best_of(3, lambda v=view: check_feasibility(model, v))
        result = check_feasibility(model, view)
        searched = int((result.naive_over.sum(axis=1) > 1e-6).sum())
        print(
            f"feasibility ({label}): {seconds * 1000:7.1f} ms; searched {searched} people, "
            f"{len(result.overbooked())} overbooked by {result.unplaced.sum():,.0f} h "
            f"(naive even spread: {result.naive_over.sum():,.0f} h over)"
        )
        timings[f"feasibility {label}"] = seconds
    march = (dt.date(2027, 3, 1), dt.date(2027, 3, 31))
    seconds_search = best_of(
        5,
        lambda: free_people(
            model, skill="Python", min_level=3, first=march[0], last=march[1], min_free_share=0.5
        ),
    )
    found = free_people(
        model, skill="Python", min_level=3, first=march[0], last=march[1], min_free_share=0.5
    )
    load = table.demand.sum() / table.capacity.sum() * 100
    print(f"average load, all demand: {load:.0f} %")
    print(f"skills search (Python ≥ 3, ≥ 50 % free in March): {len(found)} people, "
          f"{seconds_search * 1000:.1f} ms")  # fmt: skip
    total = (
        seconds_build
        + timings["by person"]
        + timings["by role"]
        + timings["feasibility all demand"]
    )
    print(f"build + person and role tables + feasibility (all demand): {total * 1000:.1f} ms")


if __name__ == "__main__":
    main()
