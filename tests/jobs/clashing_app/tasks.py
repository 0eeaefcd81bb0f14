from __future__ import annotations

from steerco.core.background import JobKind, JobOutput


def export(job, report) -> JobOutput:
    return JobOutput(name="other.txt", content_type="text/plain", data=b"")


JOB_KINDS = (JobKind(name="project_export", title="Another export", work=export),)
