"""The project's risk heat map: open risks counted per probability × impact cell, and
the risks of a chosen cell listed below it.

It works without JavaScript (links) and with htmx, which swaps the map and the cell's
list together. The grid is built by ``selectors.heat_map_of``, as the PMO register's is.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from steerco.accounts.rules import P, has_perm, project_for
from steerco.core.pages import is_partial

from .. import selectors

BASES = {"before": gettext_lazy("Before response"), "after": gettext_lazy("After response")}


def _heat_map_url(project, basis: str, cell: str = "") -> str:
    query = {"basis": basis, **({"cell": cell} if cell else {})}
    return f"{reverse('logs:heat_map', args=[project.pk])}?{urlencode(query)}"


@require_GET
@vary_on_headers("HX-Request")
def risk_heat_map_view(request, project_id: int):
    project = project_for(request.user, project_id)
    problems: list[str] = []
    basis = request.GET.get("basis") or "before"
    if basis not in BASES:
        problems.append(
            _("The heat map shows risks before or after response, not '%(basis)s'.")
            % {"basis": basis[:40]}
        )
        basis = "before"
    heat = selectors.risk_heat_map(user=request.user, project=project, basis=basis)
    selected = None
    cell_text = (request.GET.get("cell") or "").strip()
    if cell_text:
        selected = heat.cell_named(cell_text)
        if selected is None:
            problems.append(
                _(
                    "There is no cell '%(cell)s' on the map: give the probability and impact "
                    "levels as in 4-3, each within the organisation's scales."
                )
                % {"cell": cell_text[:40]}
            )
    cell_risks = None
    if selected is not None:
        level_fields = (
            ("probability", "impact")
            if basis == "before"
            else ("probability_after", "impact_after")
        )
        cell_risks = selectors.item_list(
            user=request.user, project=project, kind="risks", state="open"
        ).filter(**dict(zip(level_fields, (selected.probability, selected.impact), strict=True)))
        cell_risks = list(cell_risks.select_related("owner"))

    context = {
        "project": project,
        "counts": selectors.open_counts(user=request.user, project=project),
        "basis": basis,
        "basis_label": BASES[basis],
        "bases": [
            {"value": value, "label": label, "url": _heat_map_url(project, value)}
            for value, label in BASES.items()
        ],
        "rows": heat.grid(
            url_for=lambda cell: _heat_map_url(project, basis, cell), selected=selected
        ),
        "impact_columns": heat.impact_columns(),
        "total": heat.total,
        "unassessed": heat.unassessed,
        "selected": selected,
        "selected_band": selectors.BAND_WORDS[selected.band.value] if selected else "",
        "selected_probability": heat.probability_label(selected.probability) if selected else "",
        "selected_impact": heat.impact_label(selected.impact) if selected else "",
        "cell_risks": cell_risks,
        "problems": problems,
        "may_add_risks": has_perm(request.user, P.LOG_CHANGE, project),
    }
    template = "logs/heat_map.html"
    if is_partial(request) and not problems:
        # The toggle and the cells both swap the map and the cell's list together, so
        # the marked cell and the list below never disagree.
        template += "#map"
    return render(request, template, context, status=400 if problems else 200)
