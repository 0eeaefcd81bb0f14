"""Working calendars: services, pages and API.

Public holiday dates are those the ``holidays`` package publishes for England in 2026
(``holidays.country_holidays("GB", subdiv="ENG", years=2026)``): 25 Dec Christmas Day and,
because 26 Dec is a Saturday, 28 Dec "Boxing Day (observed)", the substitute day.
"""

from __future__ import annotations

import datetime as dt

import holidays
import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from steerco.core.exceptions import DomainError, VersionConflict
from steerco.plans import services
from steerco.plans.calendars import services as cal
from steerco.plans.models import CalendarException, WorkCalendar
from steerco.plans.selectors import plan_view

MONDAY = dt.datetime(2026, 1, 5, 8, 0)
DAY = 480


def result_of(view, task):
    return next(row.result for row in view.rows if row.task.pk == task.pk)


@pytest.fixture
def three_days(org):
    """ALPHA starts Monday 2026-01-05 08:00 with one 3-day task."""
    project = org.alpha
    settings = services.plan_settings(project)
    services.plan_update(
        actor=org.mary, project=project, expected_version=settings.version, start=MONDAY
    )
    task = services.task_create(
        actor=org.mary, project=project, name="Build", duration_minutes=3 * DAY
    )
    return project, task


@pytest.fixture
def uk(org):
    return cal.calendar_create(
        actor=org.bob, name="UK standard (England)", country="GB", subdivision="ENG"
    )


# --- services --------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["priya", "mary"])
def test_project_team_edits_project_calendar(org, who):
    calendar = cal.project_calendar_for_edit(actor=org.users[who], project=org.alpha)
    assert calendar.project == org.alpha
    cal.calendar_update(
        actor=org.users[who], calendar=calendar, expected_version=calendar.version, name="Ours"
    )
    assert WorkCalendar.objects.get(pk=calendar.pk).name == "Ours"


@pytest.mark.parametrize("who", ["tom", "erin"])
def test_viewers_may_not_edit_project_calendar(org, who):
    calendar = cal.project_calendar_for_edit(actor=org.priya, project=org.alpha)
    with pytest.raises(PermissionDenied):
        cal.calendar_update(actor=org.users[who], calendar=calendar, expected_version=1, name="X")
    with pytest.raises(PermissionDenied):
        cal.exception_add(actor=org.users[who], calendar=calendar, start=dt.date(2026, 1, 7))


def test_outsider_gets_404(org):
    calendar = cal.project_calendar_for_edit(actor=org.priya, project=org.alpha)
    with pytest.raises(Http404):
        cal.calendar_update(actor=org.olga, calendar=calendar, expected_version=1, name="X")


def test_only_pmo_manages_organisation_calendars(org, uk):
    assert uk.project is None and uk.country == "GB"
    for who in ("priya", "mary", "tom"):
        with pytest.raises(PermissionDenied):
            cal.calendar_create(actor=org.users[who], name="Mine")
        with pytest.raises(PermissionDenied):
            cal.calendar_update(
                actor=org.users[who], calendar=uk, expected_version=uk.version, name="X"
            )
    cal.calendar_update(actor=org.bob, calendar=uk, expected_version=uk.version, name="UK")
    assert WorkCalendar.objects.get(pk=uk.pk).name == "UK"


def test_non_working_wednesday_moves_finish_to_thursday(org, three_days):
    project, task = three_days
    before = result_of(plan_view(project=project), task)
    assert before.finish == dt.datetime(2026, 1, 7, 17, 0)
    calendar = cal.project_calendar_for_edit(actor=org.priya, project=project)
    cal.exception_add(
        actor=org.priya, calendar=calendar, name="Away day", start=dt.date(2026, 1, 7)
    )
    after = result_of(plan_view(project=project), task)
    assert (after.start, after.finish) == (MONDAY, dt.datetime(2026, 1, 8, 17, 0))
    cal.exception_remove(actor=org.priya, exception=calendar.exceptions.get())
    assert result_of(plan_view(project=project), task).finish == dt.datetime(2026, 1, 7, 17, 0)


def test_country_gb_makes_christmas_and_boxing_substitute_non_working(org):
    published = holidays.country_holidays("GB", subdiv="ENG", years=2026)
    assert published[dt.date(2026, 12, 25)] == "Christmas Day"
    assert "Boxing Day" in published[dt.date(2026, 12, 28)]
    project = org.alpha
    settings = services.plan_settings(project)
    services.plan_update(
        actor=org.priya,
        project=project,
        expected_version=settings.version,
        start=dt.datetime(2026, 12, 24, 8),
    )
    task = services.task_create(
        actor=org.priya, project=project, name="T", duration_minutes=2 * DAY
    )
    # Without holidays: Thu 24 and Fri 25 December.
    assert result_of(plan_view(project=project), task).finish == dt.datetime(2026, 12, 25, 17)
    calendar = cal.project_calendar_for_edit(actor=org.priya, project=project)
    cal.calendar_update(
        actor=org.priya,
        calendar=calendar,
        expected_version=calendar.version,
        country="gb",
        subdivision="ENG",
    )
    # With them: Thu 24, then (25 Christmas, weekend, 28 Boxing Day substitute) Tue 29.
    assert result_of(plan_view(project=project), task).finish == dt.datetime(2026, 12, 29, 17)
    days = {s.day: s for s in cal.special_days(calendar, dt.date(2026, 12, 1), 60)}
    assert days[dt.date(2026, 12, 25)].name == "Christmas Day"
    assert days[dt.date(2026, 12, 28)].kind == "holiday"


def test_unknown_country_is_refused_by_name(org):
    calendar = cal.project_calendar_for_edit(actor=org.priya, project=org.alpha)
    with pytest.raises(DomainError) as refused:
        cal.calendar_update(
            actor=org.priya, calendar=calendar, expected_version=calendar.version, country="XQ"
        )
    assert "XQ" in refused.value.message
    assert WorkCalendar.objects.get(pk=calendar.pk).country == ""


def test_calendar_without_working_time_is_refused(org, three_days):
    calendar = cal.project_calendar_for_edit(actor=org.priya, project=org.alpha)
    read_version = calendar.version
    read_version = calendar.version
    with pytest.raises(DomainError) as refused:
        cal.calendar_update(
            actor=org.priya,
            calendar=calendar,
            expected_version=calendar.version,
            week={str(d): [] for d in range(7)},
        )
    assert "no working time" in refused.value.message
    stored = WorkCalendar.objects.get(pk=calendar.pk)
    assert stored.week["0"] == [[480, 720], [780, 1020]] and stored.version == read_version


def test_bad_intervals_are_refused(org):
    calendar = cal.project_calendar_for_edit(actor=org.priya, project=org.alpha)
    with pytest.raises(Exception) as refused:
        cal.calendar_update(
            actor=org.priya,
            calendar=calendar,
            expected_version=calendar.version,
            week={"0": [[600, 500]]},
        )
    assert "within one day" in str(refused.value)


def test_stale_version_conflicts(org):
    calendar = cal.project_calendar_for_edit(actor=org.priya, project=org.alpha)
    cal.calendar_update(
        actor=org.priya, calendar=calendar, expected_version=calendar.version, name="A"
    )
    with pytest.raises(VersionConflict):
        cal.calendar_update(actor=org.mary, calendar=calendar, expected_version=1, name="B")


def test_delete_refused_while_in_use(org, uk):
    calendar = cal.project_calendar_for_edit(actor=org.priya, project=org.alpha)
    assert calendar.base == uk  # derived from the organisation default
    with pytest.raises(DomainError, match="ALPHA"):
        cal.calendar_delete(actor=org.priya, calendar=calendar, expected_version=calendar.version)
    with pytest.raises(DomainError, match="derives"):
        cal.calendar_delete(actor=org.bob, calendar=uk, expected_version=uk.version)
    spare = cal.calendar_create(actor=org.priya, project=org.alpha, name="Night shift")
    task = services.task_create(actor=org.priya, project=org.alpha, name="Night work")
    services.task_update(actor=org.priya, task=task, expected_version=task.version, calendar=spare)
    with pytest.raises(DomainError, match="Night work"):
        cal.calendar_delete(actor=org.priya, calendar=spare, expected_version=spare.version)
    services.task_update(actor=org.priya, task=task, expected_version=task.version, calendar=None)
    cal.calendar_delete(actor=org.priya, calendar=spare, expected_version=spare.version)
    assert not WorkCalendar.objects.filter(pk=spare.pk).exists()


def test_first_edit_copies_the_default_so_other_projects_keep_theirs(org, uk):
    cal.project_calendar_set(actor=org.bob, project=org.beta, calendar=uk)
    alpha = cal.project_calendar_for_edit(actor=org.priya, project=org.alpha)
    assert alpha.country == "GB" and alpha.pk != uk.pk
    cal.calendar_update(
        actor=org.priya,
        calendar=alpha,
        expected_version=alpha.version,
        week={"0": [], "1": [[480, 1020]]},
    )
    assert WorkCalendar.objects.get(pk=uk.pk).week["0"] == [[480, 720], [780, 1020]]
    assert services.plan_settings(org.beta).calendar_id == uk.pk


def test_saturday_working_exception(org, three_days):
    project, _task = three_days
    calendar = cal.project_calendar_for_edit(actor=org.priya, project=project)
    saturday = cal.exception_add(
        actor=org.priya,
        calendar=calendar,
        name="Catch-up Saturday",
        start=dt.date(2026, 1, 10),
        intervals=[[540, 780]],
    )
    assert saturday.finish == saturday.start
    days = cal.special_days(calendar, dt.date(2026, 1, 1), 30)
    assert [(d.day, d.intervals) for d in days] == [(dt.date(2026, 1, 10), [[540, 780]])]


# --- pages -----------------------------------------------------------------------------


def week_post(**overrides):
    data = {"action": "save", "name": "ALPHA calendar", "country": "GB", "subdivision": "ENG"}
    for day in range(5):
        data.update(
            {
                f"day{day}_0_from": "08:00",
                f"day{day}_0_to": "12:00",
                f"day{day}_1_from": "13:00",
                f"day{day}_1_to": "17:00",
            }
        )
    data.update(overrides)
    return data


def test_calendar_page_shows_week_and_holidays(org, client_for, uk):
    cal.project_calendar_set(actor=org.priya, project=org.alpha, calendar=uk)
    page = client_for("tom").get(reverse("plans:calendar", args=[org.alpha.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "08:00–12:00, 13:00–17:00" in text
    assert "Christmas Day" in text and "public holiday" in text
    assert "Save working time" not in text  # read-only for a team member
    assert (
        client_for("tom")
        .post(reverse("plans:calendar", args=[org.alpha.pk]), week_post())
        .status_code
        == 403
    )
    assert client_for("olga").get(reverse("plans:calendar", args=[org.alpha.pk])).status_code == 404


def test_calendar_page_saves_week(org, client_for):
    url = reverse("plans:calendar", args=[org.alpha.pk])
    priya = client_for("priya")
    assert "Save working time" in priya.get(url).content.decode()
    response = priya.post(url, week_post(day2_off="on", version="1"))
    assert response.status_code == 302
    calendar = services.plan_settings(org.alpha).calendar
    assert calendar.project == org.alpha and calendar.country == "GB"
    assert calendar.week["2"] == [] and calendar.week["0"] == [[480, 720], [780, 1020]]
    assert calendar.week["5"] == []


def test_calendar_page_shows_errors_inline(org, client_for):
    url = reverse("plans:calendar", args=[org.alpha.pk])
    priya = client_for("priya")
    bad = priya.post(url, week_post(day0_0_to="07:00", country="XQ"))
    assert bad.status_code == 200
    assert "The end must be after the start." in bad.content.decode()
    closed = {f"day{d}_off": "on" for d in range(7)}
    nothing = priya.post(url, week_post(country="", subdivision="", **closed))
    assert nothing.status_code == 422  # refused: a 4xx, not 200
    assert "no working time" in nothing.content.decode()
    assert services.plan_settings(org.alpha).calendar is None  # nothing saved


def test_calendar_page_version_conflict(org, client_for):
    calendar = cal.project_calendar_for_edit(actor=org.priya, project=org.alpha)
    cal.calendar_update(
        actor=org.mary, calendar=calendar, expected_version=calendar.version, name="M"
    )
    response = client_for("priya").post(
        reverse("plans:calendar", args=[org.alpha.pk]), week_post(version="1")
    )
    assert response.status_code == 409  # refused: a 4xx, not 200
    assert "Someone else saved this calendar" in response.content.decode()


def test_calendar_page_adds_and_removes_exceptions(org, client_for):
    url = reverse("plans:calendar", args=[org.alpha.pk])
    priya = client_for("priya")
    response = priya.post(
        url,
        {
            "action": "add_exception",
            "name": "Office closed",
            "start": "2026-12-24",
            "finish": "2026-12-31",
        },
    )
    assert response.status_code == 302
    exception = CalendarException.objects.get(name="Office closed")
    assert exception.intervals == [] and exception.finish == dt.date(2026, 12, 31)
    backwards = priya.post(
        url, {"action": "add_exception", "start": "2026-12-24", "finish": "2026-12-01"}
    )
    assert "cannot end before it starts" in backwards.content.decode()
    priya.post(url, {"action": "remove_exception", "exception": str(exception.pk)})
    assert not CalendarException.objects.filter(pk=exception.pk).exists()


def test_organisation_calendar_pages(org, client_for, uk):
    bob = client_for("bob")
    listing = bob.get(reverse("calendars:list"))
    assert listing.status_code == 200 and "UK standard (England)" in listing.content.decode()
    created = bob.post(reverse("calendars:list"), week_post(name="Scotland", subdivision="SCT"))
    assert created.status_code == 302
    scotland = WorkCalendar.objects.get(name="Scotland")
    assert scotland.project is None and scotland.subdivision == "SCT"
    detail = bob.get(reverse("calendars:detail", args=[scotland.pk]))
    assert "Save working time" in detail.content.decode()
    assert (
        client_for("priya").post(reverse("calendars:list"), week_post(name="X")).status_code == 403
    )
    assert (
        "Save working time"
        not in client_for("priya").get(reverse("calendars:detail", args=[uk.pk])).content.decode()
    )
    bob.post(reverse("calendars:detail", args=[scotland.pk]), {"action": "delete"})
    assert not WorkCalendar.objects.filter(pk=scotland.pk).exists()


# --- API -------------------------------------------------------------------------------

JSON = "application/json"


def api(project, suffix: str = "") -> str:
    return f"/api/v1/projects/{project.pk}/calendars{suffix}"


def test_api_calendar_crud(org, client_for, uk):
    priya = client_for("priya")
    created = priya.post(
        api(org.alpha),
        {"name": "Site week", "country": "GB", "subdivision": "ENG", "base": uk.pk},
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["project"] == org.alpha.pk and body["base"] == uk.pk and body["version"] == 1
    listed = priya.get(api(org.alpha)).json()
    assert [c["name"] for c in listed["items"]] == ["Site week", "UK standard (England)"]
    one = api(org.alpha, f"/{body['id']}")
    assert priya.get(one).json()["week"]["0"] == [[480, 720], [780, 1020]]

    changed = priya.patch(one, {"version": 1, "week": {"5": [[540, 780]]}}, content_type=JSON)
    assert changed.status_code == 200, changed.content
    assert changed.json()["week"]["5"] == [[540, 780]] and changed.json()["version"] == 2
    stale = priya.patch(one, {"version": 1, "name": "Old"}, content_type=JSON)
    assert stale.status_code == 409
    assert stale.json()["code"] == "version_conflict"
    unknown = priya.patch(one, {"version": 2, "country": "XQ"}, content_type=JSON)
    assert unknown.status_code == 422 and "XQ" in unknown.json()["detail"]
    closed = {str(d): [] for d in range(7)}
    nothing = priya.patch(one, {"version": 2, "week": closed}, content_type=JSON)
    assert nothing.status_code == 422 and "no working time" in nothing.json()["detail"]

    exceptions = api(org.alpha, f"/{body['id']}/exceptions")
    added = priya.post(
        exceptions,
        {"name": "Office closed", "start": "2026-12-24", "finish": "2026-12-31"},
        content_type=JSON,
    )
    assert added.status_code == 201, added.content
    assert added.json()["intervals"] == []
    assert [e["name"] for e in priya.get(exceptions).json()["items"]] == ["Office closed"]
    exception_url = f"{exceptions}/{added.json()['id']}"
    assert priya.get(exception_url).json()["finish"] == "2026-12-31"
    assert priya.delete(exception_url).status_code == 204
    assert priya.get(exception_url).status_code == 404

    assert priya.delete(f"{one}?version=1").status_code == 409
    assert priya.delete(f"{one}?version=2").status_code == 204
    assert priya.get(one).status_code == 404


def test_api_permissions(org, client_for, uk):
    calendar = cal.project_calendar_for_edit(actor=org.priya, project=org.alpha)
    one = api(org.alpha, f"/{calendar.pk}")
    assert client_for("olga").get(one).status_code == 404
    assert client_for("olga").get(api(org.alpha)).status_code == 404
    tom = client_for("tom")
    assert tom.get(one).status_code == 200
    assert tom.patch(one, {"version": 1, "name": "T"}, content_type=JSON).status_code == 403
    assert tom.post(api(org.alpha), {"name": "T"}, content_type=JSON).status_code == 403
    # The organisation's calendars are not the project's to change (see the test below).
    org_url = api(org.alpha, f"/{uk.pk}")
    assert (
        client_for("priya")
        .patch(org_url, {"version": 1, "name": "X"}, content_type=JSON)
        .status_code
        == 404
    )
    # The plan's own calendar cannot be deleted while in use.
    refused = client_for("priya").delete(f"{one}?version={calendar.version}")
    assert refused.status_code == 422 and "ALPHA" in refused.json()["detail"]
    # Another project's calendar is not reachable through ALPHA.
    beta = cal.project_calendar_for_edit(actor=org.priya, project=org.beta)
    assert client_for("priya").get(api(org.alpha, f"/{beta.pk}")).status_code == 404


def test_an_organisation_calendar_is_read_but_not_changed_through_a_projects_path(
    org, client_for, uk
):
    """Even the PMO, who may edit it on its own page, cannot delete or edit it as if it
    were ALPHA's: a project's path reaches only what that project owns."""
    org_url = api(org.alpha, f"/{uk.pk}")
    bob = client_for("bob")
    assert bob.get(org_url).status_code == 200  # ALPHA's plan may use it, so it may be read
    assert bob.delete(f"{org_url}?version={uk.version}").status_code == 404
    assert (
        bob.patch(org_url, {"version": uk.version, "name": "X"}, content_type=JSON).status_code
        == 404
    )
    day = {"name": "Closed", "start": "2026-12-24"}
    assert bob.post(f"{org_url}/exceptions", day, content_type=JSON).status_code == 404
    stored = WorkCalendar.objects.get(pk=uk.pk)
    assert (stored.name, stored.version, stored.exceptions.count()) == (uk.name, uk.version, 0)


# --- demo ------------------------------------------------------------------------------


def test_demo_organisation_calendar_is_created_once(org):
    from steerco.demo.plans import _organisation_calendar

    _organisation_calendar(org.bob)
    _organisation_calendar(org.bob)
    (uk,) = WorkCalendar.objects.filter(project__isnull=True)
    assert (uk.name, uk.country, uk.subdivision) == ("UK standard (England)", "GB", "ENG")
    # A project created in the UI now takes the UK week and holidays on its first edit.
    assert cal.project_calendar_for_edit(actor=org.priya, project=org.alpha).country == "GB"


def test_imported_demo_plan_calendar_shows_uk_holidays(org, client_for):
    import json

    from steerco.demo.plans import build_plan_json
    from steerco.plans.transfer import plan_import

    document, _leaves = build_plan_json("NETREFRESH", dt.date(2026, 5, 4), "Network refresh")
    plan_import(
        actor=org.priya, project=org.alpha, data=json.dumps(document).encode(), filename="a.json"
    )
    page = client_for("priya").get(reverse("plans:calendar", args=[org.alpha.pk]))
    text = page.content.decode()
    # Any twelve months from today hold one Christmas Day.
    assert "Christmas Day" in text and "public holiday" in text
    assert "scheduled on its own calendar" in text


def test_project_page_does_not_remove_organisation_exceptions(org, client_for, uk):
    closure = cal.exception_add(
        actor=org.bob, calendar=uk, name="Shutdown", start=dt.date(2026, 12, 24)
    )
    cal.project_calendar_set(actor=org.priya, project=org.alpha, calendar=uk)
    url = reverse("plans:calendar", args=[org.alpha.pk])
    text = client_for("priya").get(url).content.decode()
    assert "Shutdown" in text and "Remove Shutdown" not in text
    client_for("priya").post(url, {"action": "remove_exception", "exception": str(closure.pk)})
    assert CalendarException.objects.filter(pk=closure.pk).exists()
    assert (
        "Remove Shutdown"
        in client_for("bob").get(reverse("calendars:detail", args=[uk.pk])).content.decode()
    )
