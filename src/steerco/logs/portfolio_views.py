"""The organisation's risk and issue register at /logs/register/, for the PMO and others
who look across projects.

What project teams record in their logs comes together here: a heat map of open risks
over every project the user may see (choose a cell to list its risks), the highest
risks with their owners and reviews, and per project the open risks by band, open and
escalated issues, overdue actions and open change requests. The page works without
JavaScript (a GET form and links); with htmx the filters and cells swap only the part
that changes. ``?format=csv`` downloads the ranked risks.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from steerco.accounts.rules import P, require_perm
from steerco.core.forms import PlainLabels
from steerco.core.pages import is_partial
from steerco.engine.interop.spreadsheets import CSV_CONTENT_TYPE, write_csv
from steerco.projects.models import Project
from steerco.projects.selectors import portfolio_list

from . import portfolio_selectors as register_selectors

TOP_RISKS = 25
BAND_WORDS = {
    "high": gettext_lazy("High"),
    "medium": gettext_lazy("Medium"),
    "low": gettext_lazy("Low"),
}
BAND_BADGES = {"low": "badge--green", "medium": "badge--amber", "high": "badge--red"}
BASES = {"before": gettext_lazy("Before response"), "after": gettext_lazy("After response")}
FILTER_NAMES = ("portfolio", "status", "band", "owner", "basis")
_CELL = re.compile(r"^(\d{1,3})-(\d{1,3})$")


class RegisterFilterForm(PlainLabels, forms.Form):
    """The register's filters; every choice is a closed list, so anything else is a 400."""

    portfolio = forms.ChoiceField(label=gettext_lazy("Portfolio"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Project status"), required=False)
    band = forms.ChoiceField(
        label=gettext_lazy("Risk band"),
        required=False,
        choices=[("", gettext_lazy("Any band")), *BAND_WORDS.items()],
    )
    owner = forms.ChoiceField(label=gettext_lazy("Risk owner"), required=False)
    basis = forms.ChoiceField(
        label=gettext_lazy("Scores"),
        choices=list(BASES.items()),
        widget=forms.RadioSelect,
    )

    def __init__(self, data, *, portfolios, owners):
        super().__init__(data)
        self.fields["portfolio"].choices = [
            ("", _("All portfolios")),
            *[(str(portfolio.pk), portfolio.name) for portfolio in portfolios],
            (register_selectors.NO_PORTFOLIO, _("No portfolio")),
        ]
        self.fields["status"].choices = [
            *Project.Status.choices,
            (register_selectors.ANY_STATUS, _("Any status")),
        ]
        self.fields["owner"].choices = [
            ("", _("Anyone")),
            *[(str(pk), name) for pk, name in owners],
        ]

    def selection(self) -> dict:
        """The cleaned filters as ``risk_register`` takes them."""
        data = self.cleaned_data
        portfolio = data["portfolio"]
        return {
            "portfolio": portfolio
            if portfolio in ("", register_selectors.NO_PORTFOLIO)
            else int(portfolio),
            "status": data["status"] or "active",
            "band": data["band"],
            "owner": int(data["owner"]) if data["owner"] else None,
            "basis": data["basis"],
        }

    def is_filtered(self) -> bool:
        data = self.cleaned_data
        return bool(
            data["portfolio"] or data["band"] or data["owner"] or data["status"] != "active"
        )


def _filter_data(request) -> dict[str, str]:
    # The register opens on active projects, before response; a link or a form that
    # leaves a filter out means that default, and an empty status does too.
    data = {name: request.GET.get(name, "") for name in FILTER_NAMES}
    data["status"] = data["status"] or "active"
    data["basis"] = data["basis"] or "before"
    return data


def _register_url(filters: dict[str, str], **extra) -> str:
    query = {name: value for name, value in {**filters, **extra}.items() if value}
    return f"{reverse('orglogs:register')}?{urlencode(query)}"


def _level_label(value: int, labels: list[str], index: int) -> str:
    label = labels[index] if 0 <= index < len(labels) else ""
    return f"{value} – {label}" if label else str(value)


def _find_cell(register, text: str):
    match = _CELL.match(text)
    if match is None:
        return None
    return register.cell(int(match.group(1)), int(match.group(2)))


def _risk_rows(rows) -> list[dict]:
    return [
        {
            "entry": row,
            "risk": row.risk,
            "project": row.project,
            "band_word": BAND_WORDS.get(row.band or "", ""),
            "band_class": BAND_BADGES.get(row.band or "", ""),
        }
        for row in rows
    ]


def _map_context(register, filters: dict[str, str], selected) -> dict:
    impact_values = [cell.impact for cell in register.heat_rows[0]] if register.heat_rows else []
    rows = []
    for index, row in enumerate(register.heat_rows):
        rows.append(
            {
                "label": _level_label(row[0].probability, register.probability_labels, index),
                "cells": [
                    {
                        "cell": cell,
                        "band": BAND_WORDS[cell.band.value],
                        "key": f"{cell.probability}-{cell.impact}",
                        "url": _register_url(filters, cell=f"{cell.probability}-{cell.impact}"),
                        "selected": cell == selected,
                    }
                    for cell in row
                ],
            }
        )
    context = {
        "map_rows": rows,
        "impact_columns": [
            _level_label(value, register.impact_labels, index)
            for index, value in enumerate(impact_values)
        ],
        "on_map": sum(cell.count for row in register.heat_rows for cell in row),
        "selected": selected,
        "cell_risks": None,
        "clear_cell_url": _register_url(filters),
    }
    if selected is not None:
        context.update(
            {
                "cell_risks": _risk_rows(register.risks_in(selected)),
                "selected_band": BAND_WORDS[selected.band.value],
                "selected_probability": _level_label(
                    selected.probability,
                    register.probability_labels,
                    len(register.heat_rows) - selected.probability,
                ),
                "selected_impact": _level_label(
                    selected.impact, register.impact_labels, selected.impact - 1
                ),
            }
        )
    return context


def _project_rows(register) -> list[dict]:
    rows = []
    for summary in register.projects:
        pk = summary.project.pk
        rows.append(
            {
                "summary": summary,
                "project": summary.project,
                "risks_url": reverse("logs:list", args=[pk, "risks"]),
                "heat_map_url": reverse("logs:heat_map", args=[pk]),
                "issues_url": reverse("logs:list", args=[pk, "issues"]),
                "actions_url": reverse("logs:action_board", args=[pk]),
                "changes_url": reverse("logs:list", args=[pk, "changes"]),
                "overview_url": reverse("logs:overview", args=[pk]),
            }
        )
    return rows


def _csv_response(register) -> HttpResponse:
    """The ranked risks as CSV; ``write_csv`` neutralises text a spreadsheet would run as a
    formula, so a risk titled "=HYPERLINK(...)" cannot act on whoever opens the download."""
    basis = str(BASES[register.basis]).lower()
    headings = [
        _("Project"),
        _("Ref"),
        _("Title"),
        _("Score before"),
        _("Score after"),
        _("Band (%(basis)s)") % {"basis": basis},
        _("Owner"),
        _("Review date"),
        _("Review"),
    ]
    rows = (
        (
            row.project.code,
            row.risk.ref,
            row.risk.title,
            row.score_before,
            row.score_after,
            BAND_WORDS[row.band] if row.band else _("Not assessed"),
            row.risk.owner.name if row.risk.owner else "",
            row.risk.review_date,
            _("Overdue review") if row.review_overdue else "",
        )
        for row in register.risks
    )
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(write_csv(headings, rows), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="risk-register-{stamp}.csv"'
    return response


@require_GET
@vary_on_headers("HX-Request", "HX-Target")
def register(request):
    """The risk and issue register across every project the user may see."""
    require_perm(request.user, P.PORTFOLIO_VIEW)
    form = RegisterFilterForm(
        _filter_data(request),
        portfolios=list(portfolio_list(user=request.user).order_by("name")),
        owners=register_selectors.risk_owner_choices(user=request.user),
    )
    problems: list[str] = []
    output = request.GET.get("format", "")
    if output not in ("", "csv"):
        problems.append(
            _("The register downloads as CSV (format=csv), not '%(format)s'.")
            % {"format": output[:20]}
        )
    if not form.is_valid():
        problems.append(
            _("These filters cannot be applied: %(problems)s")
            % {
                "problems": "; ".join(
                    f"{form.fields[name].label}: {' '.join(errors)}"
                    for name, errors in form.errors.items()
                )
            }
        )
        return render(
            request,
            "logs/register.html",
            {"form": form, "problems": problems, "register": None},
            status=400,
        )
    selection = form.selection()
    filters = {name: str(form.cleaned_data[name]) for name in FILTER_NAMES}
    register_data = register_selectors.risk_register(user=request.user, **selection)
    if output == "csv" and not problems:
        return _csv_response(register_data)

    selected = None
    cell_text = (request.GET.get("cell") or "").strip()
    if cell_text:
        selected = _find_cell(register_data, cell_text)
        if selected is None:
            problems.append(
                _(
                    "There is no cell '%(cell)s' on the map: give the probability and impact "
                    "levels as in 4-3, each within the organisation's scales."
                )
                % {"cell": cell_text[:40]}
            )
    context = {
        "form": form,
        "problems": problems,
        "register": register_data,
        "basis": selection["basis"],
        "basis_label": BASES[selection["basis"]],
        "filtered": form.is_filtered(),
        "top_risks": _risk_rows(register_data.risks[:TOP_RISKS]),
        "more_risks": max(0, len(register_data.risks) - TOP_RISKS),
        "project_rows": _project_rows(register_data),
        "totals": register_data.totals,
        "csv_url": _register_url(filters, format="csv"),
        "register_url": reverse("orglogs:register"),
        "today": timezone.localdate(),
        **_map_context(register_data, filters, selected),
    }
    template = "logs/register.html"
    if is_partial(request) and not problems:
        # A chosen cell swaps only the map and its list; a changed filter swaps every
        # result, since the basis and filters change the map, the ranking and the counts.
        template = (
            "logs/_register_map.html"
            if request.htmx.target == "register-map"
            else "logs/register.html#results"
        )
    return render(request, template, context, status=400 if problems else 200)
