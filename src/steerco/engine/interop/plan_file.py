"""A plan file whose format is told by its content: Microsoft Project XML or SteerCo's JSON plan."""

from __future__ import annotations

from dataclasses import dataclass, field

from steerco.engine.interop.mspdi import PlanFileError, read_mspdi
from steerco.engine.scheduling import Plan

_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class PlanFile:
    """The plan read from a file, and notes a reader of the result should see."""

    plan: Plan
    notes: list[str] = field(default_factory=list)


def read_plan_file(data: bytes) -> PlanFile:
    """Read ``data`` as MSPDI (it starts with ``<``) or a JSON plan (it starts with ``{``).

    Raises PlanFileError for anything else and for a file its reader refuses; a JSON plan
    that is not UTF-8 raises UnicodeDecodeError.
    """
    head = data.lstrip()[:1]
    if head == b"<" or data.startswith(_UTF8_BOM + b"<"):
        project = read_mspdi(data)
        notes = []
        if not project.schedule_from_start:
            notes.append(
                "the file schedules from its finish date; "
                "SteerCo schedules forward from the start date."
            )
        return PlanFile(project.plan, notes)
    if head in (b"{", _UTF8_BOM[:1]):
        # Imported here: the JSON plan reader brings its schema, which reading MSPDI (and
        # `steerco schedule` on an MSPDI file) does without.
        from steerco.engine.interop.plan_json import read_plan_json

        return PlanFile(read_plan_json(data.decode("utf-8-sig")))
    raise PlanFileError("The file is neither Microsoft Project XML nor a SteerCo JSON plan.")
