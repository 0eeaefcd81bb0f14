"""Background work of bookings: releasing no-shows and making series' later occurrences.

Declared as one periodic job (``steerco.core.background``): every running worker ticks it
each minute, and the tick does the work itself, since it is small and each step is safe to
run on several workers at once (a release is a conditional update of a still-confirmed
booking; extending a series locks its resource's units).
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy

from steerco.core.background import PeriodicJob

from .services import release_no_shows, series_extend

logger = logging.getLogger(__name__)
CHECK_EVERY_SECONDS = 60.0


def bookings_tick() -> dict:
    released = release_no_shows()
    made = series_extend()
    if released or made:
        logger.info(
            "Released %d no-show bookings; made %d series occurrences.", len(released), made
        )
    return {"released": released, "occurrences_made": made}


def bookings_when() -> str:
    return "No-show bookings are released, and recurring series extended, every minute."


PERIODIC_JOBS = (
    PeriodicJob(
        name="bookings",
        title=gettext_lazy("Releasing no-show bookings"),
        when=bookings_when,
        tick=bookings_tick,
        every=CHECK_EVERY_SECONDS,
    ),
)
