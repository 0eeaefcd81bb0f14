"""How pages write dates, times and percentages: one way everywhere.

"05 Jan 2026" for a day, "05 Jan 2026 14:05" for a moment (in the current time zone when
the moment is aware), "58%" for a percentage. The ``ui`` template filters (``day``,
``moment``, ``percent``) and Python code that builds page text both call these, so a
date reads the same on every page. The API answers ISO dates; files keep real dates.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import ngettext

NOTHING = "—"
DAY_FORMAT = "d M Y"
MOMENT_FORMAT = "d M Y H:i"


def day_text(value: dt.date | dt.datetime | None) -> str:
    """ "05 Jan 2026"; a datetime gives its (local) day; None gives a dash."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, DAY_FORMAT)


def moment_text(value: dt.datetime | dt.date | None) -> str:
    """ "05 Jan 2026 14:05" in the current time zone; a plain date gives its day only."""
    if value is None or value == "":
        return NOTHING
    if not isinstance(value, dt.datetime):
        return day_text(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, MOMENT_FORMAT)


def percent_text(value: float | Decimal | int | None) -> str:
    """A percentage as a whole number with its sign: "58%"; None gives a dash."""
    if value is None or value == "":
        return NOTHING
    return f"{whole_percent(value)}%"


def whole_percent(value: float | Decimal | int) -> int:
    """A percentage rounded to a whole number, halves up (57.5 → 58), as people round."""
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def working_days_text(days: int) -> str:
    """ "1 working day", "10 working days" (of a count that is never negative)."""
    return ngettext("%(n)d working day", "%(n)d working days", days) % {"n": days}
