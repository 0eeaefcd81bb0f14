"""Tags and filters every page uses: badges, a project's tabs, form-wide errors, and the
one way pages write dates and percentages (``day``, ``moment``, ``percent``).

Badges pair a colour with a word, so status and health never rely on colour alone.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from steerco.core import formats
from steerco.ui import navigation

register = template.Library()


@register.simple_tag
def status_badge(project) -> str:
    return format_html(
        '<span class="badge badge--status badge--{}">{}</span>',
        project.status,
        project.get_status_display(),
    )


@register.simple_tag
def health_badge(project) -> str:
    # The letter is for scanning a table quickly; the word is for screen readers and print.
    letters = {"green": "G", "amber": "A", "red": "R"}
    letter = letters.get(project.health, "–")
    return format_html(
        '<span class="badge badge--rag badge--{}"><span class="badge__letter" '
        'aria-hidden="true">{}</span> {}</span>',
        project.health,
        letter,
        project.get_health_display(),
    )


_RAG_LETTERS = {"green": "G", "amber": "A", "red": "R"}


@register.simple_tag
def schedule_rag_badge(outlook, *, word: bool = True) -> str:
    """The schedule's RAG computed from the plan, its reason as the title (a tooltip) and,
    for screen readers, spoken after the word. ``word=False`` keeps only the letter dot
    and the hidden reason, for tight table cells that show the slip beside it."""
    if outlook is None:
        return format_html('<span class="muted">—</span>')
    letter = _RAG_LETTERS.get(outlook.rag, "–")
    shown = format_html(" {}", outlook.rag_label) if word else ""
    return format_html(
        '<span class="badge badge--rag badge--{} schedule-rag{}" title="{}">'
        '<span class="badge__letter" aria-hidden="true">{}</span>{}'
        '<span class="visually-hidden">{}</span></span>',
        outlook.rag,
        "" if word else " schedule-rag--dot",
        outlook.rag_reason,
        letter,
        shown,
        f"{_('Schedule')}: {outlook.rag_reason}",
    )


@register.filter
def day(value) -> str:
    """A date as every page writes it: "05 Jan 2026"."""
    return formats.day_text(value)


@register.filter
def moment(value) -> str:
    """A date and time as every page writes it: "05 Jan 2026 14:05" (local time)."""
    return formats.moment_text(value)


@register.filter
def percent(value) -> str:
    """A percentage as a whole number: "58%"."""
    return formats.percent_text(value)


@register.simple_tag
def project_tabs(project, current: str) -> list[navigation.NavItem]:
    """The project's tabs (declared in ui/navigation.py), ``current`` marked."""
    return navigation.project_tabs(project, current)


@register.simple_tag(takes_context=True)
def overview_panel(context, panel) -> str:
    """Render one panel another app contributes to a project's overview (an
    ``core.project_pages.OverviewPanel``): its template, with its own context on top of
    the page's."""
    template = context.template.engine.get_template(panel.template)
    with context.push(**panel.context):
        return template.render(context)


@register.simple_tag
def form_wide_errors(form) -> list[str]:
    """Form-wide errors plus those on hidden fields, which have nowhere else to show."""
    errors = list(form.non_field_errors())
    for field in form.hidden_fields():
        errors.extend(f"{field.label}: {error}" for error in field.errors)
    return errors
