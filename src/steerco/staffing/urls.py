from django.urls import path

from . import views

app_name = "staffing"

urlpatterns = [
    path("", views.heatmap_view, name="heatmap"),
    path("cell/", views.cell_view, name="cell"),
    path("people/<int:person_id>/", views.person_view, name="person"),
    path("people/<int:person_id>/leave/", views.leave_add_view, name="leave_add"),
    path("people/<int:person_id>/skills/", views.skill_set_view, name="skill_set"),
    path("roles/", views.role_view, name="roles"),
    path("skills/", views.skills_view, name="skills"),
    path("allocations/", views.allocation_list_view, name="allocations"),
    path("allocations/new/", views.allocation_create_view, name="allocation_create"),
    path(
        "allocations/<int:allocation_id>/edit/", views.allocation_edit_view, name="allocation_edit"
    ),
    path(
        "allocations/<int:allocation_id>/fill/", views.fill_candidates_view, name="allocation_fill"
    ),
    path(
        "allocations/<int:allocation_id>/fill/save/",
        views.allocation_fill_view,
        name="allocation_fill_save",
    ),
    path(
        "allocations/<int:allocation_id>/approve/",
        views.allocation_approve_view,
        name="allocation_approve",
    ),
    path(
        "allocations/<int:allocation_id>/reject/",
        views.allocation_reject_view,
        name="allocation_reject",
    ),
    path(
        "allocations/<int:allocation_id>/delete/",
        views.allocation_delete_view,
        name="allocation_delete",
    ),
    path(
        "allocations/<int:allocation_id>/restore/",
        views.allocation_restore_view,
        name="allocation_restore",
    ),
]
