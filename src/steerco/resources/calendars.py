"""Public holidays of a person's country and region, from the ``holidays`` package."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.utils.translation import gettext as _


def holiday_check(country: str, subdivision: str = "") -> str | None:
    """Why ``country``/``subdivision`` cannot give public holidays, or None when it can."""
    supported = holidays.list_supported_countries()
    if country not in supported:
        return _("'%(code)s' is not a country code the holiday calendar knows.") % {"code": country}
    if subdivision and subdivision not in supported[country]:
        return _("'%(sub)s' is not a region of %(code)s; use one of: %(known)s.") % {
            "sub": subdivision,
            "code": country,
            "known": ", ".join(supported[country][:20]),
        }
    return None


@lru_cache(maxsize=256)
def public_holidays(country: str, subdivision: str, first_year: int, last_year: int) -> frozenset:
    """The public holidays of a country (and region) in the years given, as dates."""
    if not country:
        return frozenset()
    calendar = holidays.country_holidays(
        country, subdiv=subdivision or None, years=range(first_year, last_year + 1)
    )
    return frozenset(day for day in calendar if isinstance(day, dt.date))
