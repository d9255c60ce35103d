from django import forms
from django.utils.translation import gettext_lazy as _

from caunoi.core.forms import date_field
from caunoi.core.pages import SubmissionForm
from caunoi.meetings import forms as meeting_forms

from .models import Acknowledgement, Category, Channel, NoticeAudio


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class NoticeForm(SubmissionForm):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Write a title.")},
    )
    body = forms.CharField(
        label=_("Text of the notice"),
        max_length=5000,
        help_text=_("Plain text; an empty line starts a new paragraph."),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write the text of the notice.")},
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    areas = forms.MultipleChoiceField(
        label=_("Residential areas"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to send to every residential area of the commune."),
    )
    is_public = forms.TypedChoiceField(
        label=_("Who may read it"),
        choices=[
            ("1", _("Public: anyone may read it on the area's page")),
            ("0", _("Only the households it is sent to")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
        required=False,
        # The stubs allow only str | None; Django takes any value for "empty".
        empty_value=True,  # type: ignore[arg-type]
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        help_text=_("Leave empty to publish now."),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={
            "invalid": _("Enter a time as dd/mm/yyyy hh:mm, for example 13/06/2022 08:30.")
        },
    )
    ends_on = date_field(_("Shown until"), required=False)
    sms_text = forms.CharField(
        label=_("SMS and Zalo text"),
        required=False,
        max_length=1000,
        help_text=_("Leave empty to send the title with the link to the notice."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # A field named like BaseForm.files: Django's metaclass moves it to base_fields.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Images and attachments"),
        required=False,
        help_text=_("Photos (JPEG, PNG), PDF, Word or Excel; at most 10 MB each."),
    )

    assignment = forms.TypedChoiceField(
        label=_("Carries out the commune's task"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Publishing it is recorded as progress on that task."),
    )

    def __init__(self, *args, areas=None, tasks=(), **kwargs):
        super().__init__(*args, **kwargs)
        if areas is None:
            del self.fields["areas"]
        else:
            self.fields["areas"].choices = [(a.code, a.name) for a in areas]
        if tasks:
            self.fields["assignment"].choices = [("", _("No task"))] + [
                (t.pk, f"{t.directive.title} ({t.directive.due_date:%d/%m/%Y})") for t in tasks
            ]
        else:
            del self.fields["assignment"]


class SmsTextForm(SubmissionForm):
    sms_text = forms.CharField(label=_("SMS and Zalo text"), max_length=1000)


class ChannelForm(SubmissionForm):
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(v, label) for v, label in Channel.choices if v != Channel.WEB],
    )
    decision = forms.CharField(
        label=_("Decision of the community meeting"),
        max_length=200,
        help_text=_(
            "Only for a choice made before the area's meetings were recorded on Cầu Nối. For "
            "example: Biên bản họp khu dân cư ngày 12/03/2022."
        ),
        error_messages={
            "required": _(
                "Write the reference of the community meeting's decision (number or date of the "
                "minutes)."
            )
        },
    )
    decided_on = date_field(_("Date of the meeting"))


class ChannelFromMeetingForm(SubmissionForm):
    """A channel chosen by a passed decision of a meeting recorded on Cầu Nối."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(v, label) for v, label in Channel.choices if v != Channel.WEB],
    )
    item_pk = meeting_forms.decision_field()

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item_pk"].choices = meeting_forms.decision_choices(items)


class MarkForm(SubmissionForm):
    how = forms.ChoiceField(
        label=_("How was the household told?"),
        choices=[
            (c, label)
            for c, label in Acknowledgement.How.choices
            if c
            in (Acknowledgement.How.VISIT, Acknowledgement.How.PHONE, Acknowledgement.How.MEETING)
        ],
        widget=forms.RadioSelect,
        initial=Acknowledgement.How.VISIT,
        error_messages={"required": _("Choose how the household was told.")},
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)


class AudioForm(SubmissionForm):
    voice = forms.ChoiceField(
        label=_("Voice"), choices=NoticeAudio.Voice.choices, initial=NoticeAudio.Voice.NORTH
    )
    speed = forms.TypedChoiceField(
        label=_("Speed"),
        choices=NoticeAudio.Speed.choices,
        coerce=int,
        initial=NoticeAudio.Speed.NORMAL,
    )
