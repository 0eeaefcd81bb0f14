"""The shape of a SteerCo JSON plan, checked before anything reads it.

:func:`load_plan_document` turns the text of a JSON plan into Python data only once the
text is known to be harmless, and refuses it with a :class:`PlanFileError` naming the task,
link or calendar and the field otherwise:

1. **Depth** (:func:`check_depth`): a scan of the raw text, without recursion, refuses
   lists and objects nested deeper than :data:`MAX_DEPTH`. ``json.loads`` recurses once per
   level, so a plan nested 200,000 deep would otherwise end in a ``RecursionError``.
2. **Parsing**, refusing ``NaN`` and ``Infinity`` (Python reads them; JSON has neither).
3. **Schema** (:func:`check_plan_document`): every field the reader uses has the right type,
   and text its length and numbers their range as the database stores them, so a task whose
   name is a number is refused here rather than failing where the plan is saved.

:data:`PLAN_SCHEMA` is that schema as JSON Schema (2020-12, as OpenAPI 3.1 uses it), so an
API can publish it as the request body it accepts; the checker interprets the keywords the
schema uses (``type``, ``properties``, ``required``, ``items``, ``prefixItems``,
``minItems``, ``maxItems``, ``maxLength``, ``pattern``, ``enum``, ``minimum``, ``maximum``)
and no others. It is written here rather than taken from a library: the engine depends on
nothing but the standard library and numpy, the messages must name a task by its position
and uid as a planner reads them, and a dozen keywords are all a plan needs.

Fields the reader does not use are allowed and ignored, as before.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from steerco.engine.interop.mspdi import PlanFileError

#: Lists and objects nested deeper than this are refused before parsing. A plan nests six
#: deep (a calendar's working times inside its week inside the list of calendars).
MAX_DEPTH = 32
#: Problems collected before the check stops (the refusal names the first and counts them).
MAX_PROBLEMS = 1000

#: Durations and lags beyond a century of working minutes are typing mistakes, not plans.
MAX_MINUTES = 100 * 366 * 1440
#: Task uids are stored as the database's positive 32-bit integers.
MAX_UID = 2**31 - 1

FORMAT_NAME = "steerco-plan"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_TEXT = {"type": "string"}
_DATE_TIME = {
    "type": ["string", "null"],
    "maxLength": 40,
    "description": "An ISO 8601 local date and time, e.g. 2027-01-04T08:00:00.",
}
_DATE = {"type": "string", "maxLength": 40, "description": "An ISO 8601 date, e.g. 2027-01-04."}
_TIME = {"type": "string", "pattern": r"^\d{1,2}:\d{2}(:\d{2})?$", "examples": ["08:00"]}
_INTERVALS = {
    "type": "array",
    "description": "Working times of a day: [start, finish] pairs, e.g. [['08:00', '12:00']].",
    "items": {"type": "array", "prefixItems": [_TIME, _TIME], "minItems": 2, "maxItems": 2},
}
_WEEK = {
    "type": "object",
    "properties": {day: _INTERVALS for day in DAYS},
}
_UID = {"type": "integer", "minimum": 0, "maximum": MAX_UID}
_FLAG = {"type": "boolean"}
_CALENDAR = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "maxLength": 100},
        "base": {"type": ["string", "null"], "maxLength": 100},
        "country": {"type": ["string", "null"], "maxLength": 8},
        "subdivision": {"type": ["string", "null"], "maxLength": 16},
        "week": _WEEK,
        "exceptions": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "start": _DATE,
                    "finish": _DATE,
                    "intervals": _INTERVALS,
                    "recurring_yearly": _FLAG,
                    "name": {"type": "string", "maxLength": 100},
                },
                "required": ["start"],
            },
        },
        "work_weeks": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "start": _DATE,
                    "finish": _DATE,
                    "week": _WEEK,
                    "name": {"type": "string", "maxLength": 100},
                },
                "required": ["start", "finish"],
            },
        },
    },
}
_TASK = {
    "type": "object",
    "properties": {
        "uid": _UID,
        "name": {"type": "string", "maxLength": 255},
        "wbs": {"type": "string", "maxLength": 50},
        "parent_uid": {"type": ["integer", "null"], "minimum": 0, "maximum": MAX_UID},
        "summary": _FLAG,
        "milestone": _FLAG,
        "manual": _FLAG,
        "elapsed": _FLAG,
        "duration_minutes": {"type": "number", "minimum": 0, "maximum": MAX_MINUTES},
        "remaining_duration_minutes": {
            "type": ["number", "null"],
            "minimum": 0,
            "maximum": MAX_MINUTES,
        },
        "start": _DATE_TIME,
        "finish": _DATE_TIME,
        "constraint": {
            "type": "string",
            "enum": ["ASAP", "ALAP", "MSO", "MFO", "SNET", "SNLT", "FNET", "FNLT"],
        },
        "constraint_date": _DATE_TIME,
        "deadline": _DATE_TIME,
        "calendar": {"type": ["string", "null"], "maxLength": 100},
        "percent_complete": {"type": "number", "minimum": 0, "maximum": 100},
        "actual_start": _DATE_TIME,
        "actual_finish": _DATE_TIME,
    },
    "required": ["uid"],
}
_LINK = {
    "type": "object",
    "properties": {
        "predecessor": _UID,
        "successor": _UID,
        "type": {"type": "string", "enum": ["FS", "SS", "FF", "SF"]},
        "lag_minutes": {"type": "number", "minimum": -MAX_MINUTES, "maximum": MAX_MINUTES},
        "lag_percent": {"type": ["number", "null"]},
        "lag_elapsed": _FLAG,
    },
    "required": ["predecessor", "successor"],
}

#: A SteerCo JSON plan, as JSON Schema.
PLAN_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "SteerCo JSON plan",
    "type": "object",
    "properties": {
        "format": {"type": "string", "enum": [FORMAT_NAME]},
        "version": {"type": "integer", "minimum": 1},
        "name": {"type": "string", "maxLength": 255},
        "start": {**_DATE_TIME, "type": "string"},
        "status_date": _DATE_TIME,
        "minutes_per_day": {"type": "integer", "minimum": 1, "maximum": 1440},
        "honor_constraints": _FLAG,
        "calendars": {"type": "array", "items": {**_CALENDAR, "required": ["name"]}},
        "calendar": {**_CALENDAR, "type": ["object", "string"], "maxLength": 100},
        "tasks": {"type": "array", "items": _TASK},
        "links": {"type": "array", "items": _LINK},
    },
    "required": ["format", "start"],
}


# --------------------------------------------------------------------------- depth
#: Every byte but the brackets and quotes, which are all that nesting depends on.
_NOT_STRUCTURE = bytes(byte for byte in range(256) if byte not in b'[]{}"')
#: +1 for an opening bracket, -1 for a closing one, 0 for anything else.
_STEP = np.zeros(256, dtype=np.int8)
_STEP[list(b"[{")] = 1
_STEP[list(b"]}")] = -1
#: Bytes scanned at a time, so a file of brackets is refused after its first chunk.
_CHUNK = 1 << 20


def check_depth(text: str | bytes, *, limit: int = MAX_DEPTH) -> None:
    r"""Refuse ``text`` whose lists and objects nest deeper than ``limit``, without parsing
    it and without recursion (numpy sums the brackets, a megabyte at a time).

    Brackets inside strings do not count. Escapes are removed first, escaped backslashes
    before escaped quotes (so in ``\\"`` the quote still ends the string); the quotes left
    then alternate between opening and closing strings. Text that is not JSON may be judged
    differently from the parser past its first error, which is harmless: the parser stops
    there, never deeper than this scan saw.
    """
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else bytes(text)
    if b"\\" in data:
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    structure = data.translate(None, _NOT_STRUCTURE)
    depth = quotes = 0
    for start in range(0, len(structure), _CHUNK):
        count = min(_CHUNK, len(structure) - start)
        chunk = np.frombuffer(structure, np.uint8, count=count, offset=start)
        is_quote = chunk == ord('"')
        outside = (np.cumsum(is_quote, dtype=np.int64) + quotes) % 2 == 0
        levels = np.cumsum(np.where(outside, _STEP[chunk], 0), dtype=np.int64) + depth
        if levels.max() > limit:
            raise PlanFileError(
                f"The file nests lists and objects more than {limit} levels deep; "
                "a SteerCo plan nests at most 6."
            )
        depth = int(levels[-1])
        quotes += int(is_quote.sum())


def _refuse_constant(name: str) -> float:
    raise PlanFileError(f"The file holds {name}, which is not a number in JSON.")


def load_plan_document(text: str | bytes) -> dict[str, Any]:
    """The JSON plan in ``text`` as Python data, once its depth and schema are checked.

    Raises :class:`PlanFileError` for text that is not JSON, nests too deep, is not a
    SteerCo plan or has a field of the wrong type, length or range (see :data:`PLAN_SCHEMA`).
    """
    try:
        if isinstance(text, bytes | bytearray):
            text = bytes(text).decode(json.detect_encoding(text))
        check_depth(text)
        data = json.loads(text, parse_constant=_refuse_constant)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise PlanFileError(f"The file is not valid JSON: {error}") from error
    except RecursionError as error:  # not expected after check_depth; never a server error
        raise PlanFileError("The file nests lists and objects too deep.") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise PlanFileError(
            f'This JSON is not a SteerCo plan (expected "format": "{FORMAT_NAME}").'
        )
    check_plan_document(data)
    return data


# --------------------------------------------------------------------------- schema
#: Where a problem is (keys and list positions from the top) and what it is.
Problem = tuple[tuple[Any, ...], str]
#: Checks one value, found under ``key`` in the container at path ``parent`` (``key`` is
#: None for the top), appending its problems to a list. The value's own path is built only
#: for a problem or a container: a plan of 40,000 tasks has most of a million fields.
Check = Callable[[Any, tuple[Any, ...], Any, list[Problem]], None]


def _path(parent: tuple[Any, ...], key: Any) -> tuple[Any, ...]:
    return parent if key is None else (*parent, key)


def check_plan_document(data: Any) -> None:
    """Refuse ``data`` (parsed JSON) that does not match :data:`PLAN_SCHEMA`: the message
    names the first problem's task, link or calendar and field, and counts the others."""
    problems: list[Problem] = []
    _PLAN_CHECK(data, (), None, problems)
    if not problems:
        return
    path, message = problems[0]
    text = f"{_where(data, path)}{message}"
    others = len(problems) - 1
    if len(problems) > MAX_PROBLEMS:
        text += f" (at least {others:,} more problems after this one)"
    elif others:
        text += f" ({others:,} more problem{'s' if others > 1 else ''} after this one)"
    raise PlanFileError(text)


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
    "array": "a list",
    "object": "an object",
}
#: The Python types json.loads gives each JSON Schema type (floats are judged apart).
_PYTHON_TYPES = {
    "string": {str},
    "integer": {int},
    "number": {int},
    "boolean": {bool},
    "null": {type(None)},
    "array": {list},
    "object": {dict},
}


def _is_type(value: Any, kind: str) -> bool:
    if type(value) in _PYTHON_TYPES[kind]:
        return True
    if type(value) is float and kind in ("integer", "number") and math.isfinite(value):
        return kind == "number" or value.is_integer()  # JSON Schema counts 3.0 as an integer
    return False


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _compile(schema: dict[str, Any]) -> Check:
    """A function checking values against ``schema``, built once, doing only what its
    schema asks. Recursion follows the schema, never the data, so it is as deep as the
    schema is, whatever the file holds."""
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else list(kinds or [])
    exact = frozenset().union(*(_PYTHON_TYPES[kind] for kind in kinds)) if kinds else None
    expected = " or ".join(_TYPE_WORDS[kind] for kind in kinds)
    parts = [
        part
        for part in (
            _text_check(schema),
            _number_check(schema),
            _list_check(schema),
            _object_check(schema),
        )
        if part is not None
    ]

    def check(value: Any, parent: tuple[Any, ...], key: Any, problems: list[Problem]) -> None:
        # The exact type decides the common case; floats (3.0 may be an integer) go on.
        if (
            exact is not None
            and type(value) not in exact
            and not any(_is_type(value, kind) for kind in kinds)
        ):
            problems.append((_path(parent, key), f"should be {expected}, not {_shown(value)}."))
            return
        for part in parts:
            part(value, parent, key, problems)

    return check


def _text_check(schema: dict[str, Any]) -> Check | None:
    choices, longest, pattern = schema.get("enum"), schema.get("maxLength"), schema.get("pattern")
    if choices is None and longest is None and pattern is None:
        return None
    matcher = re.compile(pattern) if pattern else None
    example = schema.get("examples", ["?"])[0]
    listed = ", ".join(str(choice) for choice in choices or ())

    def check(value: Any, parent: tuple[Any, ...], key: Any, problems: list[Problem]) -> None:
        if type(value) is not str:
            return
        if choices is not None and value not in choices:
            message = f"should be one of {listed}, not {_shown(value)}."
        elif longest is not None and len(value) > longest:
            message = f"is {len(value):,} characters long; at most {longest:,} are allowed."
        elif matcher is not None and not matcher.search(value):
            message = f"should look like {example}, not {_shown(value)}."
        else:
            return
        problems.append((_path(parent, key), message))

    return check


def _number_check(schema: dict[str, Any]) -> Check | None:
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is None and high is None:
        return None
    if low is not None and high is not None:
        bounds = f"between {low:,} and {high:,}"
    else:
        bounds = f"at least {low:,}" if low is not None else f"at most {high:,}"

    def check(value: Any, parent: tuple[Any, ...], key: Any, problems: list[Problem]) -> None:
        if type(value) not in (int, float):
            return
        if (low is not None and value < low) or (high is not None and value > high):
            problems.append((_path(parent, key), f"is {_shown(value)}; it should be {bounds}."))

    return check


def _list_check(schema: dict[str, Any]) -> Check | None:
    if "items" not in schema and "prefixItems" not in schema:
        return None
    fewest, most = schema.get("minItems"), schema.get("maxItems")
    count = f"{fewest}" if fewest == most else f"{fewest} to {most}"
    leading = [_compile(item) for item in schema.get("prefixItems", [])]
    rest = _compile(schema["items"]) if "items" in schema else None

    def check(value: Any, parent: tuple[Any, ...], key: Any, problems: list[Problem]) -> None:
        if type(value) is not list:
            return
        here = _path(parent, key)
        if (fewest is not None and len(value) < fewest) or (most is not None and len(value) > most):
            problems.append((here, f"should hold {count} items, not {len(value):,}."))
            return
        for index, item in enumerate(value):
            item_check = leading[index] if index < len(leading) else rest
            if item_check is not None:
                item_check(item, here, index, problems)
            if len(problems) > MAX_PROBLEMS:
                return

    return check


#: The Python types each kind of constraint looks at; a value of another type passes them.
_CONSTRAINED_TYPES = (
    (("enum", "maxLength", "pattern"), {str}),
    (("minimum", "maximum"), {int, float}),
    (("items", "prefixItems", "minItems", "maxItems"), {list}),
    (("properties", "required"), {dict}),
)


def _unconstrained_types(schema: dict[str, Any]) -> frozenset[type]:
    """Types a value may have that settle the check at once (a null date, a flag): the
    object check skips calling the field's check for them, most of a plan's fields."""
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else list(kinds or [])
    allowed = set().union(*(_PYTHON_TYPES[kind] for kind in kinds))
    for keywords, types in _CONSTRAINED_TYPES:
        if any(keyword in schema for keyword in keywords):
            allowed -= types
    return frozenset(allowed)


def _object_check(schema: dict[str, Any]) -> Check | None:
    required = schema.get("required", ())
    fields = [
        (name, _unconstrained_types(field), _compile(field))
        for name, field in schema.get("properties", {}).items()
    ]
    if not required and not fields:
        return None

    def check(value: Any, parent: tuple[Any, ...], key: Any, problems: list[Problem]) -> None:
        if type(value) is not dict:
            return
        here = _path(parent, key)
        for name in required:
            if name not in value:
                problems.append((here, f"has no '{name}'."))
        for name, settled, field_check in fields:
            if name in value and type(value[name]) not in settled:
                field_check(value[name], here, name, problems)

    return check


_PLAN_CHECK = _compile(PLAN_SCHEMA)


# --------------------------------------------------------------------------- messages
def _where(data: dict[str, Any], path: tuple[Any, ...]) -> str:
    """``Task 3 (uid 17): 'name' `` for a path into the plan, as a planner reads it."""
    head, rest = path[:1], path[1:]
    if head in (("tasks",), ("links",), ("calendars",)) and rest and isinstance(rest[0], int):
        index, rest = rest[0], rest[1:]
        item = data[head[0]][index]
        subject = _subject(head[0], index, item)
    elif head == ("calendar",) and rest:
        subject = "The plan's calendar"
    else:
        subject, rest = "The plan", path
    if not rest:
        return f"{subject} "
    field = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in rest)
    return f"{subject}: '{field.lstrip('.')}' "


def _subject(section: str, index: int, item: Any) -> str:
    number = index + 1
    if not isinstance(item, dict):
        return {"tasks": "Task", "links": "Link", "calendars": "Calendar"}[section] + f" {number}"
    if section == "tasks":
        uid = item.get("uid")
        return f"Task {number} (uid {uid})" if _is_type(uid, "integer") else f"Task {number}"
    if section == "links":
        ends = item.get("predecessor"), item.get("successor")
        if all(_is_type(end, "integer") for end in ends):
            return f"Link {number} (from task {ends[0]} to task {ends[1]})"
        return f"Link {number}"
    name = item.get("name")
    if isinstance(name, str) and len(name) <= 100:
        return f"Calendar {number} ('{name}')"
    return f"Calendar {number}"
