"""Dates as integer *keys* on the project calendar's working timeline.

``key = 2 * position + form``: ``position`` is the count of working minutes before the date
(see :mod:`calendar`) and ``form`` is 1 for a start-like date (the next working minute,
Monday 08:00) and 0 for a finish-like date (the end of the previous working interval,
Friday 17:00). Keys order exactly as the datetimes they stand for, so scheduling becomes integer
``max``/``min`` and additions, and a key keeps the distinction MS Project shows between
"finishes Friday 17:00" and "finishes Monday 08:00" (an SF or FF link can produce the latter).

Adding positive working time lands at the end of an interval (a finish, form 0); subtracting
lands at the start of one (a start, form 1) — MS Project's conventions.
"""

from __future__ import annotations

import numpy as np


def add(key: int, minutes: int) -> int:
    """Key ``minutes`` of working time after ``key`` (before, if negative); see module doc."""
    if minutes > 0:
        return ((key >> 1) + minutes) << 1
    if minutes < 0:
        return (((key >> 1) + minutes) << 1) | 1
    return key


def sub(key: int, minutes: int) -> int:
    """Key ``minutes`` of working time before ``key``: a start when it lands on a boundary."""
    if minutes > 0:
        return (((key >> 1) - minutes) << 1) | 1
    if minutes < 0:
        return ((key >> 1) - minutes) << 1
    return key


def add_array(keys: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    positions = keys >> 1
    return np.where(
        minutes > 0,
        (positions + minutes) << 1,
        np.where(minutes < 0, ((positions + minutes) << 1) | 1, keys),
    )


def sub_array(keys: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    positions = keys >> 1
    return np.where(
        minutes > 0,
        ((positions - minutes) << 1) | 1,
        np.where(minutes < 0, (positions - minutes) << 1, keys),
    )
