from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "steerco.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
