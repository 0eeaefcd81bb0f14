from django.apps import AppConfig


class StaffingConfig(AppConfig):
    name = "steerco.staffing"
    label = "staffing"
    verbose_name = "Allocations and capacity"
