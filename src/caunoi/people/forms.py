from django import forms
from django.utils.translation import gettext_lazy as _

from caunoi.core.forms import DATE_FORMATS
from caunoi.core.money import parse_vnd
from caunoi.core.pages import SubmissionForm
from caunoi.core.phones import normalize_phone
from caunoi.core.text import normalize
from caunoi.people.access import APPOINTABLE, Access
from caunoi.territory.models import Unit

from .models import (
    ROLE_LEVEL,
    AreaCategory,
    Education,
    PoliticalTheory,
    Post,
    Qualification,
    Role,
    Sex,
    TermState,
)

DATE_ERROR = _("Enter a date as dd/mm/yyyy, for example 13/06/2022.")


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Phone number"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "class": "w-phone"}
            ),
        )
        kwargs.setdefault(
            "error_messages",
            {
                "required": _("Enter your phone number."),
                "max_length": _("A phone number has 10 digits, for example 0912 345 678."),
            },
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return normalize_phone(value) if value else value


class DateField(forms.DateField):
    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault("error_messages", {"invalid": DATE_ERROR})
        kwargs.setdefault("help_text", _("dd/mm/yyyy"))
        kwargs.setdefault(
            "widget",
            forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric", "class": "w-date"}),
        )
        super().__init__(**kwargs)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class AppointForm(SubmissionForm):
    """Appoint someone on the ground (the unit of the page or one of its direct children). Only
    the places and roles the actor may appoint are offered (the door's check: `Access`)."""

    unit = UnitChoiceField(label=_("Place"), queryset=None, empty_label=None)
    role = forms.ChoiceField(label=_("Role"))
    phone = PhoneField(help_text=_("If nobody has this number yet, a new person is added."))
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=120,
        required=False,
        help_text=_("Needed when the phone number is new."),
        error_messages={"max_length": _("A name has at most 120 characters.")},
    )
    start = DateField(label=_("From"))
    decision_number = forms.CharField(
        label=_("Decision number"),
        max_length=80,
        required=False,
        help_text=_("For example 12/QĐ-UBND"),
    )
    decision_date = DateField(label=_("Decision date"), required=False)

    def __init__(self, *args, actor, units: list[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.access = Access.for_user(actor)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = Unit.objects.filter(pk__in=[u.pk for u in units]).order_by(
            "level", "code"
        )
        levels = {u.level for u in units}
        roles = set()
        for grant in self.access.grants:
            roles |= set(APPOINTABLE.get(grant.role, ()))
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [
            (value, label)
            for value, label in Role.choices
            if value in roles and ROLE_LEVEL.get(Role(value)) in levels
        ]

    def clean_full_name(self):
        return normalize(self.cleaned_data["full_name"])

    def clean_decision_number(self):
        return normalize(self.cleaned_data["decision_number"])

    def clean(self):
        data = super().clean()
        unit, role = data.get("unit"), data.get("role")
        if unit is not None and role:
            if ROLE_LEVEL.get(Role(role)) != unit.level:
                self.add_error(
                    "role", _("This role is held on another level. Choose another place or role.")
                )
            elif not self.access.may_appoint(role, unit):
                self.add_error("role", _("You cannot appoint this role on this place."))
        return data


class EndMandateForm(SubmissionForm):
    end = DateField(
        label=_("End date"),
        help_text=_("dd/mm/yyyy: the first day the person no longer holds the role"),
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean_note(self):
        return normalize(self.cleaned_data["note"])


# --- The head register ----------------------------------------------------------------------------


class HeadProfileForm(SubmissionForm):
    """A head's or deputy's profile and term, kept by the commune."""

    term_state = forms.ChoiceField(
        label=_("How the post is held"), choices=[("", "—"), *TermState.choices], required=False
    )
    term_end = DateField(
        label=_("Term ends"),
        required=False,
        help_text=_("dd/mm/yyyy; empty: the election date plus the province's term"),
    )
    extension_number = forms.CharField(
        label=_("Extension decision number"), max_length=80, required=False
    )
    extension_date = DateField(label=_("Extension decision date"), required=False)
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "w-code"}),
        error_messages={"invalid": _("Enter the year as 4 digits, for example 1958.")},
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False)
    party_member = forms.BooleanField(label=_("Party member"), required=False)
    party_cell_secretary = forms.BooleanField(label=_("Also party-cell secretary"), required=False)
    front_head = forms.BooleanField(label=_("Also head of the Front committee"), required=False)
    other_posts = forms.CharField(label=_("Other concurrent posts"), max_length=200, required=False)
    education = forms.ChoiceField(
        label=_("General education"), choices=[("", "—"), *Education.choices], required=False
    )
    qualification = forms.ChoiceField(
        label=_("Professional qualification"),
        choices=[("", "—"), *Qualification.choices],
        required=False,
    )
    political_theory = forms.ChoiceField(
        label=_("Political theory"), choices=[("", "—"), *PoliticalTheory.choices], required=False
    )
    phone_public = forms.BooleanField(
        label=_("Agrees to show the phone number on the area's public page"), required=False
    )


class TrainingForm(SubmissionForm):
    course = forms.CharField(label=_("Course"), max_length=200)
    provider = forms.CharField(
        label=_("Provider"), max_length=200, help_text=_("e.g. the provincial Political School")
    )
    start = DateField(label=_("From"))
    end = DateField(label=_("Until"), required=False)
    result = forms.CharField(label=_("Result"), max_length=100, required=False)


class AllowanceRateForm(SubmissionForm):
    effective_from = DateField(label=_("In effect from"))
    area_category = forms.ChoiceField(label=_("Area category"), choices=AreaCategory.choices)
    post = forms.ChoiceField(label=_("Post"), choices=Post.choices)
    concurrent = forms.BooleanField(label=_("Holding another paid post too"), required=False)
    amount = forms.CharField(
        label=_("Monthly amount (đồng)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "w-phone"}),
        error_messages={
            "required": _("Enter the amount in đồng."),
            "max_length": _("Enter the amount as a number of đồng."),
        },
    )
    basis = forms.CharField(
        label=_("Legal basis"), max_length=200, help_text=_("e.g. Nghị quyết 17/2023/NQ-HĐND")
    )

    def clean_amount(self):
        # "1.500.000", "1500000 đ" (typed in NFC or NFD); "1,5" is refused, not read as 15
        return parse_vnd(normalize(self.cleaned_data["amount"]))
