from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Person


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("name", "email", "team", "job_title", "user", "active")
    list_filter = ("team", "active")
    search_fields = ("name", "email", "team")
    readonly_fields = ("version",)
