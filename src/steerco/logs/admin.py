from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Action,
    Assumption,
    ChangeRequest,
    Decision,
    Issue,
    ItemLink,
    Lesson,
    ProjectDependency,
    Risk,
    ScaleLevel,
)


@admin.register(ScaleLevel)
class ScaleLevelAdmin(admin.ModelAdmin):
    list_display = ("dimension", "value", "label", "description")
    list_filter = ("dimension",)


class LogItemAdmin(SimpleHistoryAdmin):
    # Administrators repair data here; everyday edits go through the log pages, which
    # apply the services' rules (scales, workflow, versions).
    list_display = ("__str__", "project", "owner", "raised_on")
    list_filter = ("project",)
    search_fields = ("title", "description")
    readonly_fields = ("number", "version", "created_at", "updated_at")
    autocomplete_fields = ("owner", "raised_by")


for model in (Risk, Assumption, Issue, ProjectDependency, Decision, ChangeRequest, Action, Lesson):
    admin.site.register(model, LogItemAdmin)


@admin.register(ItemLink)
class ItemLinkAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "project", "relation", "created_by", "created_at")
    list_filter = ("relation",)
