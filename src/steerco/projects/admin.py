from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Membership, Portfolio, Project


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("person",)


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "status", "health", "portfolio", "manager")
    list_filter = ("status", "health", "portfolio")
    search_fields = ("code", "name")
    readonly_fields = ("version", "created_at", "updated_at")
    inlines = [MembershipInline]


@admin.register(Portfolio)
class PortfolioAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "owner")
    search_fields = ("code", "name")
    readonly_fields = ("version",)
