"""Form fields every app asks for the same way: a date and a time of day, in the browser's own
picker (which sends yyyy-mm-dd and hh:mm), typed by hand (dd/mm/yyyy, 19h30) also understood.

    decided_on = date_field(_("Date of the decision"))
    ends_on = date_field(_("Shown until"), required=False)
    at = time_field(_("Time of the meeting"))

Any other `forms.DateField` / `TimeField` argument passes through; `error_messages` given are
added to (or replace) the ones here.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
TIME_FORMATS = ["%H:%M", "%Hh%M", "%H:%M:%S"]


def date_field(label, **kwargs) -> forms.DateField:
    messages = {
        "invalid": _("Enter a date as dd/mm/yyyy, for example 15/03/2026."),
        "required": _("Enter the date."),
        **kwargs.pop("error_messages", {}),
    }
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date", "class": "w-date"}, format="%Y-%m-%d"),
        error_messages=messages,
        **kwargs,
    )


def time_field(label, **kwargs) -> forms.TimeField:
    messages = {
        "invalid": _("Enter a time as hh:mm, for example 19:30."),
        "required": _("Enter the time."),
        **kwargs.pop("error_messages", {}),
    }
    return forms.TimeField(
        label=label,
        input_formats=TIME_FORMATS,
        widget=forms.TimeInput(attrs={"type": "time", "class": "w-date"}, format="%H:%M"),
        error_messages=messages,
        **kwargs,
    )
