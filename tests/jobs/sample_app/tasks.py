"""What a new feature adds to offer background work: two tables, and nothing in jobs."""

from __future__ import annotations

import threading

from steerco.core.background import JobKind, JobOutput, PeriodicJob

ticked = threading.Event()


def echo(job, report, text: str = "") -> JobOutput:
    report(50, "Half way")
    data = f"{job.title}: {text}".encode()
    return JobOutput(name="echo.txt", content_type="text/plain", data=data)


def sample_tick() -> None:
    ticked.set()


JOB_KINDS = (JobKind(name="sample_echo", title="Echo", work=echo),)
PERIODIC_JOBS = (
    PeriodicJob(
        name="sample",
        title="The sample job",
        when=lambda: "The sample job runs every moment.",
        tick=sample_tick,
        every=0.01,
    ),
)
