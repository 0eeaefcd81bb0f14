"""Reading django-simple-history rows as "who changed what, when", for every page and API.

One reader for the project history, a log item's history and the conflict panel, so they
all name people the same way (the person's name, never a login) and say times the same
way ("3 hours ago", "yesterday at 14:05", "12 Mar 2026 at 09:30").

Core knows no domain app: a user's person is reached through the ``user.person`` reverse
relation, which exists once the resources app is installed, and is simply absent before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}

# Bookkeeping columns: their changes are not something a person did.
IGNORED_FIELDS = frozenset({"version", "updated_at", "created_at"})


@dataclass(frozen=True)
class FieldChange:
    field: str  # the field's verbose name
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    """One change as people read it. ``who`` is a person's name ("system" for changes no
    person made); ``login`` is the account's username, kept only for API compatibility."""

    when: dt.datetime
    who: str
    action: str  # "created", "changed" or "deleted"
    changes: list[FieldChange] = field(default_factory=list)
    subject: str = ""
    login: str = "system"

    @property
    def when_words(self) -> str:
        return time_in_words(self.when)


def name_of(user) -> str | None:
    """The name to show for ``user``: their person's name, else their full name, else (only
    when nothing else exists) their login. None for no user."""
    if user is None:
        return None
    try:
        person = user.person
    except (ObjectDoesNotExist, AttributeError):
        person = None
    if person is not None and person.name:
        return person.name
    return user.get_full_name() or user.get_username()


def time_in_words(moment: dt.datetime, *, now: dt.datetime | None = None) -> str:
    """``moment`` as people say it, in the active time zone: "just now", "5 minutes ago",
    "3 hours ago" (today), "yesterday at 14:05", "12 Mar 2026 at 09:30"."""
    now = now or timezone.now()
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
        now = timezone.localtime(now)
    seconds = (now - moment).total_seconds()
    clock = moment.strftime("%H:%M")
    if 0 <= seconds < 60:
        return _("just now")
    if 0 <= seconds < 3600:
        minutes = int(seconds // 60)
        return ngettext("%(n)d minute ago", "%(n)d minutes ago", minutes) % {"n": minutes}
    if seconds >= 0 and moment.date() == now.date():
        hours = int(seconds // 3600)
        return ngettext("%(n)d hour ago", "%(n)d hours ago", hours) % {"n": hours}
    if moment.date() == now.date() - dt.timedelta(days=1):
        return _("yesterday at %(time)s") % {"time": clock}
    return _("%(date)s at %(time)s") % {"date": date_format(moment, "j M Y"), "time": clock}


def display_value(model: type[models.Model], name: str, value, cache: dict | None = None) -> str:
    """A stored field value as people read it: choice labels, related objects by name,
    yes/no, "—" for nothing. ``cache`` (shared across calls) saves repeated lookups."""
    if value is None or value == "":
        return "—"
    model_field = model._meta.get_field(name)
    if model_field.is_relation:
        related = model_field.related_model
        key = (related, value)
        if cache is None or key not in cache:
            obj = related._default_manager.filter(pk=value).first()
            shown = str(obj) if obj is not None else f"#{value} (deleted)"
            if cache is None:
                return shown
            cache[key] = shown
        return cache[key]
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return date_format(value, "j M Y")
    return str(value)


def history_entries(
    records: Iterable,
    *,
    subject_of: Callable[[object], str] | None = None,
    ignored: Iterable[str] = (),
) -> list[HistoryEntry]:
    """Turn historical records (of one model, any number of objects) into entries, newest
    first. A "changed" row lists each field that differs from the same object's previous
    row; one whose only differences are ``ignored`` or bookkeeping fields is left out.

    Pass records with ``select_related("history_user__person")`` (when people exist) to
    read them in one query; the records are ordered here.
    """
    skip = IGNORED_FIELDS | set(ignored)
    records = sorted(records, key=lambda r: (r.history_date, r.history_id))
    previous_of: dict = {}
    cache: dict = {}
    entries = []
    for record in records:
        model = record.instance_type
        key = getattr(record, model._meta.pk.attname)
        previous = previous_of.get(key)
        previous_of[key] = record
        changes = []
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in skip:
                    continue
                changes.append(
                    FieldChange(
                        field=str(model._meta.get_field(change.field).verbose_name),
                        old=display_value(model, change.field, change.old, cache),
                        new=display_value(model, change.field, change.new, cache),
                    )
                )
            if not changes:
                continue
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=name_of(user) or "system",
                login=user.get_username() if user is not None else "system",
                action=ACTIONS[record.history_type],
                changes=changes,
                subject=subject_of(record) if subject_of is not None else "",
            )
        )
    # Newest first; rows saved in the same instant keep their save order, reversed.
    entries.reverse()
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def latest_author(instance: models.Model) -> str | None:
    """The name of whoever last saved ``instance`` (None if no person did), as the
    conflict messages say it."""
    latest = (
        type(instance)
        .history.filter(**{instance._meta.pk.attname: instance.pk})
        .order_by("-history_date", "-history_id")
        .select_related("history_user")
        .first()
    )
    return name_of(latest.history_user) if latest is not None else None
