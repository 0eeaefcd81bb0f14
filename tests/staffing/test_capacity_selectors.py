"""Engine inputs built from rows, checked against hours worked out by hand.

tom works Mon–Fri, 40 h a week at the default 80 % availability: 32 h a week, 6.4 h a day.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from steerco.engine.capacity import DemandView, GroupBy, load_table
from steerco.resources.models import Leave
from steerco.staffing import services
from steerco.staffing.models import Allocation
from steerco.staffing.selectors import capacity_model

pytestmark = pytest.mark.django_db

MARCH_2 = date(2026, 3, 2)  # a Monday: ISO week 2026-W10


def _allocate(org, staff, **values):
    defaults = dict(
        actor=org.users["rita"],
        project=org.alpha,
        person=staff.tom,
        amount=16,
        unit=Allocation.Unit.HOURS_PER_WEEK,
        start=MARCH_2,
        finish=date(2026, 3, 27),
    )
    defaults.update(values)
    return services.allocation_create(**defaults)


def _tom_week(org, staff, first=MARCH_2, last=date(2026, 3, 8), view=None):
    model, _inputs = capacity_model(first=first, last=last, interval="week")
    table = load_table(model, GroupBy.PERSON, view or DemandView())
    return table.cell(staff.tom.pk, 0)


def test_a_week_of_capacity_and_demand(org, staff):
    _allocate(org, staff)
    cell = _tom_week(org, staff)
    assert cell.capacity == pytest.approx(32.0)
    assert cell.demand == pytest.approx(16.0)
    assert cell.load_percent == pytest.approx(50.0)


def test_leave_lowers_capacity_and_half_days_count_half(org, staff):
    Leave.objects.create(person=staff.tom, start=date(2026, 3, 4), finish=date(2026, 3, 4))
    Leave.objects.create(
        person=staff.tom, start=date(2026, 3, 5), finish=date(2026, 3, 5), day_fraction=0.5
    )
    # 32 − 6.4 − 3.2
    assert _tom_week(org, staff).capacity == pytest.approx(22.4)


def test_public_holidays_of_the_persons_country(org, staff):
    staff.tom.holiday_country, staff.tom.holiday_subdivision = "GB", "ENG"
    staff.tom.save()
    # Good Friday, 3 April 2026: four working days that week.
    cell = _tom_week(org, staff, first=date(2026, 3, 30), last=date(2026, 4, 5))
    assert cell.capacity == pytest.approx(4 * 6.4)


def test_part_time_and_a_four_day_week(org, staff):
    staff.tom.working_weekdays = [0, 1, 2, 3]
    staff.tom.part_time_percent = 50
    staff.tom.availability_percent = 100
    staff.tom.save()
    assert _tom_week(org, staff).capacity == pytest.approx(20.0)


def test_soft_demand_is_weighted_by_its_probability(org, staff):
    _allocate(org, staff, amount=40, status=Allocation.Status.SOFT, probability=0.5)
    raw = _tom_week(org, staff)
    weighted = _tom_week(org, staff, view=DemandView(weighted=True))
    confirmed_only = _tom_week(org, staff, view=DemandView(False, False))
    assert (raw.demand, weighted.demand, confirmed_only.demand) == pytest.approx((40, 20, 0))


def test_rejected_and_deleted_allocations_are_no_demand(org, staff):
    rejected = _allocate(org, staff)
    services.allocation_reject(actor=org.users["rita"], allocation=rejected, expected_version=1)
    deleted = _allocate(org, staff)
    services.allocation_delete(actor=org.users["rita"], allocation=deleted, expected_version=1)
    assert _tom_week(org, staff).demand == 0


def test_open_role_request_counts_under_the_role(org, staff):
    _allocate(org, staff)  # 16 h on tom, a developer
    _allocate(org, staff, person=None, role=staff.developer, amount=20)
    model, _inputs = capacity_model(first=MARCH_2, last=date(2026, 3, 8), interval="week")
    cell = load_table(model, GroupBy.ROLE).cell("Developer", 0)
    assert (cell.capacity, cell.demand) == pytest.approx((32, 36))


def test_fte_allocation_is_a_share_of_a_full_time_day(org, staff):
    # 0.5 FTE on tom: half of 8 h on each of five days = 20 h, before his availability.
    _allocate(org, staff, amount=0.5, unit=Allocation.Unit.FTE)
    assert _tom_week(org, staff).demand == pytest.approx(20)


def test_plan_work_is_demand_on_the_scheduled_task_dates(org, staff):
    from steerco.plans.models import TaskAssignment
    from steerco.plans.services import task_create

    # ALPHA's plan starts on Monday 5 January 2026; a five-day task fills that week.
    task = task_create(
        actor=org.users["priya"], project=org.alpha, name="Build", duration_minutes=2400
    )
    TaskAssignment.objects.create(
        task=task, resource_name=staff.tom.name, person=staff.tom, units=1, work_minutes=2400
    )
    cell = _tom_week(org, staff, first=date(2026, 1, 5), last=date(2026, 1, 11))
    assert cell.demand == pytest.approx(40)
    assert cell.load_percent == pytest.approx(125)


def test_inputs_take_a_fixed_number_of_queries(org, staff):
    from steerco.resources.models import Person, Role

    tester = Role.objects.get(name="Tester")
    for n in range(3):
        person = Person.objects.create(name=f"Extra {n}", primary_role=tester)
        _allocate(org, staff, person=person)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            capacity_model(first=MARCH_2, last=date(2026, 3, 29), include_plans=False)
        return len(captured)

    before = queries()
    for n in range(5):
        person = Person.objects.create(name=f"More {n}", primary_role=tester)
        _allocate(org, staff, person=person)
    assert queries() == before
