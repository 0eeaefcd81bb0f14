from django.apps import AppConfig
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from steerco.core.background import JobDesk, job_desk_provide, job_kinds, periodic_jobs


class JobsConfig(AppConfig):
    name = "steerco.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        from .selectors import job_for
        from .services import job_start

        checks.register(check_declared_jobs)
        # The apps below this one start and read their own jobs through core.background.
        job_desk_provide(JobDesk(start=job_start, get=job_for))


def check_declared_jobs(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Read every app's job declarations at start-up, so a clash shows before a job runs."""
    try:
        job_kinds()
        periodic_jobs()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="jobs.E001")]
    return []
