"""What the plan API's resource modules share: the conflict schemas, operation ids,
fetching this project's objects by id (404 otherwise) and resolving a body's id
references (422 naming the field)."""

from django.db.models import Exists, OuterRef, Prefetch, Q, Value
from django.http import Http404
from django.utils.translation import gettext as _

from steerco.core.api import register_conflict_schema
from steerco.core.exceptions import DomainError
from steerco.engine.scheduling.assignment_notation import ResourceEntry

from .. import selectors, services
from ..models import Baseline, ProjectPlan, Task, TaskAssignment, TaskLink, WorkCalendar
from ..schemas import BaselineOut, CalendarOut, LinkOut, PlanOut, TaskOut


def operation_id(name: str) -> str:
    """The operation's id in the OpenAPI document. Client generators name their methods
    after these, so they stay what they were when the plan API was one module."""
    return f"steerco_plans_api_{name}"


register_conflict_schema(ProjectPlan, PlanOut)
register_conflict_schema(Task, TaskOut)
register_conflict_schema(TaskLink, LinkOut)
register_conflict_schema(WorkCalendar, CalendarOut)
register_conflict_schema(Baseline, BaselineOut)


class UnknownReference(DomainError):
    code = "unknown_reference"


def plan_tasks(project):
    """The project's tasks in outline order, with what TaskOut needs in a fixed number of
    queries whatever the page size: whether each has subtasks, its incoming links with
    their predecessors, its assignments, and the plan's minutes per day (for lags in
    days)."""
    minutes_per_day = selectors.plan_settings_get(project=project).minutes_per_day
    return (
        Task.objects.filter(project=project)
        .annotate(
            has_children=Exists(Task.objects.filter(parent=OuterRef("pk"))),
            plan_minutes_per_day=Value(minutes_per_day),
        )
        .prefetch_related(
            Prefetch(
                "predecessor_links",
                queryset=TaskLink.objects.select_related("predecessor").order_by(
                    "predecessor__position"
                ),
            ),
            Prefetch("assignments", queryset=TaskAssignment.objects.order_by("resource_name")),
        )
        .order_by("position", "pk")
    )


def task_on(project, task_id: int) -> Task:
    task = Task.objects.filter(project=project, pk=task_id).select_related("project").first()
    if task is None:
        raise Http404(_("No such task in this project."))
    return task


def link_on(project, link_id: int) -> TaskLink:
    link = TaskLink.objects.filter(project=project, pk=link_id).select_related("project").first()
    if link is None:
        raise Http404(_("No such dependency in this project."))
    return link


def baseline_on(project, number: int) -> Baseline:
    baseline = selectors.baseline_list(project=project).filter(number=number).first()
    if baseline is None:
        raise Http404(_("Baseline %(number)s has not been saved.") % {"number": number})
    return baseline


TASK_REFERENCES = ("after", "parent", "predecessor", "successor")


def resolve_references(project, data: dict) -> dict:
    """Replace id references in ``data`` by the objects they name, within this project.

    Tasks resolve among the project's own tasks, calendars among its calendars and the
    organisation's, so an id cannot reach into another project. All unknown ids are
    reported together, each under its own field.
    """
    resolved = dict(data)
    problems: dict[str, list[str]] = {}
    for field in TASK_REFERENCES:
        task_id = data.get(field)
        if task_id is None:
            continue
        task = Task.objects.filter(project=project, pk=task_id).first()
        if task is None:
            problems[field] = [
                _("There is no task with id %(id)s in this project.") % {"id": task_id}
            ]
        resolved[field] = task
    calendar_id = data.get("calendar")
    if calendar_id is not None:
        calendar = (
            WorkCalendar.objects.filter(Q(project=project) | Q(project__isnull=True))
            .filter(pk=calendar_id)
            .first()
        )
        if calendar is None:
            problems["calendar"] = [
                _("There is no calendar with id %(id)s for this project.") % {"id": calendar_id}
            ]
        resolved["calendar"] = calendar
    if problems:
        raise UnknownReference(
            _("Some referenced objects do not exist: %s.") % ", ".join(sorted(problems)),
            fields=problems,
        )
    return resolved


def task_values(data: dict) -> dict:
    """API names of choices (``"SNET"``, ``"FS"``) to the stored codes."""
    if data.get("constraint_type") is not None:
        data["constraint_type"] = Task.Constraint[data["constraint_type"]].value
    if data.get("type") is not None:
        data["type"] = TaskLink.Type[data["type"]].value
    return data


def task_out(project, task: Task) -> Task:
    return plan_tasks(project).get(pk=task.pk)


def assignments_wanted(data: dict) -> tuple[str, object] | None:
    """Take the body's ``resources`` (notation) or ``assignments`` (a list) out of
    ``data``: ("text", notation), ("entries", [ResourceEntry]) or None when neither is
    sent. Both at once are refused (422)."""
    text = data.pop("resources", None)
    items = data.pop("assignments", None)
    if text is not None and items is not None:
        message = _("Give either 'resources' or 'assignments', not both.")
        raise DomainError(message, fields={"resources": [message], "assignments": [message]})
    if text is not None:
        return ("text", text)
    if items is not None:
        return (
            "entries",
            [ResourceEntry(name=item["name"].strip(), units=item["units"]) for item in items],
        )
    return None


def assignments_set(user, task: Task, wanted: tuple[str, object]) -> None:
    """Write what ``assignments_wanted`` took, at the task's version now."""
    kind, value = wanted
    if kind == "text":
        services.task_resources_set(
            actor=user, task=task, text=value, expected_version=task.version
        )
    else:
        services.task_assignments_set(
            actor=user, task=task, entries=value, expected_version=task.version
        )
