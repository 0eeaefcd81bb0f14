from django.contrib import admin

from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """For operators looking into a stuck or failed job; jobs are never edited by hand."""

    list_display = ("title", "owner", "kind", "status", "progress", "created_at", "finished_at")
    list_filter = ("status", "kind")
    search_fields = ("title", "owner__username", "task_result_id")
    exclude = ("result_data",)
    readonly_fields = [
        field.name for field in Job._meta.fields if field.name not in ("result_data", "id")
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("result_data").select_related("owner")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
