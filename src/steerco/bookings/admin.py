from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import BookableResource, Booking, BookingSeries, CalendarFeed


@admin.register(BookableResource)
class BookableResourceAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "location", "capacity", "part_of", "active")
    list_filter = ("kind", "active")
    filter_horizontal = ("allowed_groups", "managers")
    readonly_fields = ("version",)


@admin.register(Booking)
class BookingAdmin(SimpleHistoryAdmin):
    # Bookings are made through SteerCo's pages and API, which refuse clashes; the admin
    # only shows them.
    list_display = ("resource", "start", "end", "purpose", "booked_by", "status")
    list_filter = ("status", "resource")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(BookingSeries)
class BookingSeriesAdmin(SimpleHistoryAdmin):
    list_display = ("purpose", "resource", "rrule", "first_start", "cancelled_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("owner", "kind", "hint", "created_at", "revoked_at")
    readonly_fields = ("digest", "hint")
