"""Organisation-wide log pages: escalations, the lessons library, the risk scales, and the
person's actions on My work."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from steerco.core.exceptions import DomainError
from steerco.logs import scales, selectors, services
from steerco.logs.models import ScaleLevel

ESCALATIONS = reverse("orglogs:escalations")
LESSONS = reverse("orglogs:lessons")
SCALES = reverse("orglogs:scales")
PROBABILITY = ScaleLevel.Dimension.PROBABILITY
IMPACT = ScaleLevel.Dimension.IMPACT


# --------------------------------------------------------------------------- escalations


@pytest.fixture
def escalated(org):
    to_pmo = services.item_create(
        actor=org.priya,
        project=org.alpha,
        kind="issues",
        title="Vendor refuses to sign",
        priority="4_critical",
        severity="3_high",
        owner=org.people["priya"],
        escalated_to_pmo=True,
        escalated_on=date.today() - timedelta(days=6),
        escalation_reason="Needs a commercial decision above the project",
    )
    to_person = services.item_create(
        actor=org.priya,
        project=org.beta,
        kind="issues",
        title="Data centre move clash",
        escalated_to=org.people["erin"],
        escalation_reason="Sponsor to arbitrate",
    )
    closed = services.item_create(
        actor=org.priya,
        project=org.alpha,
        kind="issues",
        title="Old escalation",
        escalated_to_pmo=True,
        escalation_reason="Was urgent",
        status="closed",
        resolution="Settled",
    )
    quiet = services.item_create(
        actor=org.priya, project=org.alpha, kind="issues", title="Not escalated at all"
    )
    return {"pmo": to_pmo, "person": to_person, "closed": closed, "quiet": quiet}


def test_escalations_list_open_escalated_issues_with_their_details(org, client_for, escalated):
    html = client_for("bob").get(ESCALATIONS).content.decode()
    issue = escalated["pmo"]
    row = (
        html.split(issue.title)[0].rsplit("<tr>", 1)[1]
        + html.split(issue.title)[1].split("</tr>")[0]
    )
    assert reverse("logs:item", args=[org.alpha.pk, "issues", issue.pk]) in row
    assert ">ALPHA<" in row and issue.ref in row
    for text in ("Critical", "High", "PMO", "Needs a commercial decision", "Priya Patel"):
        assert text in row
    assert '<td class="num">6</td>' in row  # age in days since escalation
    assert "Data centre move clash" in html and "Erin Ellis" in html
    assert "Old escalation" not in html
    assert "Not escalated at all" not in html


def test_escalations_can_include_closed_issues(org, client_for, escalated):
    html = client_for("bob").get(ESCALATIONS + "?closed=1").content.decode()
    assert "Old escalation" in html
    assert "Show open issues only" in html


def test_executives_see_escalations_and_others_are_refused(org, client_for, escalated):
    assert "Vendor refuses to sign" in client_for("erin").get(ESCALATIONS).content.decode()
    for username in ("olga", "priya", "tom"):
        assert client_for(username).get(ESCALATIONS).status_code == 403
    assert client_for("erin").post(ESCALATIONS).status_code == 405


def test_bad_closed_toggle_is_a_400(org, client_for):
    assert client_for("bob").get(ESCALATIONS + "?closed=maybe").status_code == 400


# --------------------------------------------------------------------------- lessons library


def _lesson(org, project, title, **fields):
    return services.item_create(
        actor=org.bob, project=project, kind="lessons", title=title, **fields
    )


@pytest.fixture
def lessons(org):
    return {
        "supplier": _lesson(
            org,
            org.alpha,
            "Supplier onboarding took too long",
            category="suppliers",
            stage="initiation",
            lesson_type="to_improve",
            what_happened="Security review of the vendor took eight weeks.",
            learned="Start vendor due diligence before the contract is drafted.",
            recommendation="Add vendor security review to the initiation checklist.",
        ),
        "testing": _lesson(
            org,
            org.beta,
            "Automated regression paid off",
            category="quality",
            stage="delivery",
            lesson_type="went_well",
            learned="Nightly regression caught the schema drift early.",
        ),
        "gamma": _lesson(
            org, org.gamma, "Office move lesson", category="planning", stage="closure"
        ),
    }


def test_lessons_library_shows_lessons_of_visible_projects_with_excerpts(org, client_for, lessons):
    html = client_for("bob").get(LESSONS).content.decode()
    lesson = lessons["supplier"]
    assert reverse("logs:item", args=[org.alpha.pk, "lessons", lesson.pk]) in html
    assert "ALPHA" in html and lesson.ref in html
    assert "Security review of the vendor took eight weeks." in html
    assert "Start vendor due diligence" in html
    assert "Add vendor security review" in html
    assert "3 lessons found." in html


def test_members_see_only_their_projects_lessons_and_outsiders_none(org, client_for, lessons):
    tom = client_for("tom").get(LESSONS).content.decode()
    assert "Supplier onboarding took too long" in tom
    assert "Automated regression paid off" not in tom  # BETA: tom is not on it
    assert "Office move lesson" not in tom
    olga = client_for("olga").get(LESSONS)
    assert olga.status_code == 200
    assert "0 lessons found." in olga.content.decode()
    assert "Supplier onboarding" not in olga.content.decode()


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("q=regression", "Automated regression paid off", "Supplier onboarding"),
        ("q=vendor+checklist", "Supplier onboarding", "Automated regression"),
        ("category=suppliers", "Supplier onboarding", "Automated regression"),
        ("stage=delivery", "Automated regression paid off", "Supplier onboarding"),
        ("lesson_type=went_well", "Automated regression paid off", "Supplier onboarding"),
        ("q=BETA", "Automated regression paid off", "Supplier onboarding"),
    ],
)
def test_lessons_library_search_and_filters(org, client_for, lessons, query, found, not_found):
    html = client_for("bob").get(f"{LESSONS}?{query}").content.decode()
    assert found in html
    assert not_found not in html


def test_lessons_library_live_search_returns_only_the_results(org, client_for, lessons):
    response = client_for("bob").get(f"{LESSONS}?q=regression", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="lesson-results"')
    assert "1 lesson found." in html


def test_lessons_library_is_paginated(org, client_for):
    for number in range(23):
        _lesson(org, org.alpha, f"Lesson number {number:02d}")
    first = client_for("bob").get(LESSONS).content.decode()
    assert "Page 1 of 2" in first
    assert len(re.findall(r"Lesson number \d\d", first)) == 20
    second = client_for("bob").get(LESSONS + "?page=2").content.decode()
    assert len(re.findall(r"Lesson number \d\d", second)) == 3


@pytest.mark.parametrize("query", ["category=astrology", "stage=forever", "lesson_type=meh"])
def test_unknown_lesson_filter_is_a_400_shown_on_the_form(org, client_for, lessons, query):
    response = client_for("bob").get(f"{LESSONS}?{query}")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_lessons_library_refuses_posts(org, client_for):
    assert client_for("erin").post(LESSONS).status_code == 405


# --------------------------------------------------------------------------- scale services


def _labels(dimension):
    return [(level.value, level.label) for level in selectors.scale_levels(dimension)]


def test_pmo_adds_and_removes_a_top_level(org):
    level = scales.scale_level_add(
        actor=org.bob, dimension=IMPACT, label="Catastrophic", description="Ends the programme"
    )
    assert (level.value, level.label) == (6, "Catastrophic")
    assert selectors.scale_sizes() == (5, 6)
    removed = scales.scale_level_remove_top(actor=org.bob, dimension=IMPACT)
    assert removed.value == 6
    assert [value for value, _ in _labels(IMPACT)] == [1, 2, 3, 4, 5]


def test_a_level_a_risk_uses_cannot_be_removed_and_the_message_counts_them(org):
    for title in ("One", "Two"):
        services.item_create(
            actor=org.priya, project=org.alpha, kind="risks", title=title, probability=5, impact=1
        )
    services.item_create(
        actor=org.priya,
        project=org.beta,
        kind="risks",
        title="After",
        probability=1,
        impact=1,
        probability_after=5,
        impact_after=1,
        strategy="accept",
        status="closed",
    )
    with pytest.raises(DomainError, match="used by 3 risks"):
        scales.scale_level_remove_top(actor=org.bob, dimension=PROBABILITY)
    assert len(_labels(PROBABILITY)) == 5


def test_scales_keep_between_three_and_ten_levels(org):
    for _ in range(2):
        scales.scale_level_remove_top(actor=org.admin, dimension=PROBABILITY)
    with pytest.raises(DomainError, match="at least 3"):
        scales.scale_level_remove_top(actor=org.admin, dimension=PROBABILITY)
    for number in range(7):
        scales.scale_level_add(actor=org.admin, dimension=PROBABILITY, label=f"L{number}")
    assert [value for value, _ in _labels(PROBABILITY)] == list(range(1, 11))
    with pytest.raises(DomainError, match="at most 10"):
        scales.scale_level_add(actor=org.admin, dimension=PROBABILITY, label="Eleven")


def test_labels_update_is_all_or_nothing(org):
    with pytest.raises(ValidationError) as caught:
        scales.scale_labels_update(
            actor=org.bob,
            dimension=IMPACT,
            labels={1: ("Trivial", "Hardly noticed"), 2: ("", "Blank label")},
        )
    assert "label_2" in caught.value.message_dict
    assert _labels(IMPACT)[0] == (1, "Very low")
    scales.scale_labels_update(
        actor=org.bob, dimension=IMPACT, labels={1: ("Trivial", "Hardly noticed")}
    )
    assert _labels(IMPACT)[0] == (1, "Trivial")


@pytest.mark.parametrize("username", ["priya", "erin", "mary", "olga"])
def test_only_administrators_and_the_pmo_change_scales(org, username):
    user = org.users[username]
    with pytest.raises(PermissionDenied):
        scales.scale_level_add(actor=user, dimension=IMPACT, label="More")
    with pytest.raises(PermissionDenied):
        scales.scale_level_remove_top(actor=user, dimension=IMPACT)
    with pytest.raises(PermissionDenied):
        scales.scale_labels_update(actor=user, dimension=IMPACT, labels={})


def test_a_gap_in_a_scale_is_reported_rather_than_built_on(org):
    # Store the scale first: a test that flushed the database before this one (on the same
    # worker) removed the stored levels, and a scale read as the defaults has no gap to find.
    if not ScaleLevel.objects.filter(dimension=IMPACT).exists():
        for level in selectors.scale_levels(IMPACT):
            level.save()
    ScaleLevel.objects.filter(dimension=IMPACT, value=3).delete()
    with pytest.raises(DomainError, match="without gaps"):
        scales.scale_level_add(actor=org.bob, dimension=IMPACT, label="Six")


# --------------------------------------------------------------------------- scale pages


def test_scales_page_shows_both_scales_read_only_to_others(org, client_for):
    response = client_for("priya").get(SCALES)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Very high" in html and "More than 70% likely" in html
    assert "Threatens the business case" in html
    assert "<form" not in html.split('<main id="main"')[1].split("</main>")[0]


def test_scales_page_refuses_posts_from_others(org, client_for):
    for username in ("priya", "erin", "olga"):
        response = client_for(username).post(
            SCALES, {"op": "add", "dimension": IMPACT, f"{IMPACT}-add-label": "More"}
        )
        assert response.status_code == 403
    assert selectors.scale_sizes() == (5, 5)


def test_pmo_edits_labels_on_the_page(org, client_for):
    data = {"op": "labels", "dimension": PROBABILITY}
    for level in selectors.scale_levels(PROBABILITY):
        data[f"{PROBABILITY}-label_{level.value}"] = level.label
        data[f"{PROBABILITY}-description_{level.value}"] = level.description
    data[f"{PROBABILITY}-label_5"] = "Almost certain"
    bob = client_for("bob")
    response = bob.post(SCALES, data)
    assert response.status_code == 302
    assert _labels(PROBABILITY)[-1] == (5, "Almost certain")
    page = bob.get(response["Location"]).content.decode()
    assert "Probability labels saved." in page


def test_blank_label_is_shown_beside_its_field(org, client_for):
    data = {"op": "labels", "dimension": IMPACT}
    for level in selectors.scale_levels(IMPACT):
        data[f"{IMPACT}-label_{level.value}"] = level.label
    data[f"{IMPACT}-label_2"] = ""
    response = client_for("admin").post(SCALES, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "This field is required." in html
    assert _labels(IMPACT)[1] == (2, "Low")


def test_admin_adds_a_level_on_the_page_and_the_heat_map_grows(org, client_for):
    response = client_for("admin").post(
        SCALES,
        {
            "op": "add",
            "dimension": IMPACT,
            f"{IMPACT}-add-label": "Severe",
            f"{IMPACT}-add-description": "Beyond the worst case",
        },
    )
    assert response.status_code == 302
    assert _labels(IMPACT)[-1] == (6, "Severe")
    heat = client_for("priya").get(reverse("logs:heat_map", args=[org.alpha.pk]))
    assert '<th scope="col">6 – Severe</th>' in heat.content.decode()


def test_refused_removal_says_how_many_risks_use_the_level(org, client_for):
    services.item_create(
        actor=org.priya, project=org.alpha, kind="risks", title="Big", probability=1, impact=5
    )
    response = client_for("bob").post(SCALES, {"op": "remove", "dimension": IMPACT})
    assert response.status_code == 422
    assert "used by 1 risk;" in response.content.decode()
    assert len(_labels(IMPACT)) == 5


@pytest.mark.parametrize(
    "data", [{"op": "explode", "dimension": IMPACT}, {"op": "add", "dimension": "colour"}, {}]
)
def test_malformed_scale_posts_are_400s(org, client_for, data):
    assert client_for("bob").post(SCALES, data).status_code == 400


# --------------------------------------------------------------------------- navigation


def test_navigation_links_lessons_for_everyone_and_escalations_for_portfolio_viewers(
    org, client_for
):
    for username, sees_escalations in (
        ("bob", True),
        ("erin", True),
        ("tom", False),
        ("olga", False),
    ):
        html = client_for(username).get(reverse("home:home")).content.decode()
        nav = html.split('<nav class="mainnav"')[1].split("</nav>")[0]
        assert f'href="{LESSONS}"' in nav
        assert (f'href="{ESCALATIONS}"' in nav) is sees_escalations
    html = client_for("bob").get(LESSONS).content.decode()
    nav = html.split('<nav class="mainnav"')[1].split("</nav>")[0]
    assert re.findall(r'aria-current="page">([^<]+)</a>', nav) == ["Lessons"]


# --------------------------------------------------------------------------- my work


def test_my_work_lists_my_open_actions_across_projects_marking_overdue(org, client_for):
    late = services.item_create(
        actor=org.priya,
        project=org.alpha,
        kind="actions",
        title="Chase the vendor",
        owner=org.people["priya"],
        due_date=date.today() - timedelta(days=3),
    )
    soon = services.item_create(
        actor=org.priya,
        project=org.beta,
        kind="actions",
        title="Book the review",
        owner=org.people["priya"],
        due_date=date.today() + timedelta(days=3),
    )
    services.item_create(
        actor=org.priya,
        project=org.alpha,
        kind="actions",
        title="Finished thing",
        owner=org.people["priya"],
        status="done",
    )
    services.item_create(
        actor=org.priya,
        project=org.alpha,
        kind="actions",
        title="Tom's job",
        owner=org.people["tom"],
    )
    html = client_for("priya").get(reverse("home:home")).content.decode()
    section = html.split('id="my-actions"')[1].split("</section>")[0]
    rows = re.findall(r"<tr[^>]*>.*?</tr>", section, re.S)
    late_row = next(row for row in rows if "Chase the vendor" in row)
    soon_row = next(row for row in rows if "Book the review" in row)
    assert "is-overdue" in late_row and "Overdue" in late_row
    assert "is-overdue" not in soon_row and "Overdue" not in soon_row
    assert reverse("logs:item", args=[org.alpha.pk, "actions", late.pk]) in section
    assert reverse("logs:item", args=[org.beta.pk, "actions", soon.pk]) in section
    assert "ALPHA" in section and "BETA" in section
    assert "Finished thing" not in section
    assert "Tom's job" not in section
    # Soonest due first.
    assert section.index("Chase the vendor") < section.index("Book the review")


def test_my_work_has_no_actions_section_without_a_person(org, client_for, django_user_model):
    from django.test import Client

    lonely = django_user_model.objects.create(username="lonely")
    client = Client()
    client.force_login(lonely)
    html = client.get(reverse("home:home")).content.decode()
    assert 'id="my-actions"' not in html


def test_my_work_says_when_there_are_no_open_actions(org, client_for):
    html = client_for("erin").get(reverse("home:home")).content.decode()
    section = html.split('id="my-actions"')[1].split("</section>")[0]
    assert "No open actions" in section
