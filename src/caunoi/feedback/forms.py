"""Forms of the feedback pages; every form that writes carries a one-time key (SubmissionForm)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from caunoi.core.pages import SubmissionForm
from caunoi.people.forms import PhoneField

from . import policy
from .models import Kind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleImageField, self).clean(f, initial) for f in files]


def _text_area(rows=5):
    return forms.Textarea(attrs={"rows": rows})


def _category_field(label) -> forms.ModelChoiceField:
    """One of the commune's categories (the form sets the queryset)."""
    return forms.ModelChoiceField(
        label=label,
        queryset=None,
        empty_label=_("Choose a category"),
        error_messages={
            "required": _("Choose a category."),
            "invalid_choice": _("Choose a category."),
        },
    )


class AskForm(SubmissionForm):
    kind = forms.ChoiceField(
        label=_("What is it?"),
        choices=Kind.choices,
        initial=Kind.QUESTION,
        widget=forms.RadioSelect,
    )
    category = _category_field(pgettext_lazy("question", "Category"))
    text = forms.CharField(
        label=_("Your question or report"),
        help_text=_("Say what happened, where and since when."),
        widget=_text_area(6),
        required=False,
        strip=False,
    )
    place = forms.CharField(
        label=_("Place (optional)"),
        help_text=_("A landmark or an address, for example: the lane behind the cultural house."),
        required=False,
        max_length=200,
        error_messages={"max_length": _("Describe the place in at most 200 characters.")},
    )
    photos = MultipleImageField(
        label=_("Photos (optional, at most 3)"),
        help_text=_("The location stored in photos is removed."),
        required=False,
    )
    public = forms.BooleanField(
        label=_("The answer may be shown publicly, without my name or phone number"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        self.fields["text"].widget.attrs["maxlength"] = policy.MAX_TEXT.value


class ContactForm(forms.Form):
    """Asking without an account: who you are, then a one-time code to that phone."""

    full_name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        error_messages={"required": _("Write your name.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = PhoneField(label=_("Phone number"))


class RecordForm(AskForm):
    """A head records a question for a resident (from a meeting or a visit)."""

    full_name = forms.CharField(
        label=_("Resident's name"),
        max_length=120,
        error_messages={"required": _("Write the resident's name.")},
    )
    phone = PhoneField(label=_("Resident's phone number"))

    field_order = ["full_name", "phone"]


class NoteForm(SubmissionForm):
    note = forms.CharField(
        label=_("What the commune should know (optional)"),
        required=False,
        widget=_text_area(3),
    )


class ReturnForm(SubmissionForm):
    note = forms.CharField(
        label=_("Why it goes back to the head, and what to do"),
        required=False,
        widget=_text_area(3),
    )


class ForwardForm(SubmissionForm):
    category = _category_field(_("Category (department) to pass it to"))
    note = forms.CharField(label=_("Note (optional)"), required=False, widget=_text_area(3))

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class PublicTextForm(SubmissionForm):
    """The text the public version of a question is made from, and which of the pieces the
    masking found (`found`: `core.redact.Masked`) to show as written all the same."""

    public_text = forms.CharField(
        label=_("The question as shown publicly"),
        help_text=_(
            "Names of the area's residents, phone, ID-card and house numbers and e-mail "
            "addresses are masked when published. Also remove licence plates and anything "
            "else personal."
        ),
        required=False,
        widget=_text_area(4),
        strip=False,
    )
    keep = forms.MultipleChoiceField(
        label=_("Masked by mistake? Tick what may be shown as written"),
        help_text=_("For example a street or a temple named after a person."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, found=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices: dict[str, str] = {}
        for piece in found:
            choices.setdefault(piece.text, f"{piece.text} ({piece.kind_label})")
        self.fields["keep"].choices = list(choices.items())
        if not choices:
            del self.fields["keep"]


class AnswerForm(PublicTextForm):
    answer = forms.CharField(
        label=_("Your answer"), required=False, widget=_text_area(6), strip=False
    )

    field_order = ["answer", "public_text", "keep"]


class ConfirmForm(SubmissionForm):
    resolved = forms.TypedChoiceField(
        label=_("Has it been resolved?"),
        choices=[("yes", _("Yes, it is resolved")), ("no", _("No, not yet"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    reason = forms.CharField(
        label=_("If not: what is still not resolved?"), required=False, widget=_text_area(3)
    )


class HideForm(SubmissionForm):
    reason = forms.CharField(
        label=_("Why hide it?"),
        help_text=_("For example: insults, or someone's private data. Kept in the change log."),
        required=False,
        max_length=300,
    )


class PublishForm(PublicTextForm):
    faq = forms.BooleanField(label=_("Show among the frequently asked questions"), required=False)
    hidden_photos = forms.MultipleChoiceField(
        label=_("Photos not to show publicly (faces, licence plates)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, photos=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hidden_photos"].choices = [
            (str(p.pk), _("Photo %(n)d") % {"n": i}) for i, p in enumerate(photos, 1)
        ]
        if not photos:
            del self.fields["hidden_photos"]


class CategoryForm(SubmissionForm):
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    handler = forms.CharField(
        label=_("Department or officer at the commune"), max_length=120, required=False
    )
    head_days = forms.IntegerField(
        label=_("Working days for the head"),
        min_value=1,
        max_value=60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    commune_days = forms.IntegerField(
        label=_("Working days for the commune"),
        min_value=1,
        max_value=90,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the answers"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
