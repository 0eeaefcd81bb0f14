"""The background work each app offers, as two tables its ``tasks.py`` declares.

An app's ``tasks.py`` may hold:

- ``JOB_KINDS``: the jobs a user can start (an export, an import). Each names its ``work``,
  called in the worker as ``work(job, report, **params)``; it reads what it needs from
  ``job`` (its owner and title), says how far it has got through ``report`` and returns
  the ``JobOutput`` the owner downloads.
- ``PERIODIC_JOBS``: what a running worker starts by itself on a schedule (the daily
  digest). Its ``tick`` looks whether the job is due and, if so, queues it; keeping it
  to once per period when several workers tick is the job's own business (the digest
  claims its day with a unique row).

This module reads those tables from every installed app; the jobs app runs them (the
``Job`` rows, the pages, the worker) without naming any. It lives in ``core`` so the apps
below ``jobs`` in the layer order can declare their work without importing ``jobs``.

An app whose own page starts a job and shows how it went (a large log import) reaches
the jobs app through ``job_desk()``, which the jobs app fills in when it starts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import import_module
from typing import Any, Protocol

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import module_has_submodule

from .exceptions import DomainError

TASKS_MODULE = "tasks"


@dataclass(frozen=True)
class JobOutput:
    """The file a job produces."""

    name: str
    content_type: str
    data: bytes


class Progress(Protocol):
    """How a job's work says how far it has got (the jobs app stores it on the job).

    Each report also tells the jobs app that the worker is alive: work that says nothing
    for ``STEERCO_JOB_STALE_MINUTES`` is taken for abandoned by a stopped worker, so long
    work reports now and then even when its percentage does not move.
    """

    def __call__(self, percent: float, message: str | None = None) -> None: ...

    def step(
        self, done: int, total: int, *, start: float, end: float, message: str = ""
    ) -> None: ...


class RunningJob(Protocol):
    """What a job's work may read of the job it runs for."""

    pk: int  # so that what the work records (an import's run) can name its job
    owner: Any
    title: str


@dataclass(frozen=True)
class JobKind:
    """A kind of job a user can start: ``work(job, report, **params) -> JobOutput``.

    ``resumable`` says the work may be run again from the start after a worker died part
    way through it: it writes nothing (an export), or it first removes what an earlier
    attempt left (the plan import). When a worker stops for good in the middle of a job,
    the jobs app queues a resumable job once more; any other job is marked failed, and
    its owner starts it again; ``abandoned(job, **params)``, when given, is then called to
    tidy what the work left half done (the plan import says its import failed).
    """

    name: str  # stored on each job; never rename one that users have started
    title: str  # the job's title when its starter gives none
    work: Callable[..., JobOutput]
    resumable: bool = False
    abandoned: Callable[..., None] | None = None


@dataclass(frozen=True)
class PeriodicJob:
    """Something every long-running worker looks at now and then and starts when due."""

    name: str
    title: str  # a sentence's subject: "The daily digest"
    # When it runs, in words for the worker to print; None when switched off. Raises
    # ValueError, naming the setting, when that is set wrongly.
    when: Callable[[], str | None]
    # Looks whether the job is due and, if so, queues it exactly once across workers.
    tick: Callable[[], object]
    every: float = 60.0  # seconds between ticks


def _declared(table: str) -> Iterator[Any]:
    # Read at each call rather than cached: the tasks modules are imported once anyway,
    # and a test that installs another app sees its declarations at once.
    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, TASKS_MODULE):
            module = import_module(f"{app_config.name}.{TASKS_MODULE}")
            # Only what the module itself defines: a module-level __getattr__ (the jobs
            # app keeps one for old task paths) is not a declaration.
            yield from vars(module).get(table, ())


def _by_name(table: str) -> dict[str, Any]:
    entries: dict[str, Any] = {}
    for entry in _declared(table):
        if entry.name in entries:
            raise ImproperlyConfigured(f"Two apps declare {table} called '{entry.name}'.")
        entries[entry.name] = entry
    return entries


def job_kinds() -> dict[str, JobKind]:
    """Every kind of job the installed apps declare, by name."""
    return _by_name("JOB_KINDS")


def job_kind_get(name: str) -> JobKind:
    try:
        return job_kinds()[name]
    except KeyError:
        raise DomainError(f"There is no kind of job called '{name}'.") from None


def periodic_jobs() -> list[PeriodicJob]:
    """Every periodic job the installed apps declare, in app order."""
    return list(_by_name("PERIODIC_JOBS").values())


@dataclass(frozen=True)
class JobDesk:
    """How an app below ``jobs`` starts a job of its own kind and reads it back.

    ``start(*, actor, kind, title="", params=None)`` queues the job and returns it;
    ``get(*, user, job_id, with_result=False)`` returns the user's job, or raises Http404.
    Both return a ``jobs.Job`` (its ``status``, ``progress``, ``result_data``...).
    """

    start: Callable[..., Any]
    get: Callable[..., Any]


_desk: JobDesk | None = None


def job_desk_provide(desk: JobDesk) -> None:
    """Called by the jobs app when it starts."""
    global _desk
    _desk = desk


def job_desk() -> JobDesk:
    if _desk is None:
        raise ImproperlyConfigured("Background jobs need the steerco.jobs app installed.")
    return _desk
