"""Summary % complete rolls up from leaf tasks weighted by duration (MS Project's rule)."""

from steerco.engine.scheduling import Plan, Task
from steerco.engine.scheduling.progress import plan_percent_complete, summary_percent_complete

DAY = 480


def test_weighted_by_duration_through_two_levels():
    # Phase 1 > Package A (10d at 50%, 30d at 0%) and a 10d task at 100%.
    # Package A: (10×50 + 30×0) / 40 = 12.5 %.  Phase: (500 + 0 + 1000) / 50 = 30 %.
    plan = Plan(
        tasks=[
            Task(uid=1, name="Phase 1", summary=True),
            Task(uid=2, name="Package A", parent_uid=1, summary=True),
            Task(uid=3, parent_uid=2, duration_minutes=10 * DAY, percent_complete=50),
            Task(uid=4, parent_uid=2, duration_minutes=30 * DAY, percent_complete=0),
            Task(uid=5, parent_uid=1, duration_minutes=10 * DAY, percent_complete=100),
        ]
    )
    rolled = summary_percent_complete(plan)
    assert rolled == {1: 30.0, 2: 12.5}


def test_summary_of_milestones_only_averages_them():
    plan = Plan(
        tasks=[
            Task(uid=1, name="Gates", summary=True),
            Task(uid=2, parent_uid=1, milestone=True, percent_complete=100),
            Task(uid=3, parent_uid=1, milestone=True, percent_complete=0),
        ]
    )
    assert summary_percent_complete(plan) == {1: 50.0}


def test_the_whole_plan_rolls_up_every_leaf_by_duration():
    """Project summary (task 0): (10d × 50% + 30d × 0% + 10d × 100%) / 50d = 30%, the
    same weighting as a summary task, across top-level phases."""
    plan = Plan(
        tasks=[
            Task(uid=1, name="Phase 1", summary=True),
            Task(uid=2, parent_uid=1, duration_minutes=10 * DAY, percent_complete=50),
            Task(uid=3, parent_uid=1, duration_minutes=30 * DAY, percent_complete=0),
            Task(uid=4, name="Phase 2", summary=True),
            Task(uid=5, parent_uid=4, duration_minutes=10 * DAY, percent_complete=100),
            Task(uid=6, parent_uid=4, milestone=True, percent_complete=0),
        ]
    )
    assert plan_percent_complete(plan) == 30.0


def test_a_plan_of_milestones_averages_them_and_an_empty_plan_is_zero():
    milestones = Plan(
        tasks=[Task(uid=1, milestone=True, percent_complete=100), Task(uid=2, milestone=True)]
    )
    assert plan_percent_complete(milestones) == 50.0
    assert plan_percent_complete(Plan(tasks=[])) == 0.0
