"""Forms of the booking pages. Times are typed on the resource's wall clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

from steerco.core.forms import PlainLabels
from steerco.resources.models import Person

from .models import BookableResource

REPEATS = {
    "": _("Does not repeat"),
    "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR": _("Every working day"),
    "FREQ=WEEKLY": _("Every week"),
    "FREQ=WEEKLY;INTERVAL=2": _("Every two weeks"),
    "FREQ=MONTHLY": _("Every month"),
    "custom": _("Custom rule (RRULE)"),
}


def local_moment(day: dt.date, time: dt.time, zone: str) -> dt.datetime:
    return dt.datetime.combine(day, time).replace(tzinfo=ZoneInfo(zone))


class BookingForm(PlainLabels, forms.Form):
    resource = forms.ModelChoiceField(
        label=_("Room or equipment"), queryset=BookableResource.objects.none()
    )
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}))
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    project = forms.ModelChoiceField(label=_("Project"), queryset=None, required=False)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"),
        queryset=Person.objects.filter(active=True),
        required=False,
        help_text=_("They get an invitation by e-mail."),
    )
    repeat = forms.ChoiceField(label=_("Repeats"), choices=list(REPEATS.items()), required=False)
    count = forms.IntegerField(
        label=_("Number of times"), min_value=2, max_value=520, required=False
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    rule = forms.CharField(
        label=_("Custom rule"),
        required=False,
        max_length=500,
        help_text=_("RFC 5545, such as FREQ=WEEKLY;BYDAY=TU,TH;COUNT=10."),
    )

    def __init__(self, *args, resources, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = resources
        self.fields["project"].queryset = projects

    def clean(self):
        data = super().clean()
        resource, day = data.get("resource"), data.get("day")
        start_time, end_time = data.get("start_time"), data.get("end_time")
        if resource and day and start_time and end_time:
            data["start"] = local_moment(day, start_time, resource.time_zone)
            data["end"] = local_moment(day, end_time, resource.time_zone)
        repeat = data.get("repeat") or ""
        if repeat == "custom":
            rule = (data.get("rule") or "").strip()
            if not rule:
                self.add_error("rule", _("Write the rule, or choose how it repeats."))
        elif repeat:
            rule = repeat
            if data.get("count"):
                rule += f";COUNT={data['count']}"
            elif data.get("until") and resource:
                last = local_moment(data["until"], dt.time(23, 59, 59), resource.time_zone)
                rule += f";UNTIL={last.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"
        else:
            rule = ""
        data["recurrence"] = rule
        return data


class FinderForm(PlainLabels, forms.Form):
    """ "A room for 8 people with a projector on Tuesday afternoon"."""

    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    from_time = forms.TimeField(
        label=_("From"), initial=dt.time(13, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )
    to_time = forms.TimeField(
        label=_("Until"), initial=dt.time(17, 30), widget=forms.TimeInput(attrs={"type": "time"})
    )
    minutes = forms.IntegerField(
        label=_("For how long (minutes)"), min_value=15, max_value=24 * 60, initial=60
    )
    capacity = forms.IntegerField(label=_("People"), min_value=1, max_value=10000, required=False)
    features = forms.CharField(
        label=_("With"),
        required=False,
        max_length=200,
        help_text=_("Features separated by commas, such as projector, video."),
    )
    kind = forms.ChoiceField(
        label=_("What"),
        choices=BookableResource.Kind.choices,
        initial=BookableResource.Kind.ROOM,
    )

    def clean(self):
        data = super().clean()
        if data.get("from_time") and data.get("to_time") and data["to_time"] <= data["from_time"]:
            self.add_error("to_time", _("The end of the window must be after its start."))
        data["feature_list"] = [
            f.strip().lower() for f in (data.get("features") or "").split(",") if f.strip()
        ]
        return data


class FeedForm(PlainLabels, forms.Form):
    what = forms.ChoiceField(
        label=_("Follow"),
        choices=[
            ("mine", _("My bookings and invitations")),
            ("resource", _("A room or equipment")),
            ("project", _("A project's bookings")),
        ],
    )
    resource = forms.ModelChoiceField(
        label=_("Room or equipment"), queryset=BookableResource.objects.none(), required=False
    )
    project = forms.ModelChoiceField(label=_("Project"), queryset=None, required=False)

    def __init__(self, *args, resources, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = resources
        self.fields["project"].queryset = projects

    def clean(self):
        data = super().clean()
        what = data.get("what")
        if what in ("resource", "project") and not data.get(what):
            self.add_error(what, _("Choose which."))
        return data
