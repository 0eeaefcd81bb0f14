"""Progress figures derived from a plan's tasks."""

from __future__ import annotations

from steerco.engine.scheduling.model import Plan


def summary_percent_complete(plan: Plan) -> dict[int, float]:
    """% complete (0–100) of each summary task, rolled up from the tasks below it.

    As Microsoft Project does, the roll-up is weighted by duration (working minutes):
    sum(duration × % complete) / sum(duration) over the leaf tasks under the summary.
    A summary whose leaves have no duration at all (only milestones) takes their plain
    average. Summaries without any leaf are 0. Returns {summary uid: percent}.
    """
    children: dict[int, list[int]] = {}
    by_uid = {task.uid: task for task in plan.tasks}
    for task in plan.tasks:
        if task.parent_uid is not None and task.parent_uid in by_uid:
            children.setdefault(task.parent_uid, []).append(task.uid)
    # (weighted done minutes, minutes, sum of percents, leaf count) per uid, bottom-up.
    totals: dict[int, tuple[float, int, float, int]] = {}

    def total(uid: int) -> tuple[float, int, float, int]:
        if uid in totals:
            return totals[uid]
        kids = children.get(uid)
        if not kids:
            task = by_uid[uid]
            minutes = max(task.duration_minutes, 0)
            result = (minutes * task.percent_complete, minutes, task.percent_complete, 1)
        else:
            done = minutes = percents = count = 0
            for kid in kids:
                kid_done, kid_minutes, kid_percents, kid_count = total(kid)
                done += kid_done
                minutes += kid_minutes
                percents += kid_percents
                count += kid_count
            result = (done, minutes, percents, count)
        totals[uid] = result
        return result

    rolled = {}
    for uid in children:
        done, minutes, percents, count = total(uid)
        if minutes:
            rolled[uid] = done / minutes
        else:
            rolled[uid] = percents / count if count else 0.0
    return rolled


def plan_percent_complete(plan: Plan) -> float:
    """% complete (0–100) of the whole plan: its project summary task, Microsoft Project's
    task 0, rolled up from every leaf task as :func:`summary_percent_complete` rolls up a
    summary. A plan without tasks is 0."""
    parents = {task.parent_uid for task in plan.tasks if task.parent_uid is not None}
    leaves = [task for task in plan.tasks if task.uid not in parents]
    if not leaves:
        return 0.0
    minutes = sum(max(task.duration_minutes, 0) for task in leaves)
    if minutes:
        done = sum(max(task.duration_minutes, 0) * task.percent_complete for task in leaves)
        return done / minutes
    return sum(task.percent_complete for task in leaves) / len(leaves)
