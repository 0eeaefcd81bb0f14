"""The kinds of background job a user can start, and the django-tasks task running each.

A feature that adds a job adds one entry here and one task in its ``tasks.py``. Task
paths are strings so this module can be imported before the tasks (which import the
services that import this).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from steerco.core.exceptions import DomainError


@dataclass(frozen=True)
class JobKind:
    name: str
    title: str
    task_path: str


KINDS: dict[str, JobKind] = {
    kind.name: kind
    for kind in [
        JobKind(
            name="project_export",
            title=_("Export of projects"),
            task_path="steerco.jobs.tasks.project_export",
        ),
    ]
}


def kind_get(name: str) -> JobKind:
    try:
        return KINDS[name]
    except KeyError:
        raise DomainError(f"There is no kind of job called '{name}'.") from None
