"""Pages of one project's logs, under /projects/<project_id>/logs/."""

from django.urls import path

from . import board_views, item_views, transfer_views, views

app_name = "logs"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export.xlsx", transfer_views.export_all, name="export_all"),
    # Fixed paths first: "heat-map" and "board" are not item ids.
    path("risks/heat-map/", board_views.heat_map, name="heat_map"),
    path("actions/board/", board_views.action_board, name="action_board"),
    path("actions/<int:item_id>/move/", board_views.action_move, name="action_move"),
    path("risks/<int:item_id>/raise-issue/", item_views.risk_raise_issue, name="raise_issue"),
    path(
        "changes/<int:item_id>/transition/",
        item_views.change_transition,
        name="change_transition",
    ),
    path("<slug:kind>/", views.item_list, name="list"),
    path("<slug:kind>/new/", views.item_create, name="create"),
    path("<slug:kind>/export.<slug:fmt>", transfer_views.export, name="export"),
    path("<slug:kind>/import/", transfer_views.import_items, name="import"),
    path(
        "<slug:kind>/import/template.<slug:fmt>",
        transfer_views.import_template,
        name="import_template",
    ),
    path("<slug:kind>/<int:item_id>/", item_views.item_detail, name="item"),
    path("<slug:kind>/<int:item_id>/edit/", views.item_edit, name="edit"),
    path("<slug:kind>/<int:item_id>/delete/", views.item_delete, name="delete"),
    path("<slug:kind>/<int:item_id>/field/<slug:field>/", views.item_field, name="field"),
    path("<slug:kind>/<int:item_id>/links/", item_views.link_add, name="link_add"),
    path(
        "<slug:kind>/<int:item_id>/links/<int:item_link_id>/remove/",
        item_views.link_remove,
        name="link_remove",
    ),
]
