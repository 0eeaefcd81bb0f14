"""One heat-map builder (issue 8): the project's heat map and the PMO register's are the
same grid, labels and counts for the same open risks."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from steerco.logs import register, selectors, services


def _risk(org, title: str, probability: int, impact: int, **fields):
    return services.item_create(
        actor=org.priya,
        project=org.alpha,
        kind="risks",
        title=title,
        probability=probability,
        impact=impact,
        **fields,
    )


def _cells(heat: selectors.HeatMap) -> list[list[tuple[int, int, str, int]]]:
    return [[(c.probability, c.impact, c.band.value, c.count) for c in row] for row in heat.rows]


def test_the_project_heat_map_and_the_register_build_the_same_grid(org):
    _risk(org, "Supplier late", 4, 3)
    _risk(org, "Data lost", 4, 3, probability_after=2, impact_after=2)
    _risk(org, "Key person leaves", 2, 5)
    for basis in ("before", "after"):
        project_map = selectors.risk_heat_map(user=org.bob, project=org.alpha, basis=basis)
        register_map = register.risk_register(
            user=org.bob, portfolio=org.portfolio.pk, basis=basis
        ).heat
        assert _cells(project_map) == _cells(register_map)
        assert (project_map.probability_labels, project_map.impact_labels) == (
            register_map.probability_labels,
            register_map.impact_labels,
        )
        assert project_map.total == register_map.total == (3 if basis == "before" else 1)
        assert project_map.unassessed == register_map.unassessed == (0 if basis == "before" else 2)


def test_a_cell_is_named_probability_dash_impact_and_labelled_from_the_scales(org):
    _risk(org, "Supplier late", 4, 3)
    heat = selectors.risk_heat_map(user=org.priya, project=org.alpha)
    cell = heat.cell_named("4-3")
    assert (cell.probability, cell.impact, cell.count) == (4, 3, 1)
    assert heat.cell_named("9-9") is None and heat.cell_named("four-three") is None
    assert heat.probability_label(5) == f"5 – {heat.probability_labels[0]}"
    assert heat.impact_label(1) == f"1 – {heat.impact_labels[0]}"
    rows = heat.grid(url_for=lambda key: f"?{urlencode({'cell': key})}", selected=cell)
    marked = [c for row in rows for c in row["cells"] if c["selected"]]
    assert [(c["key"], c["url"]) for c in marked] == [("4-3", "?cell=4-3")]


def test_both_pages_draw_the_grid_through_the_shared_builder(org, client_for):
    _risk(org, "Supplier late", 4, 3)
    client = client_for("bob")
    project_page = client.get(reverse("logs:heat_map", args=[org.alpha.pk]))
    register_page = client.get(reverse("orglogs:register"))
    project_counts = [
        [c["cell"].count for c in row["cells"]] for row in project_page.context["rows"]
    ]
    register_counts = [
        [c["cell"].count for c in row["cells"]] for row in register_page.context["map_rows"]
    ]
    assert project_counts == register_counts
    assert [row["label"] for row in project_page.context["rows"]] == [
        row["label"] for row in register_page.context["map_rows"]
    ]
