"""Steps that apps above projects run inside a project's purge (ADR 11).

projects cannot import the apps that keep rows in *other* projects pointing at a purged
one (a dependency on it). Such an app registers a step here from its ``AppConfig.ready``;
``project_purge`` calls every step explicitly, inside its transaction and change set,
before the project's rows go, so the step's rewrites carry the purge's actor and reason.
A registry called by name rather than a Django signal: the purge's effects stay visible
from the service that causes them.
"""

from __future__ import annotations

from collections.abc import Callable

PurgeStep = Callable[..., None]  # step(*, project, actor) -> None

_steps: list[PurgeStep] = []


def contribute_purge_step(step: PurgeStep) -> None:
    """Run ``step(project=..., actor=...)`` before every purge; registering twice is harmless."""
    if step not in _steps:
        _steps.append(step)


def run_purge_steps(*, project, actor) -> None:
    """Call inside the purge's transaction and change set, with the project's row locked."""
    for step in _steps:
        step(project=project, actor=actor)
