"""/api/v1/bookable-resources and /api/v1/bookings: 201, 409 naming the clash, 422 for
broken rules, 400 for malformed input, 403 for others' bookings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from steerco.accounts.services import token_create

JSON = "application/json"


def bearer(org, username: str) -> Client:
    _token, raw = token_create(user=org.users[username], name="tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def later(days: int, hour: int, minute: int = 0) -> str:
    """A London time ``days`` from today, as ISO 8601 with its offset."""
    from zoneinfo import ZoneInfo

    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo("Europe/London")
    ).isoformat()


@pytest.fixture
def api(org, rooms):
    return {name: bearer(org, name) for name in ("tom", "priya", "mary", "erin")}


def create(client, **body):
    return client.post("/api/v1/bookings", body, content_type=JSON)


def test_resources_are_listed_with_their_rules(api, rooms):
    response = api["tom"].get("/api/v1/bookable-resources")
    assert response.status_code == 200
    names = {item["name"]: item for item in response.json()["items"]}
    assert names["Thames East"]["part_of"] == rooms.hall.pk
    assert names["Kew"]["buffer_after_minutes"] == 15
    one = api["tom"].get(f"/api/v1/bookable-resources/{rooms.small.pk}")
    assert one.json()["features"] == ["projector", "whiteboard"]


def test_booking_and_a_clash_answers_409_naming_the_booking(api, rooms):
    first = create(
        api["tom"], resource=rooms.east.pk, start=later(3, 10), end=later(3, 11), purpose="Retro"
    )
    assert first.status_code == 201, first.json()
    clash = create(
        api["priya"], resource=rooms.hall.pk, start=later(3, 9), end=later(3, 12), purpose="All"
    )
    assert clash.status_code == 409
    body = clash.json()
    assert body["code"] == "booking_clash"
    assert body["conflicting"]["booking"] == first.json()["id"]
    assert "Retro" in body["detail"]


def test_a_recurring_clash_names_the_occurrence_date(api, rooms):
    create(
        api["tom"],
        resource=rooms.east.pk,
        start=later(15, 10),
        end=later(15, 11),
        purpose="Blocker",
    )
    response = create(
        api["priya"],
        resource=rooms.east.pk,
        start=later(1, 10),
        end=later(1, 11),
        purpose="Weekly",
        recurrence="FREQ=WEEKLY;COUNT=4",
    )
    assert response.status_code == 409
    expected = (timezone.localdate() + dt.timedelta(days=15)).isoformat()
    assert response.json()["conflicting"]["occurrence_date"] == expected
    assert expected in response.json()["detail"]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"start": later(3, 11), "end": later(3, 10)}, "end"),
        ({"start": "2026-03-03T10:00:00", "end": "2026-03-03T11:00:00"}, "start"),  # no offset
        ({"recurrence": "FREQ=SECONDLY"}, "recurrence"),
    ],
)
def test_rule_breaks_answer_422_naming_the_field(api, rooms, change, field):
    body = {
        "resource": rooms.east.pk,
        "start": later(3, 10),
        "end": later(3, 11),
        "purpose": "X",
        **change,
    }
    response = create(api["tom"], **body)
    assert response.status_code == 422, response.json()
    assert field in response.json()["fields"]


def test_notice_advance_and_groups_answer_422(api, rooms, org):
    from django.contrib.auth.models import Group

    soon = (timezone.now() + dt.timedelta(minutes=30)).isoformat()
    soon_end = (timezone.now() + dt.timedelta(minutes=90)).isoformat()
    too_soon = create(
        api["tom"], resource=rooms.projector.pk, start=soon, end=soon_end, purpose="X"
    )
    assert too_soon.status_code == 422 and "120 minutes" in too_soon.json()["detail"]
    too_far = create(
        api["tom"], resource=rooms.projector.pk, start=later(30, 9), end=later(30, 10), purpose="X"
    )
    assert too_far.status_code == 422 and "14 days" in too_far.json()["detail"]
    rooms.small.allowed_groups.add(Group.objects.create(name="Board"))
    closed = create(
        api["tom"], resource=rooms.small.pk, start=later(3, 9), end=later(3, 10), purpose="X"
    )
    assert closed.status_code == 422 and "Board" in closed.json()["detail"]


def test_malformed_input_is_400_and_unknown_references_422(api, rooms):
    assert (
        create(
            api["tom"], resource=rooms.east.pk, start="tomorrow", end=later(3, 11), purpose="X"
        ).status_code
        == 400
    )
    assert (
        create(
            api["tom"], resource=0, start=later(3, 10), end=later(3, 11), purpose="X"
        ).status_code
        == 400
    )
    unknown = create(api["tom"], resource=999999, start=later(3, 10), end=later(3, 11), purpose="X")
    assert unknown.status_code == 422 and "resource" in unknown.json()["fields"]
    nobody = create(
        api["tom"],
        resource=rooms.east.pk,
        start=later(3, 10),
        end=later(3, 11),
        purpose="X",
        attendees=[999999],
    )
    assert nobody.status_code == 422 and "attendees" in nobody.json()["fields"]


def test_a_project_the_booker_cannot_see_is_404(api, rooms, org):
    response = create(
        api["tom"],
        resource=rooms.east.pk,
        start=later(3, 10),
        end=later(3, 11),
        purpose="X",
        project=org.gamma.pk,
    )
    assert response.status_code == 404


def test_only_the_booker_cancels_and_undo_restores(api, rooms):
    made = create(
        api["tom"], resource=rooms.east.pk, start=later(3, 10), end=later(3, 11), purpose="Mine"
    ).json()
    path = f"/api/v1/bookings/{made['id']}"
    refused = api["priya"].post(f"{path}/cancel", {"version": made["version"]}, content_type=JSON)
    assert refused.status_code == 403
    cancelled = api["tom"].post(f"{path}/cancel", {"version": made["version"]}, content_type=JSON)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    stale = api["tom"].post(f"{path}/restore", {"version": made["version"]}, content_type=JSON)
    assert stale.status_code == 409
    restored = api["tom"].post(
        f"{path}/restore", {"version": cancelled.json()["version"]}, content_type=JSON
    )
    assert restored.status_code == 200 and restored.json()["status"] == "confirmed"


def test_moving_a_booking_onto_another_answers_409(api, rooms):
    create(api["tom"], resource=rooms.east.pk, start=later(3, 10), end=later(3, 11), purpose="A")
    other = create(
        api["priya"], resource=rooms.east.pk, start=later(3, 12), end=later(3, 13), purpose="B"
    ).json()
    moved = api["priya"].patch(
        f"/api/v1/bookings/{other['id']}",
        {"version": other["version"], "start": later(3, 10, 30), "end": later(3, 11, 30)},
        content_type=JSON,
    )
    assert moved.status_code == 409


def test_listing_a_room_shows_the_bookings_of_its_whole(api, rooms):
    create(
        api["tom"], resource=rooms.hall.pk, start=later(3, 10), end=later(3, 11), purpose="Whole"
    )
    response = api["priya"].get(
        "/api/v1/bookings", {"resource": rooms.west.pk, "start": later(3, 0), "end": later(4, 0)}
    )
    assert response.status_code == 200, response.json()
    assert [b["purpose"] for b in response.json()["items"]] == ["Whole"]


def test_a_date_at_the_end_of_the_calendar_is_refused_not_a_crash(api, rooms):
    far = create(
        api["tom"],
        resource=rooms.small.pk,
        start="9999-12-31T22:00:00+00:00",
        end="9999-12-31T23:59:00+00:00",
        purpose="Far",
    )
    assert far.status_code == 422 and "ten years" in far.json()["detail"]
