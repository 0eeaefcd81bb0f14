"""The base layout, navigation, My work and the placeholder sections."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

TAG_URLS = re.compile(r"<(?:script|link)\b[^>]*?\b(?:src|href)=\"([^\"]+)\"", re.IGNORECASE)


def test_base_page_references_only_local_static_assets(client_for):
    html = client_for("priya").get(reverse("home:home")).content.decode()
    urls = TAG_URLS.findall(html)
    assert urls, "expected the stylesheet and scripts"
    for url in urls:
        assert not re.match(r"^(https?:)?//", url), url
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), f"{url} is not a local static file"
    assert "/static/ui/steerco.css" in urls
    assert any("django_htmx/htmx" in url for url in urls)


def test_login_page_also_loads_nothing_external(db):
    from django.test import Client

    html = Client().get(reverse("accounts:login")).content.decode()
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"(https?:)?//", html)


def test_htmx_requests_carry_the_csrf_token(client_for):
    response = client_for("priya").get(reverse("home:home"))
    html = response.content.decode()
    token = re.search(r"<body hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'>", html)
    assert token, "body must set the CSRF header for htmx"
    assert len(token.group(1)) >= 32


def test_skip_link_targets_the_main_content(client_for):
    html = client_for("priya").get(reverse("home:home")).content.decode()
    assert '<a class="skip-link" href="#main">Skip to content</a>' in html
    assert '<main id="main"' in html


@pytest.mark.parametrize(
    ("url_name", "kwargs", "current"),
    [
        ("home:home", {}, "My work"),
        ("projects:list", {}, "Projects"),
        ("portfolios:list", {}, "Portfolio"),
        ("ui:section", {"slug": "methods"}, "Methods"),
    ],
)
def test_navigation_marks_the_current_section(client_for, url_name, kwargs, current):
    html = client_for("bob").get(reverse(url_name, kwargs=kwargs)).content.decode()
    marked = re.findall(r'aria-current="page">([^<]+)</a>', html)
    assert marked == [current]
    for label in ("My work", "Projects", "Portfolio", "Resources", "Methods", "Capability"):
        assert f">{label}</a>" in html
    assert ">Reports</a>" in html


def test_project_pages_highlight_projects_in_the_navigation(org, client_for):
    html = client_for("priya").get(reverse("projects:detail", kwargs={"pk": org.alpha.pk}))
    nav = html.content.decode().split('<nav class="mainnav"')[1].split("</nav>")[0]
    assert re.findall(r'aria-current="page">([^<]+)</a>', nav) == ["Projects"]


def test_user_menu_links_to_tokens_and_password_change(client_for):
    html = client_for("priya").get(reverse("home:home")).content.decode()
    assert f'href="{reverse("accounts:tokens")}"' in html
    assert f'href="{reverse("accounts:password_change")}"' in html


def test_messages_are_shown_after_an_action(org, client_for):
    from steerco.accounts.services import token_create

    token, _ = token_create(user=org.priya, name="CI")
    client = client_for("priya")
    # Revoking a token needs the password typed in the last 10 minutes.
    client.post(reverse("accounts:password_confirm"), {"password": org.password})
    response = client.post(reverse("accounts:token_revoke", kwargs={"pk": token.pk}), follow=True)
    assert 'class="message message--success" role="status"' in response.content.decode()


def test_my_work_lists_my_projects_with_my_role(client_for):
    response = client_for("mary").get(reverse("home:home"))
    rows = [(row["project"].code, str(row["role"])) for row in response.context["rows"]]
    assert rows == [("ALPHA", "Project support"), ("BETA", "Project support")]
    html = response.content.decode()
    assert "Alpha CRM replacement" in html
    assert "Active" in html


def test_my_work_names_the_sponsor_role(client_for):
    rows = client_for("erin").get(reverse("home:home")).context["rows"]
    assert [(row["project"].code, str(row["role"])) for row in rows] == [("ALPHA", "Sponsor")]


def test_my_work_without_projects_says_what_to_do(client_for):
    html = client_for("olga").get(reverse("home:home")).content.decode()
    assert "You have no role on any project yet." in html
    assert "Ask a project manager or the PMO to add you" in html


def test_pmo_without_own_projects_is_pointed_to_all_projects(org, client_for):
    html = client_for("rita").get(reverse("home:home")).content.decode()
    assert "lets you see every project" in html
    assert "Resource manager" in html


@pytest.mark.parametrize("slug", ["resources", "methods", "capability", "reports"])
def test_sections_say_honestly_that_they_are_coming(client_for, slug):
    response = client_for("tom").get(reverse("ui:section", kwargs={"slug": slug}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Coming soon" in html
    assert "not built yet" in html
    assert "<table" not in html


def test_unknown_section_is_not_found(client_for):
    assert client_for("tom").get("/nonsense/").status_code == 404


@pytest.mark.parametrize(
    ("health", "word", "letter"),
    [("green", "Green", "G"), ("amber", "Amber", "A"), ("red", "Red", "R")],
)
def test_health_badge_shows_a_letter_and_word_beside_the_colour(
    org, client_for, health, word, letter
):
    from steerco.projects.services import project_update

    project_update(actor=org.bob, project=org.alpha, expected_version=1, health=health)
    html = client_for("tom").get(reverse("projects:list")).content.decode()
    assert (
        f'<span class="badge badge--rag badge--{health}"><span class="badge__letter" '
        f'aria-hidden="true">{letter}</span> {word}</span>'
    ) in html


def test_hidden_project_shows_the_friendly_not_found_page(org, client_for):
    response = client_for("olga").get(reverse("projects:detail", kwargs={"pk": org.alpha.pk}))
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Not found</h1>" in html
    assert '<nav class="mainnav"' in html
    assert "Alpha" not in html


def test_forbidden_action_explains_why(org, client_for):
    response = client_for("erin").get(reverse("projects:edit", kwargs={"pk": org.alpha.pk}))
    html = response.content.decode()
    assert response.status_code == 403
    assert "You cannot do this" in html
    assert "ask the project manager or the PMO" in html


def test_resources_section_links_to_the_people_directory(client_for):
    html = client_for("tom").get(reverse("ui:section", kwargs={"slug": "resources"}))
    assert f'href="{reverse("people:list")}"' in html.content.decode()


def test_people_pages_sit_under_resources_in_the_navigation(client_for):
    html = client_for("bob").get(reverse("people:list")).content.decode()
    nav = html.split('<nav class="mainnav"')[1].split("</nav>")[0]
    assert re.findall(r'aria-current="page">([^<]+)</a>', nav) == ["Resources"]


def test_resources_section_links_the_organisation_calendars(client_for):
    from django.urls import reverse

    page = client_for("bob").get(reverse("ui:section", kwargs={"slug": "resources"}))
    assert f'href="{reverse("calendars:list")}"' in page.content.decode()
