from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from caunoi.core.forms import date_field
from caunoi.core.money import parse_vnd
from caunoi.core.pages import SubmissionForm
from caunoi.core.text import normalize
from caunoi.meetings import forms as meeting_forms
from caunoi.territory import selectors as territory_selectors

from . import selectors
from .models import Campaign, Contribution, Decision, Fund

# caunoi.core.money's messages, kept in this app's catalogue too (the funds show them first).
MONEY_MESSAGES = [
    _("Enter the amount in đồng."),
    _("Enter the amount as a number of đồng."),
    _("Enter a whole number of đồng (no decimals)."),
    _("Enter an amount greater than 0."),
    _("The amount is too large: at most %(max)s."),
]


class MoneyField(forms.CharField):
    """Whole đồng typed with or without dots: "1.250.000" and "1250000" both work."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "class": "w-date"})
        )
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("help_text", _("In đồng, for example 200.000"))
        super().__init__(**kwargs)
        self.error_messages["max_length"] = _("Enter the amount as a number of đồng.")
        self.error_messages["required"] = _("Enter the amount in đồng.")

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            if self.required:
                raise ValidationError(_("Enter the amount in đồng."), code="required")
            return None
        return parse_vnd(value)


class NumberField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 100_000)
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "numeric", "class": "w-date"})
        )
        super().__init__(**kwargs)
        self.error_messages.update(
            invalid=_("Enter a whole number."), required=_("Enter a number.")
        )


class DecisionForm(SubmissionForm):
    number = forms.CharField(label=_("Number"), max_length=40, help_text=_("For example 01/NQ-KDC"))
    date = date_field(_("Date"))
    method = forms.ChoiceField(
        label=_("How the residents decided"),
        choices=Decision.Method.choices,
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(
        label=_("What was decided"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    households_in_favour = NumberField(label=_("Households in favour"))
    households_total = NumberField(label=_("Households in the area"), min_value=1)

    def clean_number(self):
        return normalize(self.cleaned_data["number"])


class MeetingDecisionForm(SubmissionForm):
    item_pk = meeting_forms.decision_field()

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item_pk"].choices = meeting_forms.decision_choices(items)


class AreaDecisionForm(SubmissionForm):
    """A form whose `decision` is one of the area's residents' decisions (the area given as
    `area=`)."""

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = Decision.objects.filter(area=area)


class FundForm(AreaDecisionForm):
    name = forms.CharField(
        label=_("Name of the fund"), max_length=120, help_text=_("For example Quỹ khuyến học")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Fund.Kind.choices)
    purpose = forms.CharField(
        label=_("Purpose"), max_length=400, widget=forms.Textarea(attrs={"rows": 3})
    )
    decision = forms.ModelChoiceField(
        label=_("The residents' decision that created it"),
        queryset=Decision.objects.none(),
        required=False,
        empty_label=_("— none yet —"),
    )
    bank_bin = forms.CharField(
        label=_("Bank code (NAPAS BIN)"),
        max_length=6,
        required=False,
        help_text=_("6 digits, for example 970405 for Agribank; leave empty for cash only"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "w-date"}),
    )
    bank_name = forms.CharField(label=_("Bank"), max_length=60, required=False)
    bank_account = forms.CharField(
        label=_("Account number"),
        max_length=19,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    bank_account_name = forms.CharField(label=_("Account holder"), max_length=60, required=False)


class CampaignForm(AreaDecisionForm):
    name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("For example Đóng góp năm 2026")
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=Campaign.Level.choices, widget=forms.RadioSelect
    )
    amount = MoneyField(
        label=_("Amount per household or per person"),
        required=False,
        help_text=_("In đồng; leave empty for a voluntary campaign"),
    )
    start = date_field(_("From"))
    end = date_field(_("Until"))
    decision = forms.ModelChoiceField(
        label=_("The residents' decision"),
        queryset=Decision.objects.none(),
        error_messages={"required": _("A contribution needs the residents' decision behind it.")},
    )


class ExemptionForm(SubmissionForm):
    household = forms.CharField(label=_("Household code"), max_length=32)
    reason = forms.CharField(
        label=_("Reason"), max_length=200, help_text=_("For example: poor household (list of 2026)")
    )


class HouseholdInput(forms.TextInput):
    """A text box with the area's households as native suggestions (a `<datalist>`: the phone
    offers them as one types, no script needed)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions: list[tuple[str, str]] = []

    def render(self, name, value, attrs=None, renderer=None):
        list_id = f"{(attrs or {}).get('id') or name}-list"
        self.attrs["list"] = list_id
        options = format_html_join(
            "", '<option value="{}">{}</option>', ((c, label) for c, label in self.suggestions)
        )
        html = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}">{}</datalist>', html, list_id, options)


class ContributionForm(SubmissionForm):
    household = forms.CharField(
        label=_("Household"),
        max_length=120,
        help_text=_("Type the house number, the name of the representative or the household code"),
        widget=HouseholdInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Type the house number, a name or the household code.")},
    )
    amount = MoneyField(label=_("Amount"))
    method = forms.ChoiceField(
        label=_("Paid by"),
        choices=Contribution.Method.choices,
        widget=forms.RadioSelect,
        initial=Contribution.Method.CASH,
    )
    paid_on = date_field(_("Date paid"))
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("— voluntary, no campaign —"),
    )

    def __init__(self, *args, fund, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = fund.area
        self.fields["campaign"].queryset = Campaign.objects.filter(fund=fund)
        self.fields["household"].widget.suggestions = selectors.household_choices(area=fund.area)
        self.fields["paid_on"].initial = timezone.localdate
        self.fields["campaign"].initial = selectors.campaign_open(fund=fund)

    def clean_household(self):
        """The one household meant, by code, house number or name; several: say which."""
        typed = normalize(self.cleaned_data["household"])
        found = territory_selectors.household_find(area=self.area, query=typed)
        if not found:
            raise ValidationError(
                _("No household of this area matches “%(typed)s”. Check the house number or name.")
                % {"typed": typed}
            )
        if len(found) > 1:
            names = "; ".join(
                f"{h.code} ({' · '.join(filter(None, [h.address, h.representative_name]))})"
                for h in found
            )
            raise ValidationError(
                _("Several households match: %(names)s. Type the household code.")
                % {"names": names}
            )
        return found[0]


class IncomeForm(SubmissionForm):
    amount = MoneyField(label=_("Amount"))
    source = forms.CharField(
        label=_("From whom, and what for"),
        max_length=300,
        help_text=_("For example: Công ty Hùng Vương tài trợ phần thưởng học sinh giỏi"),
    )
    received_on = date_field(_("Date received"))


class ExpenseForm(AreaDecisionForm):
    amount = MoneyField(label=_("Amount"))
    payee = forms.CharField(label=_("Paid to"), max_length=120)
    purpose = forms.CharField(
        label=_("What for"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    spent_on = date_field(_("Date"))
    decision = forms.ModelChoiceField(
        label=_("The residents' decision that authorises it"),
        queryset=Decision.objects.none(),
        required=False,
        empty_label=_("— none —"),
    )
    invoice = forms.FileField(
        label=_("Photo of the invoice or receipt"),
        required=False,
        help_text=_("A photo (JPEG, PNG) or a PDF. Location data in the photo is removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )


class ApproveForm(SubmissionForm):
    """Nothing to fill in: the one-time key, so a double click approves once."""


class RejectForm(SubmissionForm):
    reason = forms.CharField(
        label=_("Why is it rejected?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the reason: residents will read it.")},
    )


class ReverseForm(SubmissionForm):
    reason = forms.CharField(
        label=_("What was wrong?"),
        max_length=250,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The entry stays in the ledger; a correcting entry with the opposite amount is added."
        ),
        error_messages={"required": _("Write what was wrong: residents will read it.")},
    )


class PeriodForm(forms.Form):
    ky = forms.ChoiceField(
        label=_("Period"),
        choices=[("month", _("Month")), ("quarter", _("Quarter")), ("half", _("Six months"))],
    )
    nam = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "w-date"}),
    )
    so = forms.IntegerField(
        label=_("Number"),
        min_value=1,
        max_value=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "w-date"}),
    )


class CoverForm(SubmissionForm):
    cells = forms.TypedMultipleChoiceField(
        label=_("Cells to cover on the public copy"),
        choices=[(i, str(i)) for i in range(1, 17)],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "cells"}),
        error_messages={"invalid_choice": _("Choose cells between 1 and 16.")},
        help_text=_(
            "Tick the cells that show an ID number, a phone number or a signature. Residents see "
            "them blacked out; the inspection board and the commune see the original."
        ),
    )
