"""Tags every page uses: badges, a project's tabs, form-wide errors.

Badges pair a colour with a word, so status and health never rely on colour alone.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html

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


@register.simple_tag
def project_tabs(project, current: str) -> list[navigation.NavItem]:
    """The project's tabs (declared in ui/navigation.py), ``current`` marked."""
    return navigation.project_tabs(project, current)


@register.simple_tag
def form_wide_errors(form) -> list[str]:
    """Form-wide errors plus those on hidden fields, which have nowhere else to show."""
    errors = list(form.non_field_errors())
    for field in form.hidden_fields():
        errors.extend(f"{field.label}: {error}" for error in field.errors)
    return errors
