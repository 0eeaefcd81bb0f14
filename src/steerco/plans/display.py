"""How plan pages write dates and durations: "05 Jan 2026", "2.5d", "+1d", "late by 2 d".

Pages only: the API answers ISO dates and minutes.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_text(moment: dt.date | None) -> str:
    if moment is None:
        return "—"
    return f"{moment.day:02d} {_MONTHS[moment.month - 1]} {moment.year}"


def days_text(minutes: int | None, minutes_per_day: int) -> str:
    if minutes is None:
        return "—"
    value = minutes / (minutes_per_day or 480)
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{'0' if text == '-0' else text}d"


def signed_days_text(minutes: int, per_day: int) -> str:
    text = days_text(minutes, per_day)
    return f"+{text}" if minutes > 0 else text


def percent_text(value) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def verdict_text(minutes: int, per_day: int) -> str:
    """A finish variance in words: "late by 2 d", "early by 0.5 d", "on time"."""
    if minutes > 0:
        return _("late by %(d)s") % {"d": days_text(minutes, per_day).replace("d", " d")}
    if minutes < 0:
        return _("early by %(d)s") % {"d": days_text(-minutes, per_day).replace("d", " d")}
    return _("on time")
