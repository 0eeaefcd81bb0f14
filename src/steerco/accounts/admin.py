from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import ApiToken, OrganisationRole, User


class OrganisationRoleInline(admin.TabularInline):
    model = OrganisationRole
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [OrganisationRoleInline]
    list_display = ("username", "first_name", "last_name", "email", "is_active", "last_login")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "user",
        "hint",
        "read_only",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("read_only", "revoked_at")
    search_fields = ("name", "user__username")
    # Tokens are created by their owners; the admin may only look and revoke (never
    # lengthen a token's life or widen its scope).
    readonly_fields = (
        "user",
        "name",
        "digest",
        "hint",
        "read_only",
        "created_at",
        "expires_at",
        "last_used_at",
    )

    def has_add_permission(self, request):
        return False
