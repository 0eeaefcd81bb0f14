from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "steerco.bookings"
    label = "bookings"
    verbose_name = "Bookings of rooms and equipment"
