"""Template context shared by every page: the main navigation and the current section."""

from __future__ import annotations

from .navigation import main_navigation


def navigation(request):
    items = main_navigation(request)
    current = next((item.key for item in items if item.current), None)
    return {"navigation": items, "current_section": current}
