import datetime
from typing import TYPE_CHECKING, Any, TypedDict

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from caunoi.core.forms import date_field
from caunoi.core.pages import SubmissionForm
from caunoi.core.text import normalize
from caunoi.territory.forms import UploadField

from . import answering, xlsform
from .models import Form

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


OPENED_SALT = "surveys.answer.opened"


class _Common(TypedDict):
    """The keyword arguments every question's field gets."""

    label: str
    required: bool
    help_text: "StrOrPromise"


class AnswerForm(SubmissionForm):
    """The questions of a survey form as HTML fields. Every field is optional here: the answers
    are checked by `answering.clean_answers` (required, constraint, relevant) in the service, and
    its errors come back onto these fields."""

    OPENED = "opened_at"  # the hidden field saying when the page was first sent (signed)

    def __init__(self, survey: Form, lang: str, *args, named: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        # When the form was opened (the XLSForm metadata `start`), without script: the time the
        # page was first sent, signed so that it is the server's own.
        self.fields[self.OPENED] = forms.CharField(
            required=False,
            widget=forms.HiddenInput,
            initial=lambda: signing.dumps(timezone.now().isoformat(), salt=OPENED_SALT),
        )
        if named:
            self.fields["respondent_name"] = forms.CharField(
                label=_("Your name"), max_length=120, required=False
            )
        definition = survey.definition
        # The answers given so far pick the choices of cascading questions (choice_filter): the
        # page is sent once more to offer them, no script needed.
        so_far = answering.clean_answers(definition, self.raw(), lang)[0] if self.is_bound else {}
        notes: list[str] = []
        shown_groups: list[str] = []
        self.trailing_notes = notes
        for q in survey.questions:
            label = survey.text(q["label"], lang)
            hint = survey.text(q["hint"], lang) if q["hint"] else ""
            if q["required"]:
                label = f"{label} *"
            kind = q["type"]
            if kind == "note":
                notes.append(label)
                continue
            if kind == "calculate":
                continue
            common: _Common = {"label": label, "required": False, "help_text": hint}
            field: forms.Field
            if kind in ("select_one", "select_multiple"):
                offered = xlsform.choices_for(definition, q, so_far)
                choices = [(c["name"], survey.text(c["label"], lang)) for c in offered]
                if q.get("choice_filter"):
                    common["help_text"] = " ".join(
                        filter(
                            None,
                            [
                                hint,
                                str(
                                    _(
                                        "The answers here depend on your answers above; "
                                        "if none are shown, send the page to see them."
                                    )
                                )
                                if not choices
                                else "",
                            ],
                        )
                    )
                if kind == "select_one":
                    field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
                else:
                    field = forms.MultipleChoiceField(
                        choices=choices, widget=forms.CheckboxSelectMultiple, **common
                    )
            elif kind == "range":
                p = q["parameters"]
                values: list[tuple[str, str]] = []
                v = p["start"]
                while v <= p["end"] + 1e-9 and len(values) < 50:
                    text = str(int(v)) if float(v).is_integer() else str(v)
                    values.append((text, text))
                    v += p["step"] or 1
                field = forms.ChoiceField(choices=values, widget=forms.RadioSelect, **common)
            elif kind in ("integer", "decimal"):
                mode = "numeric" if kind == "integer" else "decimal"
                field = forms.CharField(
                    max_length=20,
                    widget=forms.TextInput(attrs={"inputmode": mode, "class": "w-code"}),
                    **common,
                )
            elif kind == "date":
                dated: _Common = {**common, "help_text": hint or _("dd/mm/yyyy")}
                field = forms.CharField(
                    max_length=10,
                    widget=forms.TextInput(attrs={"class": "w-date", "placeholder": "dd/mm/yyyy"}),
                    **dated,
                )
            else:
                field = forms.CharField(
                    max_length=1000, widget=forms.Textarea(attrs={"rows": 3}), **common
                )
            # What the page shows before this field: the sections it enters, the notes since the
            # last field.
            sections = []
            for depth, group_name in enumerate(q.get("groups", [])):
                if depth < len(shown_groups) and shown_groups[depth] == group_name:
                    continue
                group = xlsform.group_of(definition, group_name)
                if group:
                    sections.append((depth + 2, survey.text(group["label"], lang)))
            shown_groups = list(q.get("groups", []))
            setattr(field, "sections", sections)  # noqa: B010 - read by the template
            setattr(field, "notes", notes)  # noqa: B010
            notes = []
            self.trailing_notes = notes
            self.fields[q["name"]] = field

    def raw(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for q in self.survey.questions:
            if q["type"] == "select_multiple":
                # Bound to a request's POST (a QueryDict), or unbound (an empty MultiValueDict).
                if not isinstance(self.data, MultiValueDict):
                    raise TypeError("AnswerForm reads its answers from a QueryDict")
                data[q["name"]] = self.data.getlist(self.add_prefix(q["name"]))
            else:
                data[q["name"]] = self.data.get(self.add_prefix(q["name"]), "")
        return data

    def opened_time(self) -> datetime.datetime | None:
        """When the page with this form was first sent, or None (missing, altered)."""
        value = self.data.get(self.add_prefix(self.OPENED), "") if self.is_bound else ""
        try:
            return datetime.datetime.fromisoformat(signing.loads(value, salt=OPENED_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            return None

    def add_errors(self, errors: dict) -> None:
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your one-time code"),
        help_text=_("The 12 digits on the slip from your residential area."),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "class": "w-phone"}
        ),
        error_messages={"required": _("Write the code from your slip.")},
    )


class PaperForm(SubmissionForm):
    """The head of a paper sheet. On the page its fields carry the prefix "p" (questions may be
    named "code" or "area"), but not its one-time key, which `{% submission_key %}` names."""

    sheet = forms.CharField(
        label=_("Sheet number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={"class": "w-code", "autofocus": True, "inputmode": "numeric"}
        ),
    )
    area = forms.CharField(
        label=_("Residential area code"),
        help_text=_("As printed on the sheet, e.g. 08119-03."),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"class": "w-phone"}),
    )
    code = forms.CharField(
        label=_("One-time code on the sheet (if any)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "w-phone"}),
    )

    def add_prefix(self, field_name: str) -> str:
        return field_name if field_name == "submission" else super().add_prefix(field_name)


class CampaignForm(SubmissionForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    form = forms.ModelChoiceField(
        label=_("Survey form"), queryset=Form.objects.all(), empty_label=None
    )
    start = date_field(_("From"))
    end = date_field(_("Until (inclusive)"))
    target = forms.IntegerField(label=_("Target number of responses"), min_value=0, initial=0)
    min_per_area = forms.IntegerField(
        label=_("At least this many responses in each residential area"), min_value=0, initial=1
    )
    named = forms.BooleanField(
        label=_("Named consultation (respondents give their name)"), required=False
    )
    double_entry = forms.BooleanField(
        label=_("Paper sheets are typed twice and compared"), required=False
    )

    def clean_title(self):
        return normalize(self.cleaned_data["title"]).strip()

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The campaign must end on or after its first day."))
        return data


class FileForm(SubmissionForm):
    file = UploadField(
        label=_("File"),
        error_messages={"required": _("Choose a file."), "empty": _("The file is empty.")},
    )
