"""The navigation is declared once (ui/navigation.py) and every page reads it from there."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils.html import escape

from steerco.ui.navigation import PLACEHOLDERS, PROJECT_TABS, SECTIONS


def _main_nav(html: str) -> str:
    return html.split('<nav class="mainnav"')[1].split("</nav>")[0]


def test_the_main_navigation_lists_the_declared_sections_in_order(client_for):
    # bob (PMO) holds every permission a link can ask for.
    nav = _main_nav(client_for("bob").get(reverse("home:home")).content.decode())

    links = re.findall(r'<a class="mainnav__link" href="([^"]+)"[^>]*>([^<]+)</a>', nav)

    assert links == [(section.url(), str(section.label)) for section in SECTIONS]


def test_links_needing_a_permission_are_left_out_for_users_without_it(client_for):
    nav = _main_nav(client_for("tom").get(reverse("home:home")).content.decode())

    for section in SECTIONS:
        assert (f'href="{section.url()}"' in nav) is (section.permission is None)


def test_every_placeholder_section_is_served_from_its_declaration(client_for):
    for key, section in PLACEHOLDERS.items():
        response = client_for("tom").get(f"/{key}/")
        html = response.content.decode()
        assert response.status_code == 200
        assert f"<h1>{section.label} " in html
        assert escape(str(section.placeholder.summary)) in html
        for item in section.placeholder.coming:
            assert escape(str(item)) in html


def test_my_work_stays_at_the_root(client_for):
    assert reverse("home:home") == "/"
    response = client_for("tom").get("/")
    assert response.status_code == 200
    assert "home/home.html" in [t.name for t in response.templates]


def test_project_pages_show_the_declared_tabs_with_the_current_one_marked(org, client_for):
    html = client_for("priya").get(reverse("plans:plan", args=[org.alpha.pk])).content.decode()
    tabs = html.split('<nav class="tabs"')[1].split("</nav>")[0]

    links = re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', tabs)

    assert [(href, label) for href, _, label in links] == [
        (reverse(tab.url_name, args=[org.alpha.pk]), str(tab.label)) for tab in PROJECT_TABS
    ]
    assert [label for _, current, label in links if current] == ["Plan"]


def test_a_project_log_page_marks_projects_as_the_current_section(org, client_for):
    html = client_for("priya").get(reverse("logs:overview", args=[org.alpha.pk])).content.decode()

    current = re.findall(
        r'<a class="mainnav__link" href="[^"]+" aria-current="page">([^<]+)</a>', _main_nav(html)
    )

    assert current == ["Projects"]
