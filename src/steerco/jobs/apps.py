from django.apps import AppConfig
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from steerco.core.background import install_job_starter, job_kinds, periodic_jobs


class JobsConfig(AppConfig):
    name = "steerco.jobs"
    label = "jobs"
    verbose_name = "Background jobs"

    def ready(self) -> None:
        from .services import job_start

        checks.register(check_declared_jobs)
        # Apps below this one in the layer order start jobs through core.background.
        install_job_starter(job_start)


def check_declared_jobs(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Read every app's job declarations at start-up, so a clash shows before a job runs."""
    try:
        job_kinds()
        periodic_jobs()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="jobs.E001")]
    return []
