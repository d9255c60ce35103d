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
DATE_MESSAGES = {
    "invalid": _("Enter a date as dd/mm/yyyy, for example 15/03/2026."),
    "required": _("Enter the date."),
}
TIME_MESSAGES = {
    "invalid": _("Enter a time as hh:mm, for example 19:30."),
    "required": _("Enter the time."),
}


def date_field(label, **kwargs) -> forms.DateField:
    widget = forms.DateInput(attrs={"type": "date", "class": "w-date"}, format="%Y-%m-%d")
    return _picked(forms.DateField, label, widget, DATE_FORMATS, DATE_MESSAGES, kwargs)


def time_field(label, **kwargs) -> forms.TimeField:
    widget = forms.TimeInput(attrs={"type": "time", "class": "w-date"}, format="%H:%M")
    return _picked(forms.TimeField, label, widget, TIME_FORMATS, TIME_MESSAGES, kwargs)


def _picked(field_class, label, widget, formats, messages, kwargs):
    messages = {**messages, **kwargs.pop("error_messages", {})}
    return field_class(
        label=label, input_formats=formats, widget=widget, error_messages=messages, **kwargs
    )


COUNT_MESSAGES = {
    "invalid": _("Enter a whole number."),
    "required": _("Enter a number."),
    "min_value": _("Enter a number (0 or more)."),
    "max_value": _("This number is too large."),
}


def count_field(label, *, required=True, help_text="") -> forms.IntegerField:
    """A count typed from a paper sheet (households represented, votes, ballots): a whole number
    from 0 to 100 000, on the phone's digit keyboard."""
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=100_000,
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "class": "w-date", "autocomplete": "off"}
        ),
        error_messages=COUNT_MESSAGES,
    )
