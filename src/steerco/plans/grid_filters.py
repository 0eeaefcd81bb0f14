"""The plan grid's filters and views: which tasks a filter shows, as Microsoft Project's
filters do (a matching task keeps its summary tasks in view, so the outline still reads),
and which column set the grid shows.

The page sends the filter in its query (``show``, ``person``, ``q``, ``columns``), so a
filtered view is a link anyone may share and a reload keeps it. The server leaves the
filtered-out rows out of the grid and the chart alike (as it does for collapsed summaries,
ADR 13), so row *i* of the grid stays beside bar *i* of the chart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from steerco.core.forms import PlainLabels

from .selectors import ApprovedDates, PlanView, TaskRowView

#: The filters, in the order the toolbar offers them.
SHOW_CHOICES = [
    ("all", _("All tasks")),
    ("critical", _("Critical")),
    ("late", _("Late vs baseline")),
    ("in_progress", _("In progress")),
    ("not_started", _("Not started")),
    ("milestones", _("Milestones")),
    ("mine", _("Assigned to me")),
    ("changed", _("Changed since baseline")),
]

COLUMN_CHOICES = [
    ("standard", _("Schedule")),
    ("slipped", _("Slipped vs baseline")),
]

#: The query keys the filter uses; anything else in the page's query is the chart's.
FILTER_KEYS = ("show", "person", "q", "columns")


class PlanFilterForm(PlainLabels, forms.Form):
    """The grid's toolbar: which tasks to show and which columns. Unknown values fall back
    to showing everything (a shared link from an older page still opens)."""

    show = forms.ChoiceField(label=_("Show"), required=False, choices=SHOW_CHOICES)
    person = forms.TypedChoiceField(
        label=_("Assigned to"), required=False, coerce=int, empty_value=None
    )
    q = forms.CharField(label=_("Find"), required=False, max_length=100, strip=True)
    columns = forms.ChoiceField(label=_("Columns"), required=False, choices=COLUMN_CHOICES)

    def __init__(self, data=None, *, people=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["person"].choices = [("", _("Anyone"))] + [(pk, name) for pk, name in people]
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": _("Name or WBS"), "size": "14"}
        )

    def row_filter(self, *, me: int | None) -> RowFilter:
        """The filter asked for; ``me``: the viewer's person id, if they have one."""
        # Cleaned field by field: one bad value (a person no longer assigned) drops that
        # one alone, and the rest of a shared link still applies.
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        data = {name: cleaned.get(name) for name in self.fields}
        return RowFilter(
            show=data["show"] or "all",
            person=data["person"],
            me=me,
            text=(data["q"] or "").casefold(),
            slipped=data["columns"] == "slipped",
        )


@dataclass(frozen=True)
class RowFilter:
    """A parsed filter: one of ``SHOW_CHOICES``, and on top of it the tasks of
    ``person`` and those whose name or WBS contains ``text``. ``me`` is the viewer's own
    person for "Assigned to me" (None when the login has none: nothing matches)."""

    show: str = "all"
    person: int | None = None
    me: int | None = None
    text: str = ""
    slipped: bool = False

    @property
    def active(self) -> bool:
        return self.show != "all" or self.person is not None or bool(self.text)

    @property
    def needs_baseline(self) -> bool:
        return self.slipped or self.show in ("late", "changed")


def _matches(
    item: TaskRowView,
    row_filter: RowFilter,
    approved: Mapping[int, ApprovedDates],
    assignees: Mapping[int, frozenset[int]],
) -> bool:
    task, result, show = item.task, item.result, row_filter.show
    if row_filter.text and not (
        row_filter.text in task.name.casefold() or row_filter.text in task.wbs.casefold()
    ):
        return False
    people = assignees.get(task.pk, frozenset())
    if row_filter.person is not None and row_filter.person not in people:
        return False
    if show == "critical":
        return bool(result and result.critical)
    if show == "late":
        dates = approved.get(task.uid)
        return bool(dates and dates.late)
    if show == "changed":
        # A task the approved baseline does not know was added since: a change too.
        dates = approved.get(task.uid)
        return dates is None or dates.changed
    if show == "in_progress":
        return 0 < item.percent_complete < 100
    if show == "not_started":
        return item.percent_complete <= 0
    if show == "milestones":
        return task.milestone or (not item.summary and task.duration_minutes == 0)
    if show == "mine":
        return row_filter.me is not None and row_filter.me in people
    return True


def filtered_out(
    view: PlanView,
    row_filter: RowFilter,
    *,
    approved: Mapping[int, ApprovedDates] | None = None,
    assignees: Mapping[int, frozenset[int]] | None = None,
) -> set[int]:
    """The ids of the tasks ``row_filter`` hides: those that do not match and are not a
    summary above one that does. ``approved`` (by task uid) is needed by the baseline
    filters, ``assignees`` (by task id: person ids) by "Assigned to"."""
    if not row_filter.active:
        return set()
    approved = approved or {}
    assignees = assignees or {}
    shown: set[int] = set()
    parent_of = {item.task.pk: item.task.parent_id for item in view.rows}
    for item in view.rows:
        if not _matches(item, row_filter, approved, assignees):
            continue
        pk = item.task.pk
        while pk is not None and pk not in shown:
            shown.add(pk)
            pk = parent_of.get(pk)
    return {item.task.pk for item in view.rows if item.task.pk not in shown}
