"""The ten demo projects' log stories, one module each, by project code."""

from __future__ import annotations

from ..governance import with_governance
from . import (
    amlscreen,
    climate,
    crm,
    dataplat,
    dcexit,
    hqmove,
    netrefresh,
    payroll,
    portal,
    retention,
)

# Project code → its log story. Loaded in this order, so dependencies on other demo
# projects find them (each project exists before any logs are loaded).
STORIES = {
    "CRM": crm.story,
    "DATAPLAT": with_governance(dataplat.story, 0, ("mary", "priya"), (0.3, 0.55, 0.93)),
    "NETREFRESH": with_governance(
        netrefresh.story, 1, ("james", "george"), (0.18, 0.4, 0.58, 0.76, 0.9, 0.95)
    ),
    "RETENTION": with_governance(
        retention.story, 3, ("aisha", "grace"), (0.22, 0.36, 0.5, 0.66, 0.84, 0.91, 0.96)
    ),
    "PAYROLL": with_governance(payroll.story, 5, ("hannah", "nina"), (0.3, 0.48, 0.7, 0.88, 0.96)),
    "HQMOVE": with_governance(hqmove.story, 2, ("james", "omar"), (0.15, 0.35, 0.52, 0.6, 0.9)),
    "DCEXIT": dcexit.story,
    "AMLSCREEN": amlscreen.story,
    "PORTAL": portal.story,
    "CLIMATE": climate.story,
}
