"""What the browser tests do again and again: log in, open a plan, build a phased plan."""

from __future__ import annotations

from django.urls import reverse


def log_in(page, live_server, username: str, password: str, then: str | None = None) -> None:
    """Log in through the form, from ``then`` (a full URL) or the project list: any page
    sends an anonymous visitor to the login form, and it returns there after."""
    page.goto(then or live_server.url + reverse("projects:list"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def open_plan(page, live_server, org, project, query: str = "") -> None:
    """Log in as Mary (project support) and open ``project``'s plan, ready to use."""
    log_in(page, live_server, "mary", org.password)
    page.goto(live_server.url + reverse("plans:plan", kwargs={"project_id": project.pk}) + query)
    page.wait_for_selector("#plan-page[data-ready]")


def chain_within_phases(project) -> None:
    """Give ``project``'s tasks (level 1 phases, each followed by its level 2 steps) their
    phase as parent, and link each phase's steps one after another (FS)."""
    from steerco.plans.models import Task, TaskLink

    tasks = list(Task.objects.filter(project=project).order_by("position"))
    links, parent, previous = [], None, None
    for task in tasks:
        if task.outline_level == 1:
            parent, previous = task, None
            continue
        task.parent = parent
        if previous is not None:
            links.append(TaskLink(project=project, predecessor=previous, successor=task))
        previous = task
    Task.objects.bulk_update(tasks, ["parent"])
    TaskLink.objects.bulk_create(links)
