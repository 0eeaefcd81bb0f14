"""How plan pages write dates, durations and percentages: "05 Jan 2026", "2.5d", "+1d",
"late by 2 d", and in the plan grid "10 d" and "58%".

Pages only: the API answers ISO dates and minutes.
"""

from __future__ import annotations

import datetime as dt
import math

from django.utils.translation import gettext as _

from steerco.engine.interop.tasklist import format_duration

#: The letters of format_duration's units (d, h, m, and e for elapsed ones).
_UNIT_LETTERS = "dehm"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_text(moment: dt.date | None) -> str:
    if moment is None:
        return "—"
    return f"{moment.day:02d} {_MONTHS[moment.month - 1]} {moment.year}"


def days_text(minutes: int | None, minutes_per_day: int, *, spaced: bool = False) -> str:
    """Working days to two decimals: "2.5d", or "2.5 d" when ``spaced`` (the plan grid)."""
    if minutes is None:
        return "—"
    value = minutes / (minutes_per_day or 480)
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{'0' if text == '-0' else text}{' d' if spaced else 'd'}"


def signed_days_text(minutes: int, per_day: int) -> str:
    text = days_text(minutes, per_day)
    return f"+{text}" if minutes > 0 else text


def percent_text(value) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def whole_percent_text(value) -> str:
    """A percentage as the grid shows it, in whole percent: "58%" for 57.86.

    Rounded half up, except that a task started but not finished never reads "0%" or
    "100%": 0.4 is "1%" and 99.6 is "99%", so the figure never claims work done or not
    started that is not. (Plain float arithmetic: stored values have two decimals, and
    halves are exact in binary.)
    """
    exact = float(value)
    whole = math.floor(exact + 0.5)
    if 0 < exact < 100:
        whole = min(max(whole, 1), 99)
    return f"{whole}%"


def duration_text(minutes: int, *, elapsed: bool = False, minutes_per_day: int = 480) -> str:
    """A duration as the grid shows it: "10 d", "2.5 d", "4 h", "45 m", "3 ed".

    Microsoft Project's notation with a space before the unit; the grid's Duration cell reads
    it back to exactly ``minutes``.
    """
    notation = format_duration(minutes, elapsed=elapsed, minutes_per_day=minutes_per_day or 480)
    number = notation.rstrip(_UNIT_LETTERS)
    return f"{number} {notation[len(number) :]}"


def verdict_text(minutes: int, per_day: int) -> str:
    """A finish variance in words: "late by 2 d", "early by 0.5 d", "on time"."""
    if minutes > 0:
        return _("late by %(d)s") % {"d": days_text(minutes, per_day).replace("d", " d")}
    if minutes < 0:
        return _("early by %(d)s") % {"d": days_text(-minutes, per_day).replace("d", " d")}
    return _("on time")
