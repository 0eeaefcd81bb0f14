"""Template helpers for the log pages, so templates loop over ``KINDS`` instead of naming logs."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from steerco.logs.kinds import KINDS

register = template.Library()


@register.simple_tag
def log_tabs(project, active="", counts=None) -> list[dict]:
    """Tabs of one project's logs: overview, each log (open count when known), boards."""
    counts = counts or {}
    tabs = [
        {
            "key": "overview",
            "label": _("Overview"),
            "url": reverse("logs:overview", args=[project.pk]),
            "count": None,
        }
    ]
    for slug, kind in KINDS.items():
        tabs.append(
            {
                "key": slug,
                "label": capfirst(kind.plural),
                "url": reverse("logs:list", args=[project.pk, slug]),
                "count": counts.get(slug),
                # Logs without a status (lessons) count everything recorded.
                "count_label": _("open") if kind.model.OPEN_STATUSES else _("recorded"),
            }
        )
    tabs.append(
        {
            "key": "heat_map",
            "label": _("Risk heat map"),
            "url": reverse("logs:heat_map", args=[project.pk]),
            "count": None,
        }
    )
    tabs.append(
        {
            "key": "action_board",
            "label": _("Action board"),
            "url": reverse("logs:action_board", args=[project.pk]),
            "count": None,
        }
    )
    for tab in tabs:
        tab["current"] = tab["key"] == active
    return tabs
