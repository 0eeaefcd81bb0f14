"""The placeholder sections: what each not-yet-built part of SteerCo will hold."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .navigation import PLACEHOLDERS


@require_GET
def section(request, slug: str):
    try:
        section = PLACEHOLDERS[slug]
    except KeyError:
        raise Http404("No such section.") from None
    return render(request, "ui/section.html", {"section": section, "slug": slug})
