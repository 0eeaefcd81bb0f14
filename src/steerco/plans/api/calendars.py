"""A project's working-time calendars and their exceptions (non-working or
changed days)."""

from django.db.models import F, Q
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from steerco.accounts.rules import P, project_for
from steerco.core.api import MAX_ID, ObjectId, PageNumbers, responses

from ..calendars import services as calendar_services
from ..models import CalendarException, WorkCalendar
from ..schemas import (
    CalendarCreateIn,
    CalendarExceptionIn,
    CalendarExceptionOut,
    CalendarOut,
    CalendarPatchIn,
)
from .common import UnknownReference, operation_id

router = Router()


def _project_calendars(project):
    """The calendars a project can see: its own, then the organisation-wide ones."""
    # NULLs sort first on PostgreSQL and last on SQLite unless told: say where they go.
    return WorkCalendar.objects.filter(Q(project=project) | Q(project__isnull=True)).order_by(
        F("project_id").asc(nulls_last=True), "name", "pk"
    )


def _calendar_on(project, calendar_id: int) -> WorkCalendar:
    calendar = _project_calendars(project).filter(pk=calendar_id).select_related("project").first()
    if calendar is None:
        raise Http404(_("No such calendar in this project."))
    return calendar


def _own_calendar_on(project, calendar_id: int) -> WorkCalendar:
    """A calendar of the project itself, for a write. The organisation's calendars are
    readable through a project's path (a plan uses them) but not changed or deleted
    through it: a project's path must not reach what every project shares, so they are
    "not in this project" (404) there, even for the PMO, who edits them on their page."""
    calendar = (
        WorkCalendar.objects.filter(project=project, pk=calendar_id)
        .select_related("project")
        .first()
    )
    if calendar is None:
        raise Http404(_("No such calendar in this project."))
    return calendar


def _calendar_base(data: dict) -> dict:
    if data.get("base") is not None:
        base = WorkCalendar.objects.filter(pk=data["base"], project__isnull=True).first()
        if base is None:
            message = _("No organisation calendar has id %(id)s.") % {"id": data["base"]}
            raise UnknownReference(message, fields={"base": [message]})
        data["base"] = base
    return data


@router.get(
    "/{project_id}/calendars",
    response=responses({200: list[CalendarOut]}, 400, 404),
    summary="List the calendars a plan can use",
    operation_id=operation_id("calendar_list"),
)
@paginate(PageNumbers)
def calendar_list(request, project_id: ObjectId):
    """The project's own calendars first, then the organisation-wide base calendars."""
    project = project_for(request.auth, project_id)
    return _project_calendars(project)


@router.post(
    "/{project_id}/calendars",
    response=responses({201: CalendarOut}, 400, 403, 404, 409, 422),
    summary="Add a project calendar",
    operation_id=operation_id("calendar_create"),
)
def calendar_create(request, project_id: ObjectId, payload: CalendarCreateIn):
    """Without ``week``, Monday to Friday 08:00–12:00, 13:00–17:00; ``country`` adds that
    country's public holidays (an unknown one is a 422 naming it)."""
    user = request.auth
    project = project_for(user, project_id, P.PLAN_CHANGE)
    data = _calendar_base(payload.model_dump(exclude_unset=True))
    calendar = calendar_services.calendar_create(actor=user, project=project, **data)
    return Status(201, calendar)


@router.get(
    "/{project_id}/calendars/{calendar_id}",
    response=responses({200: CalendarOut}, 400, 404),
    summary="Get a calendar",
    operation_id=operation_id("calendar_get"),
)
def calendar_get(request, project_id: ObjectId, calendar_id: ObjectId):
    project = project_for(request.auth, project_id)
    return _calendar_on(project, calendar_id)


@router.patch(
    "/{project_id}/calendars/{calendar_id}",
    response=responses({200: CalendarOut}, 400, 403, 404, 409, 422),
    summary="Change a calendar",
    operation_id=operation_id("calendar_update"),
)
def calendar_update(request, project_id: ObjectId, calendar_id: ObjectId, payload: CalendarPatchIn):
    """Send ``version`` and only the fields to change. Refused (422) if a plan using the
    calendar could no longer be scheduled. Only the project's own calendars: an
    organisation calendar is not changed through a project's path (404)."""
    user = request.auth
    project = project_for(user, project_id)
    calendar = _own_calendar_on(project, calendar_id)
    changes = _calendar_base(payload.model_dump(exclude_unset=True))
    version = changes.pop("version")
    return calendar_services.calendar_update(
        actor=user, calendar=calendar, expected_version=version, **changes
    )


@router.delete(
    "/{project_id}/calendars/{calendar_id}",
    response=responses({204: None}, 400, 403, 404, 409, 422),
    summary="Delete a calendar",
    operation_id=operation_id("calendar_delete"),
)
def calendar_delete(
    request,
    project_id: ObjectId,
    calendar_id: ObjectId,
    version: int = Query(..., ge=1, le=MAX_ID, description="The version you read."),
):
    """Refused (422) while the plan, a task or another calendar uses it. Only the
    project's own calendars: an organisation calendar is not deleted here (404)."""
    user = request.auth
    project = project_for(user, project_id)
    calendar = _own_calendar_on(project, calendar_id)
    calendar_services.calendar_delete(actor=user, calendar=calendar, expected_version=version)
    return Status(204, None)


def _exception_on(calendar: WorkCalendar, exception_id: int) -> CalendarException:
    exception = calendar.exceptions.filter(pk=exception_id).first()
    if exception is None:
        raise Http404(_("No such exception in this calendar."))
    exception.calendar = calendar
    return exception


@router.get(
    "/{project_id}/calendars/{calendar_id}/exceptions",
    response=responses({200: list[CalendarExceptionOut]}, 400, 404),
    summary="List a calendar's exceptions",
    operation_id=operation_id("calendar_exception_list"),
)
@paginate(PageNumbers)
def calendar_exception_list(request, project_id: ObjectId, calendar_id: ObjectId):
    """In date order. Public holidays are not listed: they follow from ``country``."""
    project = project_for(request.auth, project_id)
    return _calendar_on(project, calendar_id).exceptions.order_by("start", "pk")


@router.post(
    "/{project_id}/calendars/{calendar_id}/exceptions",
    response=responses({201: CalendarExceptionOut}, 400, 403, 404, 422),
    summary="Add a calendar exception",
    operation_id=operation_id("calendar_exception_create"),
)
def calendar_exception_create(
    request, project_id: ObjectId, calendar_id: ObjectId, payload: CalendarExceptionIn
):
    """Days off (``intervals`` empty) or days with their own working periods."""
    user = request.auth
    project = project_for(user, project_id)
    calendar = _own_calendar_on(project, calendar_id)
    exception = calendar_services.exception_add(
        actor=user, calendar=calendar, **payload.model_dump()
    )
    return Status(201, exception)


@router.get(
    "/{project_id}/calendars/{calendar_id}/exceptions/{exception_id}",
    response=responses({200: CalendarExceptionOut}, 400, 404),
    summary="Get a calendar exception",
    operation_id=operation_id("calendar_exception_get"),
)
def calendar_exception_get(
    request, project_id: ObjectId, calendar_id: ObjectId, exception_id: ObjectId
):
    project = project_for(request.auth, project_id)
    return _exception_on(_calendar_on(project, calendar_id), exception_id)


@router.delete(
    "/{project_id}/calendars/{calendar_id}/exceptions/{exception_id}",
    response=responses({204: None}, 400, 403, 404, 422),
    summary="Remove a calendar exception",
    operation_id=operation_id("calendar_exception_delete"),
)
def calendar_exception_delete(
    request, project_id: ObjectId, calendar_id: ObjectId, exception_id: ObjectId
):
    user = request.auth
    project = project_for(user, project_id)
    exception = _exception_on(_own_calendar_on(project, calendar_id), exception_id)
    calendar_services.exception_remove(actor=user, exception=exception)
    return Status(204, None)
