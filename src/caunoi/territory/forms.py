from django import forms
from django.utils.translation import gettext_lazy as _

from caunoi.core.forms import date_field
from caunoi.core.pages import SubmissionForm
from caunoi.core.phones import normalize_phone
from caunoi.core.text import normalize

from .importers import BadMappingLine, parse_mapping
from .models import AreaType
from .services import Decision


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


MAX_UPLOAD = 10 * 1024 * 1024


class UploadField(forms.FileField):
    def clean(self, data, initial=None):
        f = super().clean(data, initial)
        if f and f.size > MAX_UPLOAD:
            raise forms.ValidationError(
                _("The file is too large (at most 10 MB). Split it into smaller files.")
            )
        return f


def _text(value: str) -> str:
    return normalize(value)


class DecisionFields(SubmissionForm):
    effective_date = date_field(
        _("Effective date"), help_text=_("The day the change takes effect, dd/mm/yyyy")
    )
    decision_number = forms.CharField(
        label=_("Decision number"),
        max_length=80,
        required=False,
        help_text=_("For example 1676/NQ-UBTVQH15 or 25/QĐ-UBND"),
    )
    decision_date = date_field(_("Decision date"), required=False)

    def clean_decision_number(self):
        return _text(self.cleaned_data["decision_number"])

    def decision(self):
        return Decision(
            effective_date=self.cleaned_data["effective_date"],
            number=self.cleaned_data.get("decision_number", ""),
            date=self.cleaned_data.get("decision_date"),
        )


class TemplateUploadForm(SubmissionForm):
    file = UploadField(
        label=_("Filled-in template (.xlsx)"),
        help_text=_("The Excel file downloaded from this page, with your areas and households."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class UnitsUploadForm(SubmissionForm):
    file = UploadField(
        label=_("List of units"),
        help_text=_(
            "The JSON of the vietnam-provinces package, or the GSO's Excel list (.xlsx). "
            "Only this province is read from it."
        ),
    )
    mapping = UploadField(
        label=_("Changes to the mapping (optional)"),
        required=False,
        help_text=_(
            "Without a file, former communes go where the data of the 2025 reform says "
            "(vietnamadminunits). A CSV file changes it line by line: old commune code,new "
            "commune code; or a residential area's code,new commune code."
        ),
    )
    effective_date = date_field(
        _("Effective date"),
        required=False,
        help_text=_("Needed when the list changes existing units: the day the changes took effect"),
    )
    decision_number = forms.CharField(label=_("Decision number"), max_length=80, required=False)
    decision_date = date_field(_("Decision date"), required=False)

    def clean_decision_number(self):
        return _text(self.cleaned_data["decision_number"])

    def decision(self) -> Decision | None:
        """The act ordering the changes the list holds (None without an effective date)."""
        if not self.cleaned_data.get("effective_date"):
            return None
        return Decision(
            effective_date=self.cleaned_data["effective_date"],
            number=self.cleaned_data.get("decision_number", ""),
            date=self.cleaned_data.get("decision_date"),
        )

    def clean_mapping(self):
        f = self.cleaned_data.get("mapping")
        if not f:
            return None
        try:
            text = f.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("The merges file must be a CSV text file.")) from exc
        try:
            return parse_mapping(text)
        except BadMappingLine as exc:
            raise forms.ValidationError(
                _("Line %(n)d of the merges file must be: old code,new code.") % {"n": exc.line}
            ) from exc

    def clean(self):
        data = super().clean()
        if (data.get("decision_number") or data.get("decision_date")) and not data.get(
            "effective_date"
        ):
            self.add_error("effective_date", _("Enter the day the decision took effect."))
        return data


def area_type_field():
    return forms.ChoiceField(
        label=_("Type"),
        choices=AreaType.choices,
        help_text=_("What the area is called: Khu, Thôn, Xóm, Bản, Tổ dân phố…"),
    )


class AreaForm(SubmissionForm):
    area_type = area_type_field()
    name = forms.CharField(
        label=_("Name or number"),
        max_length=80,
        help_text=_("For example 3 (for Khu 3) or Đồng Lạng (for Thôn Đồng Lạng)"),
    )

    def clean_name(self):
        value = _text(self.cleaned_data["name"])
        if not value:
            raise forms.ValidationError(_("Write the area's name or number."))
        return value


class AreaRenameForm(DecisionFields):
    area_type = area_type_field()
    name = forms.CharField(label=_("New name or number"), max_length=80)
    correction = forms.BooleanField(
        label=_("It is only a typing mistake (correct the name, no decision)"), required=False
    )
    field_order = [
        "area_type",
        "name",
        "correction",
        "effective_date",
        "decision_number",
        "decision_date",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_date"].required = False

    def clean_name(self):
        value = _text(self.cleaned_data["name"])
        if not value:
            raise forms.ValidationError(_("Write the area's name or number."))
        return value

    def clean(self):
        data = super().clean()
        if (
            not data.get("correction")
            and not data.get("effective_date")
            and not self.has_error("effective_date")
        ):
            self.add_error("effective_date", _("Enter the day the new name takes effect."))
        return data


class AreasMergeForm(DecisionFields):
    areas = forms.MultipleChoiceField(
        label=_("Areas to merge"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick two or more."),
        error_messages={"required": _("Tick the areas to merge.")},
    )
    keeper = forms.ChoiceField(
        label=_("The merged area keeps the code of"),
        widget=forms.RadioSelect,
        help_text=_("Usually the area whose meeting place the merged area keeps."),
        error_messages={"required": _("Choose the area whose code is kept.")},
    )
    area_type = area_type_field()
    name = forms.CharField(
        label=_("Name or number of the merged area"),
        max_length=80,
        required=False,
        help_text=_("Leave empty to keep the name of the area chosen above."),
    )
    field_order = [
        "areas",
        "keeper",
        "area_type",
        "name",
        "effective_date",
        "decision_number",
        "decision_date",
    ]

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(a.code, a.name) for a in areas]
        self.fields["areas"].choices = choices
        self.fields["keeper"].choices = choices
        self.fields["area_type"].required = False
        self.fields["area_type"].choices = [
            ("", _("Keep the type of the area chosen above")),
            *self.fields["area_type"].choices,
        ]
        self.areas_by_code = {a.code: a for a in areas}

    def clean_name(self):
        return _text(self.cleaned_data["name"])

    def clean(self):
        data = super().clean()
        chosen = data.get("areas") or []
        if "areas" in data and len(chosen) < 2:
            self.add_error("areas", _("Tick at least two areas."))
        keeper = data.get("keeper")
        if keeper and chosen and keeper not in chosen:
            self.add_error("keeper", _("The area whose code is kept must be one of those ticked."))
        return data


class HouseholdForm(SubmissionForm):
    representative_name = forms.CharField(
        label=_("Head of household"),
        max_length=120,
        error_messages={"required": _("Write the name of the head of household.")},
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=200,
        required=False,
        help_text=_("House number and lane, for example Số 12, ngõ 3"),
    )
    representative_phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        required=False,
        help_text=_("Optional. Used to send notices to the household."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "class": "w-phone"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=120,
        required=False,
        help_text=_("Optional. Used where the community chose e-mail for notices."),
        error_messages={"invalid": _("Write an e-mail address such as ten@example.com.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    members = forms.IntegerField(
        label=_("Number of members"),
        min_value=1,
        max_value=99,
        initial=1,
        error_messages={
            "required": _("Write the number of members, from 1 to 99."),
            "invalid": _("Write the number of members, from 1 to 99."),
            "min_value": _("Write the number of members, from 1 to 99."),
            "max_value": _("Write the number of members, from 1 to 99."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "w-code"}),
    )

    def clean_representative_name(self):
        return _text(self.cleaned_data["representative_name"])

    def clean_address(self):
        return _text(self.cleaned_data["address"])

    def clean_representative_phone(self):
        value = self.cleaned_data["representative_phone"]
        return normalize_phone(value) if value.strip() else ""

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()
