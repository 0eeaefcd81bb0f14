"""Reading django-simple-history rows as "who changed what, when", for every page and API.

One reader for the project history, a log item's history and the conflict panel, so they
all name people the same way (the person's name, never a login) and say times the same
way ("3 hours ago", "yesterday at 14:05", "12 Mar 2026 at 09:30").

Core knows no domain app: a user's person is reached through the ``user.person`` reverse
relation, which exists once the resources app is installed, and is simply absent before.

Writes of many rows at once (a plan import, renumbering an outline) run inside a
``change_set``: each history row they leave, bulk or one by one, names the same actor,
reason and moment, and ``read_history`` shows them as one expandable entry.

A project's history is the projects app's, but other apps keep rows about a project too
(its plan). Apps below or beside ``projects`` in the layer order cannot be imported by it,
so they contribute a reader here (``contribute_project_history``) and the project history
asks every contributor (``contributed_project_history``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.signals import pre_create_historical_record
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

from steerco.core.formats import day_text

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
    reason: str = ""  # the change set's reason ("Imported from plan.xml"), if any
    change_set: tuple | None = None  # (moment, user id, reason) of its change set, if any
    kind: str = ""  # what changed, singular and plural: "task", "tasks"
    kinds: str = ""
    # A change set's summary entry: what it counts ("2,000 tasks created"), its entries
    # (the first DETAILS_SHOWN) and how many more there are.
    counts: str = ""
    details: list[HistoryEntry] = field(default_factory=list)
    more: int = 0

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
    return _("%(date)s at %(time)s") % {"date": day_text(moment), "time": clock}


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
            if obj is None:
                shown = f"#{value} (deleted)"
            elif related is get_user_model():
                # A login is not a name: people are shown as themselves, as authors are.
                shown = name_of(obj) or str(obj)
            else:
                shown = str(obj)
            if cache is None:
                return shown
            cache[key] = shown
        return cache[key]
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return day_text(value)
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
                reason=record.history_change_reason or "",
                change_set=(
                    (record.history_date, record.history_user_id, record.history_change_reason)
                    if record.history_change_reason
                    else None
                ),
                kind=str(model._meta.verbose_name),
                kinds=str(model._meta.verbose_name_plural),
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


# --- change sets ------------------------------------------------------------------------

DETAILS_SHOWN = 50  # entries listed under a change set's summary; the rest are counted


@dataclass(frozen=True)
class ChangeSet:
    """Writes one person made as one change, for one reason, at one moment."""

    actor: Any
    reason: str
    when: dt.datetime

    def bulk_create(self, model: type[models.Model], objs: list, *, batch_size=None) -> list:
        """``model.objects.bulk_create(objs)`` with a "created" history row for each."""
        return bulk_create_with_history(
            objs,
            model,
            batch_size=batch_size,
            default_user=self.actor,
            default_change_reason=self.reason,
            default_date=self.when,
        )

    def record_updates(self, model: type[models.Model], objs: list, *, batch_size=None) -> None:
        """A "changed" history row for each of ``objs``, already saved as they now stand
        (by whatever UPDATE suited the caller)."""
        get_history_manager_for_model(model).bulk_history_create(
            objs,
            batch_size=batch_size,
            update=True,
            default_user=self.actor,
            default_change_reason=self.reason,
            default_date=self.when,
        )

    def record_rows(self, queryset: models.QuerySet, *, history_type: str) -> int:
        """A history row for each row ``queryset`` selects, as it now stands ("+" created
        or "~" changed), copied inside the database by one INSERT ... SELECT: for rows a
        set-based UPDATE wrote (an import's switch), thousands of which would take seconds
        as objects. Returns how many."""
        model = queryset.model
        history = get_history_manager_for_model(model).model
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in history.tracked_fields)
        keys, key_params = queryset.order_by().values("pk").query.sql_with_params()
        moment = history._meta.get_field("history_date").get_db_prep_save(self.when, connection)
        actor = getattr(self.actor, "pk", None)
        sql = (
            f"INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, "  # noqa: S608 - names quoted, values bound
            "history_change_reason, history_type, history_user_id) "
            f"SELECT {columns}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
            f"WHERE {quote(model._meta.pk.column)} IN ({keys})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [moment, self.reason, history_type, actor, *key_params])
            return cursor.rowcount

    def delete(self, queryset: models.QuerySet, *, batch_size: int = 1000) -> int:
        """Delete ``queryset``'s rows, each with a "deleted" history row; returns how many.

        Django's delete writes one history row per object through its signal (seconds
        for thousands of rows); here the database copies each batch of ``batch_size``
        rows into the history (``INSERT ... SELECT``) and deletes them, without signals.
        So only for rows nothing still points to: the caller deletes their dependents
        first.
        """
        model = queryset.model
        keys = list(queryset.values_list("pk", flat=True))
        table = connection.ops.quote_name(model._meta.db_table)
        key = connection.ops.quote_name(model._meta.pk.column)
        with connection.cursor() as cursor:
            for start in range(0, len(keys), batch_size):
                batch = keys[start : start + batch_size]
                self.record_rows(model._base_manager.filter(pk__in=batch), history_type="-")
                marks = ", ".join(["%s"] * len(batch))
                cursor.execute(f"DELETE FROM {table} WHERE {key} IN ({marks})", batch)  # noqa: S608 - names quoted, values bound
        return len(keys)


_open_change_set: ContextVar[ChangeSet | None] = ContextVar("change_set", default=None)


@contextmanager
def change_set(*, actor, reason: str) -> Iterator[ChangeSet]:
    """Group the writes made inside as one change by ``actor`` for ``reason``.

    Every history row written inside, by a save or delete (their signals) or through the
    ChangeSet's bulk methods, gets the actor (when the write named none), the reason and
    the change set's moment, which is what tells the rows of one change set apart. Inside
    another change set this one joins the outer one: a service that calls services is one
    change.
    """
    outer = _open_change_set.get()
    if outer is not None:
        yield outer
        return
    opened = ChangeSet(actor=actor, reason=reason[:100], when=timezone.now())
    token = _open_change_set.set(opened)
    try:
        yield opened
    finally:
        _open_change_set.reset(token)


def _stamp_with_change_set(sender, history_instance, **kwargs) -> None:
    opened = _open_change_set.get()
    if opened is None:
        return
    history_instance.history_date = opened.when
    history_instance.history_change_reason = history_instance.history_change_reason or (
        opened.reason
    )
    if history_instance.history_user is None:
        history_instance.history_user = opened.actor


# Connected where change sets are defined: a change set can only be opened after this
# module is imported, and outside one the receiver does nothing.
pre_create_historical_record.connect(_stamp_with_change_set, dispatch_uid="core.change_set")


@dataclass(frozen=True)
class HistorySource:
    """Historical records of one model (a queryset of its history), and how to name them.
    Select ``history_user__person`` (when people exist) so names cost no query per row."""

    records: models.QuerySet
    subject_of: Callable[[object], str] | None = None
    ignored: tuple[str, ...] = ()


def read_history(sources: Iterable[HistorySource]) -> list[HistoryEntry]:
    """Every source's entries, newest first, each change set of two or more rows (a plan
    import) as one entry: "Imported from plan.xml: 2,000 tasks created, 1,999
    dependencies created", with its first DETAILS_SHOWN rows as ``details``.

    A large change set is counted from its keys; only the rows shown are read whole (with
    the row before each change, to say what changed), so thousands of imported rows cost
    one light query, not thousands of objects.
    """
    sources = list(sources)
    keys_of = [
        list(
            source.records.order_by("history_date", "history_id").values_list(
                "history_id",
                "history_type",
                "history_date",
                "history_user_id",
                "history_change_reason",
                source.records.model.instance_type._meta.pk.attname,
            )
        )
        for source in sources
    ]
    # Change sets and what they hold, counted across sources.
    sizes: dict[tuple, int] = {}
    counts: dict[tuple, dict[tuple[str, str, str], int]] = {}
    for source, keys in zip(sources, keys_of, strict=True):
        model = source.records.model.instance_type
        kind, kinds = str(model._meta.verbose_name), str(model._meta.verbose_name_plural)
        for _id, history_type, when, user_id, reason, _object in keys:
            if reason:
                key = (when, user_id, reason)
                sizes[key] = sizes.get(key, 0) + 1
                tally = counts.setdefault(key, {})
                what = (kind, kinds, ACTIONS[history_type])
                tally[what] = tally.get(what, 0) + 1
    # Read whole: rows outside change sets of several, the first rows of each such set,
    # and the row before every "changed" row read (its diff needs it).
    shown: dict[tuple, int] = {}
    entries: list[HistoryEntry] = []
    for source, keys in zip(sources, keys_of, strict=True):
        wanted: set[int] = set()
        previous_of: dict = {}
        for history_id, history_type, when, user_id, reason, object_id in keys:
            key = (when, user_id, reason)
            if sizes.get(key, 1) > 1:
                if shown.get(key, 0) >= DETAILS_SHOWN:
                    previous_of[object_id] = history_id
                    continue
                shown[key] = shown.get(key, 0) + 1
            wanted.add(history_id)
            if history_type == "~" and object_id in previous_of:
                wanted.add(previous_of[object_id])
            previous_of[object_id] = history_id
        records = []
        ordered = sorted(wanted)
        for start in range(0, len(ordered), 500):
            records += source.records.filter(
                history_id__in=ordered[start : start + 500]
            ).select_related("history_user")
        entries += history_entries(records, subject_of=source.subject_of, ignored=source.ignored)
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return _summarise(entries, sizes, counts)


def _summarise(entries: list[HistoryEntry], sizes: dict, counts: dict) -> list[HistoryEntry]:
    groups: dict[tuple, list[HistoryEntry]] = {}
    for entry in entries:
        if sizes.get(entry.change_set, 1) > 1:
            groups.setdefault(entry.change_set, []).append(entry)
    summarised: list[HistoryEntry] = []
    for entry in entries:
        group = groups.get(entry.change_set)
        if group is None:
            summarised.append(entry)
        elif group[0] is entry:  # the change set stands where its newest row stood
            summarised.append(_summary_of(group, sizes[entry.change_set], counts[entry.change_set]))
    return summarised


def _summary_of(group: list[HistoryEntry], size: int, tally: dict) -> HistoryEntry:
    parts = [
        f"{count:,} {kind if count == 1 else kinds} {action}"
        for (kind, kinds, action), count in tally.items()
    ]
    first = group[0]
    counts_text = ", ".join(parts)
    details = group[:DETAILS_SHOWN]
    return HistoryEntry(
        when=first.when,
        who=first.who,
        login=first.login,
        action="changed",
        subject=f"{first.reason}: {counts_text}",
        reason=first.reason,
        change_set=first.change_set,
        counts=counts_text,
        details=details,
        more=max(0, size - len(details)),
    )


# --- contributions to a project's history -------------------------------------------------

ProjectHistorySources = Callable[..., list[HistorySource]]
_project_history_sources: list[ProjectHistorySources] = []


def contribute_project_history(sources: ProjectHistorySources) -> None:
    """Add ``sources(project_id=...) -> [HistorySource]`` to every project's history. Call
    from the contributing app's ``AppConfig.ready``."""
    if sources not in _project_history_sources:
        _project_history_sources.append(sources)


def contributed_project_history(*, project_id: int) -> list[HistorySource]:
    """The history sources other apps keep about the project, for ``read_history``."""
    found: list[HistorySource] = []
    for sources in _project_history_sources:
        found += sources(project_id=project_id)
    return found
