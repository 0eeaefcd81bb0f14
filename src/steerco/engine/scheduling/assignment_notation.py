"""Microsoft Project's Resource Names notation: ``Priya[50%], Tom``.

Each entry of the list is a resource's name, optionally followed by its assignment units
in square brackets. As in Project with units shown as percentages (its default), the
units are a percentage, the ``%`` sign may be left out (``Tom[50]`` is 50 %), and an entry
without brackets is assigned at 100 %. Entries are separated by the list separator, a
comma; a name may contain spaces but no comma or bracket. Spaces around names, units and
separators are ignored, and empty entries (a trailing comma) are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

#: The most units one assignment may carry, in percent (Project refuses more than this).
MAX_PERCENT = Decimal(10000)

#: Units are kept to thousandths of a full-time resource (0.1 %), as stored.
UNITS_STEP = Decimal("0.001")

_ENTRY = re.compile(r"^(?P<name>[^\[\]]*?)\s*(?:\[(?P<units>[^\[\]]*)\])?$")


class AssignmentNotationError(ValueError):
    """A Resource Names list is not written in Project's notation; the message names the
    entry at fault."""


@dataclass(frozen=True, slots=True)
class ResourceEntry:
    """One resource of the list: its ``name`` as typed (trimmed) and its ``units``, the
    share of its working time it gives the task (1 = 100 %)."""

    name: str
    units: Decimal = Decimal(1)

    @property
    def percent(self) -> Decimal:
        return self.units * 100


def _parse_units(entry: str, text: str) -> Decimal:
    number = text.strip().removesuffix("%").strip()
    try:
        percent = Decimal(number)
    except InvalidOperation:
        raise AssignmentNotationError(
            f"'{entry}': the units in brackets must be a percentage, such as [50%]."
        ) from None
    if not percent.is_finite():
        raise AssignmentNotationError(
            f"'{entry}': the units in brackets must be a percentage, such as [50%]."
        )
    if percent < 0:
        raise AssignmentNotationError(f"'{entry}': units cannot be negative.")
    if percent > MAX_PERCENT:
        raise AssignmentNotationError(f"'{entry}': units cannot be more than {MAX_PERCENT}%.")
    return (percent / 100).quantize(UNITS_STEP, rounding=ROUND_HALF_UP)


def parse_resources(text: str) -> list[ResourceEntry]:
    """The entries of a Resource Names list, in the order typed; "" is no resources.

    Raises AssignmentNotationError naming the entry at fault: units that are not a
    percentage, negative or above 10,000 %; brackets with no name before them; text after
    the brackets; the same name twice (names compare without regard to case).
    """
    entries: list[ResourceEntry] = []
    seen: dict[str, str] = {}
    for raw in (text or "").split(","):
        entry = raw.strip()
        if not entry:
            continue
        match = _ENTRY.match(entry)
        if match is None:
            raise AssignmentNotationError(
                f"'{entry}': write a name, then the units in brackets, such as Priya[50%]."
            )
        name = " ".join(match["name"].split())
        if not name:
            raise AssignmentNotationError(f"'{entry}': the units need a resource name before them.")
        units = Decimal(1) if match["units"] is None else _parse_units(entry, match["units"])
        key = name.casefold()
        if key in seen:
            raise AssignmentNotationError(
                f"'{name}' is in the list twice; give each resource once, with its units."
            )
        seen[key] = name
        entries.append(ResourceEntry(name=name, units=units))
    return entries


def format_percent(units: Decimal) -> str:
    """``units`` as Project shows them: ``50%``, ``33.3%``, ``150%``."""
    percent = (Decimal(units) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    # Quantized to one decimal, so there is always a point to strip back to.
    return f"{percent:f}".rstrip("0").rstrip(".") + "%"


def format_resources(entries: list[ResourceEntry] | list[tuple[str, Decimal]]) -> str:
    """The Resource Names text of ``entries``: full-time resources by name alone, the
    others with their units (``Priya[50%], Tom``), in the order given."""
    parts = []
    for entry in entries:
        name, units = (entry.name, entry.units) if isinstance(entry, ResourceEntry) else entry
        if Decimal(units) == 1:
            parts.append(name)
        else:
            parts.append(f"{name}[{format_percent(units)}]")
    return ", ".join(parts)
