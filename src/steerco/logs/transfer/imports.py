"""The write side of a spreadsheet import into one project log: every row or none.

``sheets.read_table`` turns the upload into rows of raw cells; ``log_import`` parses
each row, then creates or updates items through ``services.item_create`` and
``services.item_update``, so permissions, validation and history are exactly those of
the pages and the API. The rows are written a batch per short transaction as hidden rows
of one import (``staging``), which a single short transaction switches in once every row
has passed: other users never wait for the whole file, nor see part of it. If any row is
refused, what was written is deleted and ``ImportRejected`` reports every refused row
with each of its problems.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from steerco.accounts.rules import check_project, visible_projects
from steerco.core.exceptions import DomainError, VersionConflict
from steerco.resources.models import Person

from .. import services
from ..kinds import LogKind, kind_for
from ..models import LogItem
from . import sheets, staging


@dataclass(frozen=True)
class Problem:
    column: str  # the column's header, or "" for a problem of the whole row
    message: str

    def __str__(self) -> str:
        return f"{self.column}: {self.message}" if self.column else self.message


@dataclass
class RowReport:
    """A refused row: its number as the spreadsheet shows it, what identifies it, and why."""

    number: int
    ref: str
    title: str
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ImportResult:
    created: list[LogItem] = field(default_factory=list)
    updated: list[LogItem] = field(default_factory=list)
    unchanged: list[LogItem] = field(default_factory=list)


class ImportRejected(services.RowErrors):
    """At least one row was refused, so nothing was saved; ``report`` lists those rows."""

    def __init__(self, report: list[RowReport]):
        rows: dict[int, dict[str, list[str]]] = {}
        for row in report:
            for problem in row.problems:
                rows.setdefault(row.number, {}).setdefault(problem.column or "__all__", []).append(
                    problem.message
                )
        super().__init__(rows)
        self.report = report


# A blank cell of a field that cannot be empty: required on update, default on create.
_REQUIRED = object()


def _blank_value(model_field: models.Field) -> Any:
    if isinstance(model_field, models.BooleanField):
        return False  # an empty tick box is "no"
    if model_field.null:
        return None
    if isinstance(model_field, models.CharField | models.TextField) and model_field.blank:
        return ""
    return _REQUIRED


def _required_on_create(model_field: models.Field) -> bool:
    return not (model_field.null or model_field.blank or model_field.has_default())


_REF = re.compile(r"^(?:([A-Z]+)\s*-\s*)?(\d+)$")


def _number_of(text: str, kind: LogKind) -> int:
    match = _REF.match(text.strip().upper())
    if match is None or (match[1] and match[1] != kind.prefix) or not 0 < int(match[2]) < 2**31:
        raise sheets.CellError(
            _("'%(value)s' is not a %(kind)s reference such as %(prefix)s-001.")
            % {"value": text, "kind": kind.label, "prefix": kind.prefix}
        )
    return int(match[2])


def _directory(actor, kind: LogKind) -> sheets.Directory:
    people = list(Person.objects.only("pk", "name", "email", "active"))
    refers_to_projects = any(
        kind.model._meta.get_field(name).is_relation
        and kind.model._meta.get_field(name).related_model._meta.label == "projects.Project"
        for name in kind.editable_fields
    )
    projects = list(visible_projects(actor).only("pk", "code")) if refers_to_projects else []
    return sheets.Directory(people=people, projects=projects)


@dataclass
class _ParsedRow:
    number: int | None = None  # the item's number when the row names a Ref
    version: int | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    blanks: set[str] = field(default_factory=set)  # fields left empty that cannot be empty
    cleared: set[str] = field(default_factory=set)  # fields left empty that may be empty
    problems: list[Problem] = field(default_factory=list)


def _parse(row: sheets.SheetRow, columns: dict[str, sheets.Column], kind, directory):
    parsed = _ParsedRow()
    ref = row.ref
    if ref:
        try:
            parsed.number = _number_of(ref, kind)
        except sheets.CellError as error:
            parsed.problems.append(Problem(columns["ref"].header, str(error)))
        raw_version = row.values.get("version")
        if sheets.is_blank(raw_version):
            parsed.problems.append(
                Problem(
                    columns["version"].header,
                    _(
                        "Give the version from the export, so that changes made since "
                        "are not overwritten."
                    ),
                )
            )
        else:
            try:
                parsed.version = sheets.parse_whole(raw_version)
            except sheets.CellError as error:
                parsed.problems.append(Problem(columns["version"].header, str(error)))
    for key, raw in row.values.items():
        column = columns[key]
        if not column.editable:
            continue  # computed and workflow columns of an export are for reading
        if sheets.is_blank(raw):
            value = _blank_value(column.model_field)
            if value is _REQUIRED:
                parsed.blanks.add(key)
            else:
                parsed.fields[key] = value
                parsed.cleared.add(key)
            continue
        try:
            parsed.fields[key] = sheets.parse_cell(column, raw, directory)
        except sheets.CellError as error:
            parsed.problems.append(Problem(column.header, str(error)))
    return parsed


def _header_of(name: str, kind: LogKind, columns: dict[str, sheets.Column]) -> str:
    if name in columns:
        return columns[name].header
    if name in {"__all__", ""}:
        return ""
    try:
        return str(kind.model._meta.get_field(name).verbose_name).capitalize()
    except Exception:
        return name


def _problems_of(error: Exception, kind, columns) -> list[Problem]:
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            return [
                Problem(_header_of(name, kind, columns), str(message))
                for name, messages in error.message_dict.items()
                for message in messages
            ]
        return [Problem("", str(message)) for message in error.messages]
    if isinstance(error, DomainError):
        if error.fields:
            return [
                Problem(_header_of(name, kind, columns), str(message))
                for name, messages in error.fields.items()
                for message in messages
            ]
        return [Problem("", error.message)]
    raise TypeError(error)


def _same(stored: Any, given: Any) -> bool:
    if isinstance(stored, str) and isinstance(given, str):
        # Browsers send CRLF, Excel keeps LF: the same text either way.
        return _plain(stored) == _plain(given)
    return stored == given


def _plain(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


def _changes(item: LogItem, fields: dict[str, Any]) -> dict[str, Any]:
    changes = {}
    for name, value in fields.items():
        model_field = item._meta.get_field(name)
        stored = getattr(item, model_field.attname)
        given = value.pk if model_field.is_relation and value is not None else value
        if not _same(stored, given):
            changes[name] = value
    return changes


def _stale(item: LogItem, sent: int) -> str:
    return _(
        "%(ref)s changed since export (the file has version %(sent)d, it is now at version "
        "%(now)d). Export again and reapply your changes to this row."
    ) % {"ref": item.ref, "sent": sent, "now": item.version}


def _check_ref(
    row: sheets.SheetRow,
    parsed: _ParsedRow,
    item: LogItem | None,
    kind: LogKind,
    columns: dict[str, sheets.Column],
    first_row_of: dict[int, int],
) -> list[Problem]:
    """Problems with the row's Ref and Version: repeated, unknown here, or stale."""
    header = columns["ref"].header
    if parsed.number in first_row_of:
        return [
            Problem(
                header,
                _("%(ref)s is also in row %(row)d; give each item one row only.")
                % {"ref": row.ref, "row": first_row_of[parsed.number]},
            )
        ]
    first_row_of[parsed.number] = row.number
    if item is None:
        return [
            Problem(
                header,
                _(
                    "There is no %(kind)s %(ref)s in this project; leave Ref empty to add a "
                    "new %(kind)s."
                )
                % {"kind": kind.label, "ref": row.ref},
            )
        ]
    if parsed.version is not None and parsed.version != item.version:
        return [Problem(columns["version"].header, _stale(item, parsed.version))]
    return []


def _workflow_problems(
    row: sheets.SheetRow, item: LogItem | None, kind: LogKind, columns
) -> list[Problem]:
    """An edited workflow column (a change request's status...) would be lost silently if
    ignored, so it is refused; an untouched or emptied one is fine."""
    problems = []
    for key, raw in row.values.items():
        column = columns[key]
        if column.editable or column.model_field is None or sheets.is_blank(raw):
            continue
        given = sheets.normal_header(sheets.clean_text(raw))
        if item is None or given != sheets.normal_header(sheets.shown_text(item, column)):
            problems.append(
                Problem(
                    column.header,
                    _(
                        "Set by the %(kind)s's workflow, not by import; leave the value as "
                        "exported, or empty."
                    )
                    % {"kind": kind.label},
                )
            )
    return problems


def _project_problems(row: sheets.SheetRow, project, columns) -> list[Problem]:
    """A row exported from another project would otherwise update our item of the same
    reference (every project has an R-001)."""
    raw = row.values.get("project")
    if sheets.is_blank(raw) or sheets.clean_text(raw).casefold() == project.code.casefold():
        return []
    return [
        Problem(
            columns["project"].header,
            _(
                "This row is from project %(other)s, not %(this)s: import it into "
                "%(other)s, or empty the Ref, Version and Project cells to add it here."
            )
            % {"other": sheets.clean_text(raw), "this": project.code},
        )
    ]


class _Discard(Exception):
    """Raised to roll back a row that was run through the services only to find its problems."""


def _save(*, actor, project, kind: LogKind, item: LogItem | None, parsed: _ParsedRow, run):
    """Write one row's item as ``run``'s: ("created" | "updated" | "unchanged", the new
    item, the changed item's hidden copy, or the item left as it is).

    Raises what the services raise (ValidationError, DomainError, VersionConflict).
    """
    if item is None:
        # Empty cells of a new item take the defaults of the pages (raised by the
        # importer, raised on today...).
        fields = {k: v for k, v in parsed.fields.items() if k not in parsed.cleared}
        return "created", services.item_create(
            actor=actor, project=project, kind=kind, staged=run, **fields
        )
    changes = _changes(item, parsed.fields)
    if not changes:
        return "unchanged", item
    return "updated", services.item_update(
        actor=actor, item=item, expected_version=parsed.version, staged=run, **changes
    )


def import_reason(filename: str) -> str:
    """What the history says of an import's changes."""
    if filename:
        return _("Imported from %(file)s") % {"file": filename}
    return _("Imported from a spreadsheet")


def log_import(
    *,
    actor,
    project,
    kind: LogKind | str,
    rows: Sequence[sheets.SheetRow],
    on_row: Callable[[int, int], None] | None = None,
    filename: str = "",
    job_id: int | None = None,
) -> ImportResult:
    """Create the rows without a Ref and update the rows whose Ref is an item of
    ``project``'s log: every row, or none.

    A row that updates must carry the Version it was exported at; if the item has been
    saved since, the row is refused rather than overwriting someone's change. Only the
    columns present in the file are changed, and an item whose values all equal the
    file's is left as it is (no new version). Raises ``ImportRejected`` listing every
    refused row when any row is refused: then nothing at all is saved.

    The rows go through ``services.item_create`` and ``item_update`` (so permissions and
    validation are exactly those of the pages and the API), ``staging.BATCH_ROWS`` per
    short transaction, written hidden as one ``LogImport``'s; when every row has passed,
    ``staging.import_switch`` shows them all in one short transaction, each change in the
    history as ``actor``'s, "Imported from <filename>". So other users' requests never
    wait for the whole file. ``on_row(done, total)`` is called for each row once its batch
    is written, for a job's progress.
    """
    kind = kind if isinstance(kind, LogKind) else kind_for(kind)
    check_project(actor, project, kind.change_permission)
    columns = {column.key: column for column in sheets.columns_for(kind)}
    directory = _directory(actor, kind)
    parsed_rows = [_parse(row, columns, kind, directory) for row in rows]
    run = staging.import_begin(
        actor=actor, project=project, kind=kind, filename=filename, job_id=job_id
    )
    try:
        written = _write(actor, project, kind, columns, rows, parsed_rows, run, on_row)
        try:
            staging.import_switch(run, actor=actor, reason=import_reason(filename))
        except staging.StaleRows as stale:
            raise ImportRejected(written.stale_report(stale, columns)) from None
    except BaseException as error:
        staging.import_discard(run, str(getattr(error, "message", "")) or type(error).__name__)
        raise
    staging.import_tidy(run)
    return written.result(kind)


@dataclass
class _Written:
    """What the rows of an import became before its switch, in the file's order."""

    outcomes: list[tuple[str, LogItem]] = field(default_factory=list)
    # The rows that change an item, by the item's key: what a refusal at the switch names.
    updates: dict[int, tuple[sheets.SheetRow, _ParsedRow, LogItem]] = field(default_factory=dict)

    def result(self, kind: LogKind) -> ImportResult:
        """The switched import's items as they now stand."""
        changed = kind.model.objects.in_bulk(list(self.updates))
        result = ImportResult()
        for outcome, saved in self.outcomes:
            if outcome == "created":
                saved.staged_import = None
            elif outcome == "updated":
                saved = changed[saved.shadow_of_id]
            getattr(result, outcome).append(saved)
        return result

    def stale_report(self, stale: staging.StaleRows, columns) -> list[RowReport]:
        report = []
        for key, current in stale.current.items():
            row, parsed, item = self.updates[key]
            message = _stale(current, parsed.version) if current is not None else _gone(item)
            problem = Problem(columns["version"].header, message)
            report.append(RowReport(row.number, row.ref, row.title or item.title, [problem]))
        return sorted(report, key=lambda row: row.number)


def _gone(item: LogItem) -> str:
    return _(
        "%(ref)s was deleted after the export. Leave its Ref, Version and Project cells "
        "empty to add it again, or remove the row."
    ) % {"ref": item.ref}


def _write(actor, project, kind, columns, rows, parsed_rows, run, on_row) -> _Written:
    """Check every row and write those that pass as ``run``'s, a batch per transaction;
    raises ImportRejected with every refused row's problems when any is refused.

    Once a row is refused nothing more is kept (the import will not switch), but every
    later row is still run through the services, so one round of fixes is enough.
    """
    order = list(columns)
    required_on_create = {
        name
        for name in kind.editable_fields
        if _required_on_create(kind.model._meta.get_field(name))
    }
    written = _Written()
    report: list[RowReport] = []
    first_row_of: dict[int, int] = {}
    for start in range(0, len(rows), staging.BATCH_ROWS):
        end = start + staging.BATCH_ROWS
        pairs = list(zip(rows[start:end], parsed_rows[start:end], strict=True))
        with staging.batch():
            # Read in the batch's transaction: the items as they are when their rows are.
            numbers = {parsed.number for _row, parsed in pairs if parsed.number is not None}
            existing = {
                item.number: item
                for item in kind.model.objects.filter(project=project, number__in=numbers)
            }
            for row, parsed in pairs:
                item = existing.get(parsed.number) if parsed.number is not None else None
                problems = list(parsed.problems)
                # An empty cell means "none" on an update and "the default" on a creation.
                missing = parsed.blanks if row.ref else required_on_create - set(parsed.fields)
                for name in sorted(missing, key=order.index):
                    problems.append(Problem(columns[name].header, _("A value is required.")))
                # Which item the row is about must be certain before anything is tried on it.
                identity = _project_problems(row, project, columns)
                if parsed.number is not None:
                    identity += _check_ref(row, parsed, item, kind, columns, first_row_of)
                problems += identity
                if not identity and not (row.ref and item is None):
                    problems += _workflow_problems(row, item, kind, columns)
                    # Run even a faulty row through the services, then roll it back, so
                    # the report lists the rules it breaks too.
                    problems += _attempt(
                        actor,
                        project,
                        kind,
                        row,
                        item,
                        parsed,
                        columns,
                        problems,
                        run,
                        written=None if report else written,
                    )
                if problems:
                    title = row.title or (item.title if item is not None else "")
                    report.append(RowReport(row.number, row.ref, title, problems))
        if on_row is not None:
            for done in range(start + 1, start + len(pairs) + 1):
                on_row(done, len(rows))
    if report:
        raise ImportRejected(report)
    return written


def _attempt(actor, project, kind, row, item, parsed, columns, known, run, *, written):
    """Write the row as ``run``'s in a savepoint, kept (and noted in ``written``) only when
    the row had no problem yet and ``written`` is given (no earlier row was refused).

    Returns the services' problems, leaving out columns already reported (a cell that
    could not be read is also missing to the services).
    """
    reported = {problem.column for problem in known}
    try:
        with transaction.atomic():
            outcome, saved = _save(
                actor=actor, project=project, kind=kind, item=item, parsed=parsed, run=run
            )
            if known or written is None:
                raise _Discard
    except _Discard:
        return []
    except VersionConflict as conflict:
        stale = _stale(conflict.current or item, parsed.version)
        return [Problem(columns["version"].header, stale)]
    except (ValidationError, DomainError) as error:
        return [p for p in _problems_of(error, kind, columns) if p.column not in reported]
    written.outcomes.append((outcome, saved))
    if outcome == "updated":
        written.updates[item.pk] = (row, parsed, item)
    return []


def import_report(
    *, result: ImportResult | None = None, rejected: ImportRejected | None = None
) -> dict[str, Any]:
    """The outcome of an import as plain data: what a background import keeps as its
    result, shaped so the import page shows it as it shows an import it ran itself."""

    def items(saved: list[LogItem]) -> list[dict[str, Any]]:
        return [{"pk": item.pk, "ref": item.ref, "title": item.title} for item in saved]

    if rejected is not None:
        return {
            "rejected": {
                "report": [
                    {
                        "number": row.number,
                        "ref": row.ref,
                        "title": row.title,
                        "problems": [
                            {"column": problem.column, "message": problem.message}
                            for problem in row.problems
                        ],
                    }
                    for row in rejected.report
                ]
            }
        }
    result = result or ImportResult()
    return {
        "result": {
            "created": items(result.created),
            "updated": items(result.updated),
            "unchanged": items(result.unchanged),
        }
    }
