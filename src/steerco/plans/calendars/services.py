"""Writes (and the few reads the calendar pages need) for working calendars.

Project calendars are changed by whoever may change the project's plan
(``P.PLAN_CHANGE``); organisation-wide base calendars are the PMO's
(``P.PORTFOLIO_MANAGE``), since a change reaches every project deriving from them. Every
change is checked against the plans it affects: if any of them could no longer be
scheduled (a calendar without working time), a DomainError says why and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings as django_settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from steerco.accounts.rules import P, check_project, require_perm
from steerco.core.exceptions import DomainError
from steerco.core.versioning import versioned_delete, versioned_update
from steerco.engine.scheduling.calendar import CalendarError
from steerco.projects.models import Project

from ..adapters import calendars_to_engine
from ..models import CalendarException, ProjectPlan, Task, TaskAssignment, WorkCalendar
from ..services import _check_schedulable, plan_settings, plan_update

CALENDAR_FIELDS = ("name", "base", "week", "country", "subdivision")


# --- permissions ----------------------------------------------------------------------


def check_calendar(actor, calendar: WorkCalendar) -> None:
    """Raise unless ``actor`` may change ``calendar`` (404/403 for projects as usual)."""
    if calendar.project_id:
        check_project(actor, calendar.project, P.PLAN_CHANGE)
    else:
        require_perm(actor, P.PORTFOLIO_MANAGE)


def _check_scope(actor, project) -> None:
    if project is not None:
        check_project(actor, project, P.PLAN_CHANGE)
    else:
        require_perm(actor, P.PORTFOLIO_MANAGE)


# --- validation -----------------------------------------------------------------------


def supported_countries() -> dict[str, list[str]]:
    import holidays  # imported lazily, as the engine does: it is slow to load

    return holidays.list_supported_countries()


def _clean_country(country: str, subdivision: str) -> tuple[str, str]:
    country = (country or "").strip().upper()
    subdivision = (subdivision or "").strip().upper()
    if not country:
        if subdivision:
            message = _("Choose a country before a region.")
            raise DomainError(message, fields={"subdivision": [message]})
        return "", ""
    supported = supported_countries()
    if country not in supported:
        message = _("No public holidays are known for country '%(c)s'.") % {"c": country}
        raise DomainError(message, fields={"country": [message]})
    if subdivision and subdivision not in supported[country]:
        message = _("'%(s)s' is not a region of %(c)s with known public holidays.") % {
            "s": subdivision,
            "c": country,
        }
        raise DomainError(message, fields={"subdivision": [message]})
    return country, subdivision


def _clean_base(calendar_project_id, base: WorkCalendar | None, own_pk=None):
    if base is None:
        return None
    if base.project_id is not None:
        message = _("A calendar can only derive from an organisation-wide calendar.")
        raise DomainError(message, fields={"base": [message]})
    seen = {own_pk} if own_pk else set()
    current = base
    while current is not None:
        if current.pk in seen:
            message = _("A calendar cannot derive from itself.")
            raise DomainError(message, fields={"base": [message]})
        seen.add(current.pk)
        current = current.base
    return base


def _related_calendars(calendar: WorkCalendar) -> list[WorkCalendar]:
    """``calendar`` and every calendar deriving from it, directly or not."""
    found = {calendar.pk}
    frontier = [calendar.pk]
    while frontier:
        frontier = list(
            WorkCalendar.objects.filter(base_id__in=frontier)
            .exclude(pk__in=found)
            .values_list("pk", flat=True)
        )
        found.update(frontier)
    return list(WorkCalendar.objects.filter(pk__in=found))


def _affected_project_ids(calendar: WorkCalendar) -> set[int]:
    ids = [c.pk for c in _related_calendars(calendar)]
    projects = set(
        ProjectPlan.objects.filter(calendar_id__in=ids).values_list("project", flat=True)
    )
    projects |= set(Task.objects.filter(calendar_id__in=ids).values_list("project", flat=True))
    projects |= set(
        TaskAssignment.objects.filter(calendar_id__in=ids).values_list("task__project", flat=True)
    )
    projects |= {c.project_id for c in _related_calendars(calendar) if c.project_id}
    return projects


def _check_has_working_time(calendar: WorkCalendar) -> None:
    """Refuse a calendar (as it stands in this transaction) on which nothing can be scheduled."""
    rows = list(
        WorkCalendar.objects.filter(
            Q(project__isnull=True) | Q(project_id=calendar.project_id) | Q(pk=calendar.pk)
        ).prefetch_related("exceptions")
    )
    engine = calendars_to_engine(rows)[calendar.pk]
    try:
        engine.next_working_time(dt.datetime.combine(dt.date.today(), dt.time()))
    except CalendarError:
        raise DomainError(
            _(
                "Calendar '%(name)s' would have no working time at all, so nothing could be "
                "scheduled on it. Give at least one day working hours."
            )
            % {"name": calendar.name},
            fields={"week": [_("At least one day needs working hours.")]},
        ) from None


def _check_plans(calendar: WorkCalendar) -> None:
    _check_has_working_time(calendar)
    for project in Project.objects.filter(pk__in=_affected_project_ids(calendar)):
        _check_schedulable(project)


# --- calendars ------------------------------------------------------------------------


def organisation_default() -> WorkCalendar | None:
    """The organisation calendar new project calendars derive from.

    Named by the ``STEERCO_DEFAULT_CALENDAR`` setting, else the first organisation-wide one.
    """
    org = WorkCalendar.objects.filter(project__isnull=True)
    name = getattr(django_settings, "STEERCO_DEFAULT_CALENDAR", "")
    return (name and org.filter(name=name).first()) or org.order_by("name", "pk").first()


def calendar_create(
    *,
    actor,
    project=None,
    name: str,
    base: WorkCalendar | None = None,
    week: dict | None = None,
    country: str = "",
    subdivision: str = "",
) -> WorkCalendar:
    """A calendar of ``project``, or an organisation-wide one when ``project`` is None."""
    _check_scope(actor, project)
    country, subdivision = _clean_country(country, subdivision)
    base = _clean_base(project.pk if project else None, base)
    calendar = WorkCalendar(
        name=(name or "").strip(),
        project=project,
        base=base,
        country=country,
        subdivision=subdivision,
    )
    if week is not None:
        calendar.week = week
    with transaction.atomic():
        calendar.full_clean()
        calendar._history_user = actor
        calendar.save()
        _check_has_working_time(calendar)
    return calendar


def calendar_update(
    *, actor, calendar: WorkCalendar, expected_version: int, **changes
) -> WorkCalendar:
    """Change a calendar's fields; every plan it reaches must still schedule."""
    check_calendar(actor, calendar)
    unknown = set(changes) - set(CALENDAR_FIELDS)
    if unknown:
        raise DomainError(_("Unknown calendar fields: %s") % ", ".join(sorted(unknown)))
    if "country" in changes or "subdivision" in changes:
        changes["country"], changes["subdivision"] = _clean_country(
            changes.get("country", calendar.country),
            changes.get("subdivision", calendar.subdivision),
        )
    if "base" in changes:
        changes["base"] = _clean_base(calendar.project_id, changes["base"], calendar.pk)
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
    with transaction.atomic():
        versioned_update(calendar, expected_version=expected_version, changes=changes, actor=actor)
        _check_plans(calendar)
    return calendar


def calendar_delete(*, actor, calendar: WorkCalendar, expected_version: int) -> None:
    """Delete a calendar nothing uses, if still at ``expected_version``; refuse, saying
    what uses it, otherwise (checked under the row lock, with the version)."""
    check_calendar(actor, calendar)
    versioned_delete(
        calendar, expected_version=expected_version, actor=actor, before=_refuse_if_used
    )


def _refuse_if_used(calendar: WorkCalendar) -> None:
    plan = ProjectPlan.objects.filter(calendar=calendar).select_related("project").first()
    if plan is not None:
        raise DomainError(
            _("'%(c)s' is the calendar of project %(p)s; give the project another first.")
            % {"c": calendar.name, "p": plan.project.code}
        )
    task = Task.objects.filter(calendar=calendar).select_related("project").first()
    if task is None:
        assignment = TaskAssignment.objects.filter(calendar=calendar).select_related("task")
        task = assignment.first().task if assignment.exists() else None
    if task is not None:
        raise DomainError(
            _("'%(c)s' is used by task '%(t)s' of project %(p)s; change that task first.")
            % {"c": calendar.name, "t": task.name, "p": task.project.code}
        )
    derived = calendar.derived.first()
    if derived is not None:
        raise DomainError(
            _("Calendar '%(d)s' derives from '%(c)s'; change or delete it first.")
            % {"d": derived.name, "c": calendar.name}
        )


def project_calendar_set(*, actor, project, calendar: WorkCalendar | None) -> ProjectPlan:
    """Make ``calendar`` (the project's own or an organisation one) the project calendar."""
    check_project(actor, project, P.PLAN_CHANGE)
    if calendar is not None and calendar.project_id not in (None, project.pk):
        raise DomainError(_("That calendar belongs to another project."))
    settings = plan_settings(project, actor=actor)
    return plan_update(
        actor=actor, project=project, expected_version=settings.version, calendar=calendar
    )


def project_calendar_for_edit(*, actor, project) -> WorkCalendar:
    """The project's own calendar, created on first edit from the organisation default.

    A project scheduled on an organisation calendar (or on none) gets a calendar of its own
    deriving from it, so what is changed here changes no other project.
    """
    check_project(actor, project, P.PLAN_CHANGE)
    with transaction.atomic():
        settings = plan_settings(project, actor=actor)
        current = settings.calendar
        if current is not None and current.project_id == project.pk:
            return current
        origin = current or organisation_default()
        calendar = WorkCalendar(
            project=project, name=_("%(code)s calendar") % {"code": project.code}
        )
        if origin is not None:
            calendar.base = origin
            calendar.week = dict(origin.week)
            calendar.country, calendar.subdivision = origin.country, origin.subdivision
        calendar._history_user = actor
        calendar.save()
        plan_update(
            actor=actor, project=project, expected_version=settings.version, calendar=calendar
        )
    return calendar


# --- exceptions -----------------------------------------------------------------------


def exception_add(
    *,
    actor,
    calendar: WorkCalendar,
    start: dt.date,
    finish: dt.date | None = None,
    name: str = "",
    intervals: list | None = None,
    recurring_yearly: bool = False,
) -> CalendarException:
    """Dates off (no ``intervals``) or with their own working hours, e.g. a working Saturday."""
    check_calendar(actor, calendar)
    exception = CalendarException(
        calendar=calendar,
        name=(name or "").strip(),
        start=start,
        finish=finish or start,
        intervals=[list(pair) for pair in (intervals or [])],
        recurring_yearly=recurring_yearly,
    )
    with transaction.atomic():
        exception.full_clean()
        exception.save()
        _check_plans(calendar)
    return exception


def exception_remove(*, actor, exception: CalendarException) -> None:
    """Remove an exception; every plan the calendar reaches must still schedule.

    Exceptions carry no version (they are added and removed, never edited), so only
    their existence is checked (ObjectGone if someone removed it first).
    """
    calendar = exception.calendar
    check_calendar(actor, calendar)
    with transaction.atomic():
        versioned_delete(exception, expected_version=None, actor=actor)
        _check_plans(calendar)


# --- reading --------------------------------------------------------------------------


@dataclass
class SpecialDay:
    day: dt.date
    name: str
    kind: str  # "holiday" or "exception"
    intervals: list


def special_days(calendar: WorkCalendar, first: dt.date, days: int = 366) -> list[SpecialDay]:
    """Exceptions and public holidays from ``first`` on, the calendar's and its bases'.

    Computed as the scheduler sees them: an exception wins over a public holiday on the
    same day, and a calendar's own rules win over its base's.
    """
    last = first + dt.timedelta(days=days - 1)
    found: dict[dt.date, SpecialDay] = {}
    chain = []
    current, seen = calendar, set()
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        chain.append(current)
        current = current.base
    for row in chain:
        for exception in row.exceptions.all():
            day = max(first, exception.start) if not exception.recurring_yearly else first
            while day <= last:
                if _covers(exception, day) and day not in found:
                    found[day] = SpecialDay(day, exception.name, "exception", exception.intervals)
                day += dt.timedelta(days=1)
                if not exception.recurring_yearly and day > exception.finish:
                    break
        if row.country:
            names = _holiday_names(row.country, row.subdivision, first.year, last.year)
            for day, holiday in sorted(names.items()):
                if first <= day <= last and day not in found:
                    found[day] = SpecialDay(day, holiday, "holiday", [])
    return sorted(found.values(), key=lambda s: s.day)


def _covers(exception: CalendarException, day: dt.date) -> bool:
    if not exception.recurring_yearly:
        return exception.start <= day <= exception.finish
    key = (day.month, day.day)
    start, finish = (
        (exception.start.month, exception.start.day),
        (
            exception.finish.month,
            exception.finish.day,
        ),
    )
    return start <= key <= finish if start <= finish else key >= start or key <= finish


def _holiday_names(country: str, subdivision: str, first_year: int, last_year: int) -> dict:
    import holidays

    try:
        return dict(
            holidays.country_holidays(
                country, subdiv=subdivision or None, years=range(first_year, last_year + 1)
            )
        )
    except NotImplementedError:
        return {}


__all__ = [
    "calendar_create",
    "calendar_delete",
    "calendar_update",
    "exception_add",
    "exception_remove",
    "organisation_default",
    "project_calendar_for_edit",
    "project_calendar_set",
    "special_days",
]
