from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from caunoi.core.pages import SubmissionForm
from caunoi.people.forms import DateField

from .models import Category


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one input; each is checked by content in the service."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(FilesField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class DirectiveForm(SubmissionForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Write a short title.")},
    )
    body = forms.CharField(
        label=_("What the heads must do"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write what the heads must do.")},
    )
    # No category is preselected: the first one would file every hurried task under it.
    category = forms.ChoiceField(
        label=pgettext_lazy("task", "Category"),
        choices=[("", _("Choose the kind of task")), *Category.choices],
        error_messages={"required": _("Choose the kind of task.")},
    )
    source_number = forms.CharField(
        label=_("Source document number"),
        max_length=80,
        required=False,
        help_text=_("If the task carries out a document, e.g. Số 123/UBND-VP"),
    )
    due_date = DateField(
        label=_("Due date"),
        error_messages={"required": _("Enter the due date as dd/mm/yyyy.")},
    )
    all_areas = forms.BooleanField(label=_("All residential areas of the commune"), required=False)
    areas = forms.TypedMultipleChoiceField(
        label=_("Or chosen residential areas"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("%(value)s is not a current residential area of this commune.")
        },
    )
    # A field named like BaseForm.files: Django's metaclass moves it to base_fields.
    files = FilesField(  # type: ignore[assignment]
        label=_("Attachments"),
        help_text=_("PDF, Word, Excel or photos; at most 10 files."),
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = [(a.pk, a.name) for a in areas]

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("The due date has passed. Choose today or a later day."))
        return due

    def clean(self):
        data = super().clean()
        if not data.get("all_areas") and not data.get("areas") and "areas" not in self.errors:
            self.add_error("areas", _("Choose at least one residential area, or all of them."))
        return data


class SendForm(SubmissionForm):
    reason = forms.CharField(
        label=_("Why it must go now"),
        max_length=300,
        required=False,
        help_text=_(
            "Required when the task is rushed or a head already has too much open, "
            "e.g. “bão số 3 — khẩn”. Stored with the task."
        ),
    )


class AmendForm(SubmissionForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("What the heads must do"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    due_date = DateField(label=_("Due date"))
    note = forms.CharField(
        label=_("What changed and why"),
        max_length=300,
        required=False,
        help_text=_("The heads see this with the changes."),
    )

    def __init__(self, *args, directive, **kwargs):
        """Starts from the directive as it stands."""
        kwargs["initial"] = {f: getattr(directive, f) for f in ("title", "body", "due_date")}
        super().__init__(*args, **kwargs)


class WithdrawForm(SubmissionForm):
    reason = forms.CharField(
        label=_("Why the task is withdrawn"),
        max_length=300,
        error_messages={"required": _("Say why the task is withdrawn; the heads will see it.")},
    )


class ProgressForm(SubmissionForm):
    percent = forms.IntegerField(
        label=_("How far along (%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "w-code"}),
        error_messages={
            "required": _("Enter a whole number from 0 to 100."),
            "invalid": _("Enter a whole number from 0 to 100."),
            "min_value": _("Enter a whole number from 0 to 100."),
            "max_value": _("Enter a whole number from 0 to 100."),
        },
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CompleteForm(SubmissionForm):
    note = forms.CharField(
        label=_("What was done"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write in a few words what was done.")},
    )
    households_reached = forms.IntegerField(
        label=_("Households reached"),
        min_value=0,
        max_value=100000,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "w-code"}),
        error_messages={
            "invalid": _("Enter a whole number of households, or leave it empty."),
            "min_value": _("Enter a whole number of households, or leave it empty."),
            "max_value": _("Enter a whole number of households, or leave it empty."),
        },
    )
    files = FilesField(  # type: ignore[assignment]  # see DirectiveForm.files
        label=_("Photos or files"), help_text=_("Optional; at most 10 files.")
    )


class DeclineForm(SubmissionForm):
    reason = forms.CharField(
        label=_("Why it cannot be done"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say why the task cannot be done.")},
    )


class YearForm(forms.Form):
    nam = forms.IntegerField(min_value=2000, max_value=2100, required=False)
    xep = forms.ChoiceField(
        required=False,
        choices=[(k, k) for k in ("rushed", "lead", "peak", "bursts", "completion", "name")],
    )
