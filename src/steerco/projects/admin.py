from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Membership, Portfolio, Project


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("person",)


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "status", "health", "portfolio", "manager", "deleted_at")
    list_filter = ("status", "health", "portfolio")
    search_fields = ("code", "name")
    readonly_fields = ("version", "created_at", "updated_at", "deleted_at", "deleted_by")
    inlines = [MembershipInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Deleting here would skip the trash and leave the cascaded rows' history with
        # no one named: projects go through the trash and its purge instead.
        return False


@admin.register(Portfolio)
class PortfolioAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "owner")
    search_fields = ("code", "name")
    readonly_fields = ("version",)
