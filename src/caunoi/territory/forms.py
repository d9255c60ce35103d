from django import forms
from django.utils.translation import gettext_lazy as _


class AsOfForm(forms.Form):
    ngay = forms.DateField(
        label=_("As of"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text=_("dd/mm/yyyy: see the territory as it was on that day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date as dd/mm/yyyy, for example 13/06/2022.")},
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Province, commune or residential area"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "khu 3 dong xuan"}),
    )
