"""Writing an import beside a log, then switching it in at once (see ``LogImport``).

``imports.log_import`` opens a run (``import_begin``), writes its rows through the
services with ``staged=run`` a batch per transaction (``batch``), and then either
switches (``import_switch``: one short transaction, a few set-based statements whatever
the file's size; ``import_tidy`` then removes the copies it used) or discards
(``import_discard``: the run's rows are deleted, the log is as it was). Other users
therefore wait at most for one batch or the switch, and never see half an import.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steerco.core.exceptions import DomainError
from steerco.core.history import change_set

from ..kinds import LogKind, kind_for
from ..models import LogImport, LogItem
from ..services import updated_fields

#: Rows checked and written per transaction. Each row costs about ten queries and its
#: validation (5 ms; 12 ms on the two-core machine under a load average of 9), so a batch
#: holds SQLite's write lock for about 0.3 s under that load (50 rows: 0.6 s, peaks of
#: 1.6 s): another user's save waits at most about that long. Smaller batches add pauses.
BATCH_ROWS = 25
#: Rows deleted per statement when an import is discarded (no checks: quick).
DELETE_ROWS = 500
#: On SQLite, the pause after each batch. A writer waiting for the lock sleeps between
#: tries (SQLite's busy handler, up to 100 ms at a time), so an import that took the lock
#: again at once would win every race and keep other users' saves waiting for many
#: batches. PostgreSQL locks rows, not the database: nobody waits there.
SQLITE_PAUSE_SECONDS = 0.1
#: An import still "being written" after this long was abandoned (its worker died); the
#: next import into the same log removes what it wrote.
ABANDONED_AFTER = dt.timedelta(hours=6)


class StaleRows(DomainError):
    """Items the import changes were saved, or deleted, by someone else while it was being
    written; ``current`` maps each such item's key to the item as it now is (None if gone).
    Nothing was switched."""

    def __init__(self, current: dict[int, LogItem | None]):
        super().__init__(_("Some items changed while the file was being imported."))
        self.current = current


def import_begin(*, actor, project, kind: LogKind, filename: str = "", job_id=None) -> LogImport:
    """Open a run for an import into ``project``'s ``kind`` log, after removing what
    earlier imports of that log left behind."""
    discard_leftovers(project=project, kind=kind)
    return LogImport.objects.create(
        project=project,
        kind=kind.slug,
        started_by=actor,
        filename=filename[:255],
        job_id=job_id,
    )


@contextmanager
def batch() -> Iterator[None]:
    """One batch of an import: its own transaction, then (on SQLite) a pause that lets
    waiting writers in. Inside the caller's transaction (a test's) it is a savepoint, and
    nothing pauses."""
    with transaction.atomic():
        yield
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        time.sleep(SQLITE_PAUSE_SECONDS)


def import_switch(run: LogImport, *, actor, reason: str) -> None:
    """Show what ``run`` wrote, in one short transaction: the file's values go onto the
    items it changes (version + 1), its new items lose their mark, every one gets its
    history row ("changed" or "created", by ``actor`` for ``reason``). The copies stay,
    hidden, for ``import_tidy``.

    First checks, under the items' row locks, that each item it changes is still at the
    version its row was read at; if not, raises ``StaleRows`` and changes nothing.
    The statements are set-based, so 10,000 rows take a fraction of a second.
    """
    model = kind_for(run.kind).model
    with change_set(actor=actor, reason=reason) as changes, transaction.atomic():
        run = LogImport.objects.select_for_update().get(pk=run.pk)
        if run.state != LogImport.State.STAGING:
            raise DomainError(_("This import was stopped before it could finish."))
        copies = model.all_rows.filter(staged_import=run, shadow_of__isnull=False)
        items = model.objects.filter(pk__in=copies.values("shadow_of_id"))
        # Locked in key order, so two imports switching the same items cannot deadlock.
        now_at = dict(items.select_for_update().order_by("pk").values_list("pk", "version"))
        stale = [
            key
            for key, read_at in copies.values_list("shadow_of_id", "version")
            if now_at.get(key) != read_at
        ]
        if stale:
            current = model.objects.in_bulk(stale)
            raise StaleRows({key: current.get(key) for key in stale})
        created = model.all_rows.filter(staged_import=run, shadow_of__isnull=True)
        changes.record_rows(created, history_type="+")
        created.update(staged_import=None)
        _copy_onto_items(run, model, updated_fields(kind_for(run.kind)))
        changes.record_rows(items, history_type="~")
        run.state = LogImport.State.SWITCHED
        run.finished_at = timezone.now()
        run.save(update_fields=["state", "finished_at"])


def import_tidy(run: LogImport) -> None:
    """Delete a switched import's copies: hidden, and no longer needed. Outside the
    switch, to keep it short; the next import of the log does it if this one stops."""
    _remove_rows(run)


def _copy_onto_items(run: LogImport, model: type[LogItem], names: tuple[str, ...]) -> None:
    """Give each item ``run`` changes its copy's values and the next version, in one
    UPDATE ... FROM (PostgreSQL, and SQLite since 3.33): a join, where a subquery per
    column would take seconds for 10,000 items."""
    quote = connection.ops.quote_name
    meta = model._meta
    columns = [quote(meta.get_field(name).column) for name in names]
    assignments = ", ".join(f"{column} = copy.{column}" for column in columns)
    version, updated_at = quote("version"), quote("updated_at")
    key = quote(meta.pk.column)
    now = meta.get_field("updated_at").get_db_prep_save(timezone.now(), connection)
    sql = (
        f"UPDATE {quote(meta.db_table)} AS item SET {assignments}, "  # noqa: S608 - names quoted, values bound
        f"{version} = item.{version} + 1, {updated_at} = %s "
        f"FROM {quote(meta.db_table)} AS copy "
        f"WHERE copy.{quote('shadow_of_id')} = item.{key} "
        f"AND copy.{quote('staged_import_id')} = %s AND item.{quote('staged_import_id')} IS NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, run.pk])


def import_discard(run: LogImport, message: str = "") -> None:
    """Say ``run`` failed and delete every row it wrote (they have no history rows)."""
    LogImport.objects.filter(pk=run.pk, state=LogImport.State.STAGING).update(
        state=LogImport.State.FAILED, finished_at=timezone.now(), message=message
    )
    _remove_rows(run)


def discard_leftovers(*, project, kind: LogKind) -> None:
    """Finish what earlier imports into this log left: imports abandoned while being
    written (their worker died), and ended ones whose hidden rows were not all deleted
    (failed imports' rows, switched imports' copies)."""
    abandoned = LogImport.objects.filter(
        project=project,
        kind=kind.slug,
        state=LogImport.State.STAGING,
        created_at__lt=timezone.now() - ABANDONED_AFTER,
    )
    for run in abandoned:
        import_discard(run, _("Abandoned: it stopped before it could finish."))
    unfinished = LogImport.objects.filter(
        pk__in=kind.model.all_rows.filter(project=project)
        .exclude(staged_import__state=LogImport.State.STAGING)
        .exclude(staged_import=None)
        .values("staged_import")
    )
    for run in unfinished:
        _remove_rows(run)


def _remove_rows(run: LogImport) -> None:
    model = kind_for(run.kind).model
    keys = list(model.all_rows.filter(staged_import=run).values_list("pk", flat=True))
    for start in range(0, len(keys), DELETE_ROWS):
        with batch():
            _delete_rows(model.all_rows.filter(pk__in=keys[start : start + DELETE_ROWS]))


def _delete_rows(queryset: models.QuerySet) -> None:
    """DELETE the rows, without Django's collector: no signals, so no "deleted" history
    rows for rows that were never shown. Only for rows nothing points to: an import's."""
    model = queryset.model
    quote = connection.ops.quote_name
    keys, params = queryset.order_by().values("pk").query.sql_with_params()
    table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {key} IN ({keys})", params)  # noqa: S608 - names quoted, values bound
