"""The computed schedule of a plan, in the shape of ``steerco schedule --format json``."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from steerco.accounts.rules import project_for
from steerco.core.api import ObjectId, responses
from steerco.engine.interop.schedule_json import (
    StatusDateError,
    schedule_as_json,
    status_date_from_text,
)
from steerco.engine.scheduling import ScheduleError, schedule_plan

from .. import selectors
from ..adapters import Unschedulable, plan_inputs
from ..schemas import LOCAL_TIME_ONLY, ScheduleOut
from .common import operation_id

router = Router()


def _status_moment(text: str, calendar) -> dt.datetime:
    """``?status_date=`` as a local datetime, read as ``steerco schedule --status-date``."""
    try:
        moment = status_date_from_text(text, calendar)
    except StatusDateError as error:
        raise HttpError(400, f"status_date {error}") from None
    if moment.tzinfo is not None:
        raise HttpError(400, _("status_date: %s.") % LOCAL_TIME_ONLY)
    return moment


@router.get(
    "/{project_id}/schedule",
    response=responses({200: ScheduleOut}, 400, 404, 422),
    summary="The computed schedule",
    operation_id=operation_id("schedule_get"),
)
def schedule_get(
    request,
    project_id: ObjectId,
    status_date: str | None = Query(
        None,
        max_length=40,
        description="Schedule as of this local date or date and time instead of the "
        "plan's status date (a date alone = the end of that working day).",
    ),
):
    """The same shape as ``steerco schedule --format json``; ``uid`` is each task's uid.
    A plan that cannot be scheduled (e.g. a dependency loop) answers 422 saying why."""
    project = project_for(request.auth, project_id)
    inputs = plan_inputs(project, selectors.plan_settings_get(project=project))
    if status_date:
        inputs.plan.status_date = _status_moment(status_date, inputs.plan.calendar)
    try:
        schedule = schedule_plan(inputs.plan)
    except ScheduleError as error:
        raise Unschedulable(error) from None
    return schedule_as_json(inputs.plan, schedule)
