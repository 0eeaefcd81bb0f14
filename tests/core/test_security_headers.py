"""Content-Security-Policy and Permissions-Policy on every response, and templates that need
no inline script (issue 14, item 12)."""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

SRC = Path(__file__).resolve().parents[2] / "src" / "steerco"
TEMPLATES = sorted(SRC.glob("*/templates/**/*.html")) + sorted(SRC.glob("*/templates/**/*.txt"))
# E-mails are read in mail programs, not under our policy, and need inline style to look right.
PAGE_TEMPLATES = [path for path in TEMPLATES if "/email/" not in path.as_posix()]


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def assert_security_headers(response):
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions


def test_the_login_page_has_the_headers(db):
    assert_security_headers(Client().get(reverse("accounts:login")))


def test_a_signed_in_page_has_the_headers(client_for):
    response = client_for("priya").get(reverse("projects:list"))
    assert response.status_code == 200
    assert_security_headers(response)


def test_the_api_has_the_headers(client_for, db):
    assert_security_headers(client_for("priya").get("/api/v1/projects"))
    assert_security_headers(Client().get("/api/v1/projects"))  # 401


@pytest.mark.parametrize("path", ["/projects/999999/", "/api/v1/nowhere", "/no/such/page"])
def test_error_pages_have_the_headers(client_for, path):
    response = client_for("priya").get(path)
    assert response.status_code == 404
    assert_security_headers(response)


@pytest.mark.django_db
def test_a_server_error_has_the_headers():
    client = Client(raise_request_exception=False)
    with mock.patch("steerco.core.views.connection.cursor", side_effect=RuntimeError("boom")):
        response = client.get("/healthz")
    assert response.status_code == 500
    assert_security_headers(response)


def test_scripts_may_not_be_inline_or_evaluated(client_for):
    policy = client_for("priya").get(reverse("home:home"))["Content-Security-Policy"]
    assert "'unsafe-inline'" not in directives(policy)["script-src"]
    assert "'unsafe-eval'" not in policy


def test_styles_come_from_our_own_stylesheets_only(client_for):
    """No inline style either: the last two users of it (the plan grid's indent and the
    Gantt chart's own <style>) moved to classes and plans/gantt.css (issue 9)."""
    policy = client_for("priya").get(reverse("home:home"))["Content-Security-Policy"]
    assert directives(policy)["style-src"] == ["'self'"]


def test_the_plan_page_has_no_inline_style(org, client_for):
    """The plan page is HTML built in Python (the grid's rows, the Gantt chart's SVG), out of
    reach of the template checks below: an indented outline, a summary, a milestone, a
    dependency and a baseline, all drawn, and no style attribute or element among them."""
    from steerco.plans import services

    project = org.alpha
    phase = services.task_create(actor=org.priya, project=project, name="Phase")
    first = services.task_create(actor=org.priya, project=project, name="First", parent=phase)
    done = services.task_create(
        actor=org.priya, project=project, name="Done", parent=phase, duration_minutes=0
    )
    services.link_create(actor=org.priya, project=project, predecessor=first, successor=done)
    services.baseline_save(actor=org.priya, project=project, number=0)
    url = reverse("plans:plan", kwargs={"project_id": project.pk}) + "?baseline=0"

    html = client_for("priya").get(url).content.decode()

    assert 'class="gantt gantt-body"' in html and "name-cell lvl-2" in html
    assert 'class="baseline' in html and "polyline" in html
    assert not INLINE_STYLE.search(html)


def test_the_api_docs_page_loads_only_its_own_script_files(client_for):
    response = client_for("priya").get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert_security_headers(response)
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert scripts
    for attributes in scripts:
        # Files from our own origin, or data that the browser never runs.
        assert 'src="/static/' in attributes or 'type="application/json"' in attributes


def test_htmx_is_told_not_to_evaluate_code(client_for):
    html = client_for("priya").get(reverse("home:home")).content.decode()
    assert '"allowEval": false' in html


# Templates ----------------------------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
# htmx attributes whose value htmx runs as code: hx-on*, hx-vars, js:/javascript: values of
# hx-vals, and event filters such as keyup[key=='Escape'] (a bracket straight after an event
# name; "from:input[type=search]" is a CSS selector and fine).
HTMX_CODE = re.compile(
    r"hx-on|hx-vars|hx-vals=(['\"])\s*(js|javascript):"
    r"|hx-trigger=(['\"])(?:[^'\"]*,)?\s*[\w.-]+\[",
    re.IGNORECASE,
)
JAVASCRIPT_URL = re.compile(r"(href|src|action)=(['\"])\s*javascript:", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)
# Comments may name what is forbidden; they never reach the browser.
COMMENT = re.compile(r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|\{#.*?#\}", re.DOTALL)


def test_templates_are_found():
    assert len(PAGE_TEMPLATES) > 60


@pytest.mark.parametrize(
    ("pattern", "what"),
    [
        (INLINE_SCRIPT, "an inline <script>"),
        (EVENT_HANDLER, "an inline event handler (onclick=…)"),
        (HTMX_CODE, "htmx code evaluated in the browser"),
        (JAVASCRIPT_URL, "a javascript: URL"),
        (INLINE_STYLE, "inline style"),
    ],
    ids=["inline-script", "event-handler", "htmx-code", "javascript-url", "inline-style"],
)
def test_no_template_contains(pattern, what):
    offenders = []
    for path in PAGE_TEMPLATES:
        text = COMMENT.sub(lambda match: "\n" * match.group(0).count("\n"), path.read_text())
        for number, line in enumerate(text.splitlines(), start=1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(SRC)}:{number}")
    assert not offenders, f"{what} in: {', '.join(offenders)}"
