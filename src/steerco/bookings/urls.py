from django.urls import path

from . import views

app_name = "bookings"

urlpatterns = [
    path("", views.rooms_view, name="rooms"),
    path("rooms/<int:resource_id>/", views.calendar_view, name="calendar"),
    path("find/", views.find_view, name="find"),
    path("new/", views.create_view, name="create"),
    path("mine/", views.mine_view, name="mine"),
    path("<int:booking_id>/", views.detail_view, name="detail"),
    path("<int:booking_id>/cancel/", views.cancel_view, name="cancel"),
    path("<int:booking_id>/restore/", views.restore_view, name="restore"),
    path("<int:booking_id>/check-in/", views.check_in_view, name="check_in"),
    path("feeds/", views.feeds_view, name="feeds"),
    path("feeds/<int:feed_id>/revoke/", views.feed_revoke_view, name="feed_revoke"),
    path("feeds/<str:feed_token>/calendar.ics", views.feed_view, name="feed"),
    path("feeds/<str:feed_token>/freebusy.ics", views.freebusy_view, name="freebusy"),
]
