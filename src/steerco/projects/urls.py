from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list_view, name="list"),
    path("new/", views.project_create_view, name="create"),
    path("trash/", views.trash_view, name="trash"),
    path("trash/<int:pk>/restore/", views.trash_restore_view, name="restore"),
    path("trash/<int:pk>/purge/", views.trash_purge_view, name="purge"),
    path("<int:pk>/", views.project_detail_view, name="detail"),
    path("<int:pk>/edit/", views.project_edit_view, name="edit"),
    path("<int:pk>/close/", views.project_close_view, name="close"),
    path("<int:pk>/delete/", views.project_delete_view, name="delete"),
    path("<int:pk>/members/", views.project_members_view, name="members"),
    path(
        "<int:pk>/members/<int:membership_pk>/",
        views.member_edit_view,
        name="member_edit",
    ),
    path(
        "<int:pk>/members/<int:membership_pk>/remove/",
        views.member_remove_view,
        name="member_remove",
    ),
    path("<int:pk>/history/", views.project_history_view, name="history"),
]
