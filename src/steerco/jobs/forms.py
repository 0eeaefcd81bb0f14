from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from steerco.core.forms import PlainLabels


class ProjectExportForm(PlainLabels, forms.Form):
    file_format = forms.ChoiceField(
        label=_("File format"),
        choices=[("xlsx", _("Excel workbook (.xlsx)")), ("csv", _("CSV (.csv)"))],
        initial="xlsx",
    )
