"""The "Risks and issues" panel a portfolio page shows from its projects' logs.

A tag rather than context from the portfolio view, so the logs app decides what the
panel counts and the projects app only says where it goes.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from steerco.logs.register import portfolio_log_summary

register = template.Library()


@register.inclusion_tag("logs/_register_panel.html", takes_context=True)
def portfolio_logs_panel(context, portfolio) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or portfolio is None:
        return {"summary": None}
    summary = portfolio_log_summary(user=user, portfolio=portfolio)
    return {
        "summary": summary,
        "portfolio": portfolio,
        "register_url": f"{reverse('orglogs:register')}?{urlencode({'portfolio': portfolio.pk})}",
    }
