"""Pages of one project's logs, under /projects/<project_id>/logs/."""

from django.urls import path

from .views import board, heat_map, items, lists, transfer

app_name = "logs"

urlpatterns = [
    path("", lists.log_overview_view, name="overview"),
    path("export.xlsx", transfer.log_export_all_view, name="export_all"),
    # Fixed paths first: "heat-map" and "board" are not item ids.
    path("risks/heat-map/", heat_map.risk_heat_map_view, name="heat_map"),
    path("actions/board/", board.action_board_view, name="action_board"),
    path("actions/<int:item_id>/move/", board.action_move_view, name="action_move"),
    path("risks/<int:item_id>/raise-issue/", items.risk_raise_issue_view, name="raise_issue"),
    path(
        "changes/<int:item_id>/transition/",
        items.change_transition_view,
        name="change_transition",
    ),
    path("<slug:kind>/", lists.item_list_view, name="list"),
    path("<slug:kind>/new/", lists.item_create_view, name="create"),
    path("<slug:kind>/export.<slug:fmt>", transfer.log_export_view, name="export"),
    path("<slug:kind>/import/", transfer.log_import_view, name="import"),
    path(
        "<slug:kind>/import/template.<slug:fmt>",
        transfer.import_template_view,
        name="import_template",
    ),
    path("<slug:kind>/<int:item_id>/", items.item_detail_view, name="item"),
    path("<slug:kind>/<int:item_id>/edit/", lists.item_edit_view, name="edit"),
    path("<slug:kind>/<int:item_id>/delete/", lists.item_delete_view, name="delete"),
    path("<slug:kind>/<int:item_id>/field/<slug:field>/", lists.item_field_view, name="field"),
    path("<slug:kind>/<int:item_id>/links/", items.link_add_view, name="link_add"),
    path(
        "<slug:kind>/<int:item_id>/links/<int:item_link_id>/remove/",
        items.link_remove_view,
        name="link_remove",
    ),
]
