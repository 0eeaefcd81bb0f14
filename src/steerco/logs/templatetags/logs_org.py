"""Links to the organisation-wide log pages for the main navigation.

Kept beside the pages they lead to, so who sees which link follows the same rule as the
page itself: everyone may search lessons, only portfolio viewers may read escalations.
"""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from steerco.accounts.rules import P, has_perm

register = template.Library()


@register.simple_tag(takes_context=True)
def org_log_links(context) -> list[dict]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    links = [("orglogs:lessons", _("Lessons"))]
    if has_perm(user, P.PORTFOLIO_VIEW):
        links.append(("orglogs:escalations", _("Escalations")))
        links.append(("orglogs:register", _("Risk register")))
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match is not None else ""
    return [
        {"label": label, "url": reverse(name), "current": name == current} for name, label in links
    ]
