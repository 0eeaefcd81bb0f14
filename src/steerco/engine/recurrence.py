"""Recurring bookings: the occurrences of an RFC 5545 RRULE, in a place's wall-clock time.

Pure Python (python-dateutil and zoneinfo): the bookings app hands in the rule, the first
occurrence and the time zone, and gets back aware UTC datetimes. The rule is expanded on
the wall clock of ``zone`` and each local time is then placed in that zone, so a weekly
meeting at 09:30 stays at 09:30 local time on both sides of a change of summer time, as
calendar applications expand the same rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr

UTC = dt.UTC
# Sub-daily rules (every hour, every minute) are not bookings anyone makes, and they would
# make thousands of occurrences in a horizon.
ALLOWED_FREQUENCIES = {DAILY: "DAILY", WEEKLY: "WEEKLY", MONTHLY: "MONTHLY", YEARLY: "YEARLY"}


class RecurrenceError(ValueError):
    """A rule that cannot be used, with a message a person can act on."""


@dataclass(frozen=True)
class Occurrence:
    start: dt.datetime  # aware, UTC
    end: dt.datetime  # aware, UTC


def normalise_rule(text: str) -> str:
    """The rule without an ``RRULE:`` prefix or surrounding blanks, upper case."""
    rule = (text or "").strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    return rule.strip().upper()


def parse_rule(text: str, *, first_local: dt.datetime) -> rrule:
    """The dateutil rule for ``text`` starting at ``first_local`` (aware, in the zone whose
    wall clock the rule follows: Python's arithmetic on one zone's datetimes keeps the
    wall-clock time, which is what RFC 5545 asks of a rule with a local DTSTART).

    Raises RecurrenceError for text that is no RRULE, a sub-daily frequency, or a DTSTART
    inside the rule (the booking's own start is the series' start).
    """
    rule = normalise_rule(text)
    if not rule:
        raise RecurrenceError("The recurrence rule is empty.")
    if "\n" in rule or "DTSTART" in rule or "RRULE:" in rule:
        raise RecurrenceError("Give one RRULE, such as FREQ=WEEKLY;BYDAY=TU, without DTSTART.")
    if "FREQ=" not in rule:
        raise RecurrenceError("The recurrence rule needs a FREQ, such as FREQ=WEEKLY.")
    try:
        parsed = rrulestr(rule, dtstart=first_local)
    except ValueError as error:
        if "UNTIL" in str(error):
            raise RecurrenceError(
                "Give UNTIL in UTC, ending in Z: UNTIL=20261231T235959Z."
            ) from None
        raise RecurrenceError(
            f"The recurrence rule '{rule}' is not valid RFC 5545: {error}."
        ) from None
    except (TypeError, KeyError, IndexError) as error:
        raise RecurrenceError(
            f"The recurrence rule '{rule}' is not valid RFC 5545: {error}."
        ) from None
    if not isinstance(parsed, rrule):
        raise RecurrenceError("Give one RRULE, not a set of rules.")
    if parsed._freq not in ALLOWED_FREQUENCIES:
        raise RecurrenceError("Bookings repeat daily, weekly, monthly or yearly, not more often.")
    return parsed


def expand(
    text: str,
    *,
    first_start: dt.datetime,
    first_end: dt.datetime,
    zone: str,
    until: dt.datetime,
    limit: int,
) -> list[Occurrence]:
    """The occurrences of rule ``text`` whose start is before ``until`` (aware).

    ``first_start``/``first_end`` are the first occurrence (aware). Raises RecurrenceError
    when the rule gives more than ``limit`` occurrences before ``until`` or none at all.
    A wall-clock time that does not exist on a day (inside the spring-forward gap) is
    taken as the same instant as the clock would show just after the gap.
    """
    tz = ZoneInfo(zone)
    local_start = first_start.astimezone(tz)
    duration = first_end - first_start
    rule = parse_rule(text, first_local=local_start)
    occurrences: list[Occurrence] = []
    for local in rule:
        if local >= until:
            break
        if len(occurrences) == limit:
            raise RecurrenceError(
                f"The rule gives more than {limit} occurrences within the booking horizon; "
                "book fewer (add COUNT or UNTIL) or less often."
            )
        start = local.astimezone(UTC)
        occurrences.append(Occurrence(start=start, end=start + duration))
    if not occurrences:
        raise RecurrenceError("The rule gives no occurrence within the booking horizon.")
    return occurrences
