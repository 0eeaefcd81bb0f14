"""Forms of the calendar pages: a working week with holidays, and one exception."""

from __future__ import annotations

import datetime as dt
import itertools
import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steerco.core.forms import PlainLabels

from .services import supported_countries

WEEKDAYS = (
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
)
#: Time slots shown per day; an empty slot is how a person adds one, clearing one removes it.
SLOTS = 3


def minutes_text(minutes: int) -> str:
    return "24:00" if minutes >= 1440 else f"{minutes // 60:02d}:{minutes % 60:02d}"


def intervals_text(intervals) -> str:
    return ", ".join(f"{minutes_text(a)}–{minutes_text(b)}" for a, b in intervals or [])


def _minutes(value: dt.time | None) -> int | None:
    return None if value is None else value.hour * 60 + value.minute


def _time(minutes: int) -> dt.time:
    return dt.time(23, 59) if minutes >= 1440 else dt.time(minutes // 60, minutes % 60)


def _slot_fields(form: forms.Form, prefix: str, label: str) -> None:
    for slot in range(SLOTS):
        for end, word in (("from", _("from")), ("to", _("to"))):
            form.fields[f"{prefix}_{slot}_{end}"] = forms.TimeField(
                required=False,
                label=_("%(day)s period %(n)s %(word)s")
                % {"day": label, "n": slot + 1, "word": word},
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )


def _read_slots(form: forms.Form, prefix: str) -> list[list[int]]:
    """Intervals from the filled slots, in order; a half-filled slot is an error on it."""
    intervals = []
    for slot in range(SLOTS):
        start = _minutes(form.cleaned_data.get(f"{prefix}_{slot}_from"))
        end = _minutes(form.cleaned_data.get(f"{prefix}_{slot}_to"))
        if start is None and end is None:
            continue
        if start is None or end is None:
            form.add_error(f"{prefix}_{slot}_to", _("Give both a start and an end time."))
            continue
        if end == 23 * 60 + 59:
            end = 1440  # 23:59 stands for midnight: a time input cannot say 24:00
        if end <= start:
            form.add_error(f"{prefix}_{slot}_to", _("The end must be after the start."))
            continue
        intervals.append([start, end])
    intervals.sort()
    for (_a, first_end), (second_start, _b) in itertools.pairwise(intervals):
        if second_start < first_end:
            form.add_error(None, _("Working periods of a day must not overlap."))
            break
    return intervals


def _slot_initial(prefix: str, intervals) -> dict:
    initial = {}
    for slot, (start, end) in enumerate((intervals or [])[:SLOTS]):
        initial[f"{prefix}_{slot}_from"] = _time(start)
        initial[f"{prefix}_{slot}_to"] = _time(end)
    return initial


class CalendarForm(PlainLabels, forms.Form):
    """Name, working week and public holidays of one calendar."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    country = forms.ChoiceField(label=gettext_lazy("Public holidays of"), required=False)
    subdivision = forms.CharField(
        label=gettext_lazy("Region"),
        required=False,
        max_length=16,
        help_text=gettext_lazy("Optional region code, e.g. ENG for England in GB."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("None (no public holidays)")), *country_choices()]
        for day, label in enumerate(WEEKDAYS):
            self.fields[f"day{day}_off"] = forms.BooleanField(
                required=False, label=_("%(day)s is non-working") % {"day": label}
            )
            _slot_fields(self, f"day{day}", str(label))

    @staticmethod
    def initial_from(calendar) -> dict:
        initial = {
            "version": calendar.version,
            "name": calendar.name,
            "country": calendar.country,
            "subdivision": calendar.subdivision,
        }
        for day in range(7):
            intervals = calendar.week.get(str(day))
            if intervals is None and calendar.base is not None:
                intervals = calendar.base.week.get(str(day), [])
            initial[f"day{day}_off"] = not intervals
            initial.update(_slot_initial(f"day{day}", intervals))
        return initial

    def days(self) -> list[dict]:
        """Bound fields grouped per weekday, for the template's table."""
        return [
            {
                "label": label,
                "off": self[f"day{day}_off"],
                "slots": [
                    (self[f"day{day}_{slot}_from"], self[f"day{day}_{slot}_to"])
                    for slot in range(SLOTS)
                ],
            }
            for day, label in enumerate(WEEKDAYS)
        ]

    def clean(self):
        data = super().clean()
        week = {}
        for day in range(7):
            intervals = _read_slots(self, f"day{day}")
            week[str(day)] = [] if data.get(f"day{day}_off") else intervals
        data["week"] = week
        return data

    def week(self) -> dict:
        return self.cleaned_data["week"]

    def changes(self) -> dict:
        return {
            "name": self.cleaned_data["name"],
            "country": self.cleaned_data.get("country") or "",
            "subdivision": self.cleaned_data.get("subdivision") or "",
            "week": self.week(),
        }


class ExceptionForm(PlainLabels, forms.Form):
    """Dates that differ from the normal week: closed, or with their own working hours."""

    name = forms.CharField(label=gettext_lazy("Description"), max_length=100, required=False)
    start = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    finish = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Leave empty for a single day."),
    )
    recurring_yearly = forms.BooleanField(label=gettext_lazy("Every year"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _slot_fields(self, "work", _("Working hours"))

    def slots(self) -> list:
        return [(self[f"work_{slot}_from"], self[f"work_{slot}_to"]) for slot in range(SLOTS)]

    def clean(self):
        data = super().clean()
        start, finish = data.get("start"), data.get("finish")
        if start and finish and finish < start:
            self.add_error("finish", _("An exception cannot end before it starts."))
        data["intervals"] = _read_slots(self, "work")
        return data

    def values(self) -> dict:
        return {
            "name": self.cleaned_data["name"],
            "start": self.cleaned_data["start"],
            "finish": self.cleaned_data.get("finish") or self.cleaned_data["start"],
            "recurring_yearly": self.cleaned_data["recurring_yearly"],
            "intervals": self.cleaned_data["intervals"],
        }


def country_choices() -> list[tuple[str, str]]:
    """Countries whose public holidays the ``holidays`` package knows, by name."""
    from holidays import registry  # imported lazily, as the engine does: it is slow to load

    supported = set(_supported())
    choices = []
    for class_name, code, *_rest in registry.COUNTRIES.values():
        if code in supported:
            name = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", class_name)
            choices.append((code, f"{name} ({code})"))
    return sorted(choices, key=lambda choice: choice[1])


def _supported() -> dict:
    return supported_countries()
