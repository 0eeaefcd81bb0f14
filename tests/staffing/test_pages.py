"""The capacity and allocation pages through the Django client."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from steerco.resources.models import Leave
from steerco.staffing import services
from steerco.staffing.models import Allocation

pytestmark = pytest.mark.django_db

RANGE = {"start": "2026-03-02", "finish": "2026-03-29", "interval": "week"}


@pytest.fixture
def booked(org, staff):
    """tom: 40 h in the week of 2 March on ALPHA (125 % of his 32 h) and an open request
    for a Developer on BETA."""
    services.allocation_create(
        actor=org.users["rita"],
        project=org.alpha,
        person=staff.tom,
        amount=40,
        unit=Allocation.Unit.HOURS_PER_WEEK,
        start=date(2026, 3, 2),
        finish=date(2026, 3, 8),
    )
    request = services.allocation_create(
        actor=org.users["priya"],
        project=org.beta,
        role=staff.developer,
        amount=20,
        start=date(2026, 3, 2),
        finish=date(2026, 3, 29),
    )
    Leave.objects.create(
        person=staff.tom, start=date(2026, 3, 16), finish=date(2026, 3, 16), reason="Dentist"
    )
    return request


def test_heatmap_shows_the_overload_band_and_percentage(client_for, booked, staff):
    response = client_for("rita").get(reverse("staffing:heatmap"), RANGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="load--over"' in html and "125%" in html
    assert staff.tom.name in html


def test_heatmap_by_role_counts_the_open_request(client_for, booked):
    response = client_for("bob").get(reverse("staffing:heatmap"), RANGE | {"group_by": "role"})
    assert response.status_code == 200
    # 40 h on tom + 5 h of the 20 h-a-week request... per week: 40 + 20 = 60 of 32 h.
    assert "188%" in response.content.decode()


def test_cell_lists_the_allocations_behind_it(client_for, booked, staff, org):
    response = client_for("rita").get(
        reverse("staffing:cell"),
        RANGE | {"group_by": "person", "key": staff.tom.pk, "period": "2026-03-02"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "ALPHA" in html and "40.0" in html
    assert "<html" not in html  # a fragment for htmx


def test_bad_range_is_a_form_error_not_a_500(client_for, booked):
    response = client_for("rita").get(
        reverse("staffing:heatmap"), {"start": "2026-04-01", "finish": "2026-03-01"}
    )
    assert response.status_code == 400
    assert "ends before it starts" in response.content.decode()


def test_project_manager_sees_load_but_not_the_reason_for_leave(client_for, booked, staff):
    url = reverse("staffing:person", kwargs={"person_id": staff.tom.pk})
    as_priya = client_for("priya").get(url, RANGE).content.decode()
    as_rita = client_for("rita").get(url, RANGE).content.decode()
    as_tom_himself = client_for("tom").get(url, RANGE)  # no capacity pages, but his own
    assert "2026-W10" in as_priya and "Dentist" not in as_priya
    assert "Dentist" in as_rita
    assert as_tom_himself.status_code == 200 and "Dentist" in as_tom_himself.content.decode()
    olga = client_for("olga")
    assert olga.get(url).status_code == 403
    assert olga.get(reverse("staffing:person", kwargs={"person_id": 987654})).status_code == 403


def test_line_manager_sees_the_reason(org, client_for, booked, staff):
    from steerco.projects.models import Membership

    # mary becomes tom's line manager and staffs projects (support on ALPHA).
    staff.tom.line_manager = org.people["mary"]
    staff.tom.save()
    assert Membership.objects.filter(person=org.people["mary"]).exists()
    html = client_for("mary").get(
        reverse("staffing:person", kwargs={"person_id": staff.tom.pk}), RANGE
    )
    assert "Dentist" in html.content.decode()


def test_role_view_shows_the_shortfall(client_for, booked):
    response = client_for("rita").get(
        reverse("staffing:roles"), {"start": "2026-03-01", "finish": "2026-03-31"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Developer" in html and "short" in html


def test_skills_search_finds_free_people_with_the_skill(client_for, booked, staff):
    response = client_for("rita").get(
        reverse("staffing:skills"),
        {
            "skill": staff.python.pk,
            "min_level": 3,
            "min_free": 50,
            "start": "2026-03-23",
            "finish": "2026-03-27",
        },
    )
    assert response.status_code == 200
    assert staff.tom.name in response.content.decode()
    busy = client_for("rita").get(
        reverse("staffing:skills"),
        {
            "skill": staff.python.pk,
            "min_level": 3,
            "min_free": 50,
            "start": "2026-03-02",
            "finish": "2026-03-06",
        },
    )
    assert staff.tom.name not in busy.content.decode().split("skill-results")[-1]


def test_request_flow_through_the_pages(org, client_for, staff):
    priya, rita = client_for("priya"), client_for("rita")
    response = priya.post(
        reverse("staffing:allocation_create"),
        {
            "project": org.alpha.pk,
            "role": staff.developer.pk,
            "amount": "10",
            "unit": "hours_per_week",
            "start": "2026-03-02",
            "finish": "2026-03-27",
            "status": "confirmed",
        },
    )
    assert response.status_code == 302
    request = Allocation.objects.get()
    assert request.state == "requested"
    # priya may not approve
    approve = reverse("staffing:allocation_approve", kwargs={"allocation_id": request.pk})
    assert priya.post(approve, {"version": 1}).status_code == 403
    fill = reverse("staffing:allocation_fill", kwargs={"allocation_id": request.pk})
    assert staff.tom.name in rita.get(fill).content.decode()
    saved = rita.post(
        reverse("staffing:allocation_fill_save", kwargs={"allocation_id": request.pk}),
        {"version": 1, "person": staff.tom.pk},
    )
    assert saved.status_code == 302
    request.refresh_from_db()
    assert request.person == staff.tom and request.state == "approved"


def test_negative_hours_are_a_form_error(org, client_for, staff):
    response = client_for("priya").post(
        reverse("staffing:allocation_create"),
        {
            "project": org.alpha.pk,
            "person": staff.tom.pk,
            "amount": "-5",
            "unit": "hours_per_week",
            "start": "2026-03-02",
            "finish": "2026-03-27",
            "status": "confirmed",
        },
    )
    assert response.status_code == 422
    assert "negative" in response.content.decode()
    assert not Allocation.all_objects.exists()


def test_resource_manager_home_leads_to_the_heatmap(client_for, booked):
    html = client_for("rita").get(reverse("home:home")).content.decode()
    assert reverse("staffing:heatmap") in html and "1 allocation request waits" in html


def test_delete_and_restore_from_the_list(org, client_for, booked):
    priya = client_for("priya")
    url = reverse("staffing:allocation_delete", kwargs={"allocation_id": booked.pk})
    assert priya.post(url, {"version": 1}).status_code == 302
    assert not Allocation.objects.filter(pk=booked.pk).exists()
    restore = reverse("staffing:allocation_restore", kwargs={"allocation_id": booked.pk})
    assert priya.post(restore, {"version": 2}).status_code == 302
    assert Allocation.objects.filter(pk=booked.pk).exists()


def test_resource_manager_sets_a_working_pattern_on_the_person_form(org, client_for, staff):
    tom = staff.tom
    response = client_for("rita").post(
        reverse("people:edit", kwargs={"pk": tom.pk}),
        {
            "version": tom.version,
            "name": tom.name,
            "email": tom.email,
            "team": tom.team,
            "active": "on",
            "primary_role": staff.tester.pk,
            "employment_type": "contractor",
            "weekly_hours": "37.5",
            "working_weekdays": ["0", "1", "2", "3"],
            "part_time_percent": "80",
            "availability_percent": "75",
            "holiday_country": "gb",
            "holiday_subdivision": "sct",
        },
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    tom.refresh_from_db()
    assert tom.primary_role == staff.tester and tom.working_weekdays == [0, 1, 2, 3]
    assert (tom.holiday_country, tom.holiday_subdivision) == ("GB", "SCT")
    assert tom.availability_percent == 75 and tom.employment_type == "contractor"


def test_unknown_holiday_region_is_a_form_error(org, client_for, staff):
    tom = staff.tom
    response = client_for("rita").post(
        reverse("people:edit", kwargs={"pk": tom.pk}),
        {
            "version": tom.version,
            "name": tom.name,
            "active": "on",
            "employment_type": "employee",
            "weekly_hours": "40",
            "working_weekdays": ["0", "1", "2", "3", "4"],
            "part_time_percent": "100",
            "availability_percent": "80",
            "holiday_country": "GB",
            "holiday_subdivision": "XYZ",
        },
    )
    assert response.status_code == 422
    assert "is not a region of GB" in response.content.decode()


def test_tom_records_his_own_leave_and_priya_may_not(org, client_for, staff):
    url = reverse("staffing:leave_add", kwargs={"person_id": staff.tom.pk})
    body = {
        "start": "2026-05-04",
        "finish": "2026-05-05",
        "day_fraction": "0.5",
        "kind": "annual",
        "reason": "Move house",
    }
    assert client_for("tom").post(url, body).status_code == 302
    assert client_for("priya").post(url, body).status_code == 403
    leave = Leave.objects.get(person=staff.tom)
    assert leave.day_fraction == 0.5 and leave.reason == "Move house"


def test_backwards_leave_is_refused_with_a_message(org, client_for, staff):
    url = reverse("staffing:leave_add", kwargs={"person_id": staff.tom.pk})
    response = client_for("rita").post(
        url,
        {"start": "2026-05-08", "finish": "2026-05-04", "day_fraction": "1", "kind": "annual"},
        follow=True,
    )
    assert "cannot end before it starts" in response.content.decode()
    assert not Leave.objects.filter(person=staff.tom).exists()


def test_resource_manager_records_a_skill(org, client_for, staff):
    url = reverse("staffing:skill_set", kwargs={"person_id": staff.tom.pk})
    assert client_for("rita").post(url, {"skill": staff.python.pk, "level": 5}).status_code == 302
    assert staff.tom.skills.get().level == 5
    assert client_for("priya").post(url, {"skill": staff.python.pk, "level": 1}).status_code == 403


def test_allocation_list_takes_the_same_queries_for_more_rows(org, client_for, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rita = client_for("rita")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert rita.get(reverse("staffing:allocations")).status_code == 200
        return len(captured)

    def allocate(actor) -> None:
        services.allocation_create(
            actor=actor,
            project=org.alpha,
            person=staff.tom,
            amount=4,
            start=date(2026, 3, 2),
            finish=date(2026, 3, 6),
        )

    allocate(org.users["priya"])
    before = queries()
    for _ in range(4):
        allocate(org.users["priya"])
        allocate(org.users["rita"])
    assert queries() == before
