from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "steerco.core"
    label = "core"
    verbose_name = "SteerCo core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.backends.signals import connection_created

        from . import checks  # noqa: F401  (registers the deployment checks)
        from .middleware import session_started
        from .sqlite import restrict_file_mode

        connection_created.connect(restrict_file_mode, dispatch_uid="steerco-sqlite-mode")
        user_logged_in.connect(session_started, dispatch_uid="steerco-session-started")
