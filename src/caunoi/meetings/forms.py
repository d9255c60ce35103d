import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from caunoi.core.forms import count_field, date_field, time_field
from caunoi.core.pages import SubmissionForm

from .models import CHECKLIST, MEETING_METHODS, Item, Kind, Method, Slip


class MeetingForm(SubmissionForm):
    kind = forms.ChoiceField(
        label=_("Kind of meeting"), choices=Kind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("What the meeting is about"),
        max_length=200,
        help_text=_("For example: Regular meeting at the end of 2026"),
    )
    date = date_field(_("Date"))
    time = time_field(_("Time"))
    place = forms.CharField(
        label=pgettext_lazy("meeting", "Place"),
        max_length=200,
        help_text=_("For example: the area's cultural house"),
    )
    convener_name = forms.CharField(label=_("Name of the convener"), max_length=120)
    head_is_ctmt_head = forms.BooleanField(
        label=_("The head is also the head of the Front work committee"),
        required=False,
        help_text=_("For a dismissal meeting: the commune chair convenes it then."),
    )
    vacant = forms.BooleanField(
        label=_("The post of head is vacant (the commune chair assigned the convener)"),
        required=False,
    )

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("time"):
            data["starts_at"] = timezone.make_aware(
                datetime.datetime.combine(data.pop("date"), data.pop("time"))
            )
        else:
            data["starts_at"] = None
            data.pop("date", None)
            data.pop("time", None)
        return data


class ItemForm(SubmissionForm):
    title = forms.CharField(label=_("Agenda item"), max_length=300)
    kind = forms.ChoiceField(
        label=_("The meeting is asked"),
        choices=Item.Kind.choices,
        widget=forms.RadioSelect,
        initial=Item.Kind.DECISION,
    )
    matter = forms.ChoiceField(
        label=_("Matter the residents decide"),
        choices=[("", "—"), *Item.Matter.choices],
        required=False,
        help_text=_("Only for an item for decision."),
    )
    text = forms.CharField(
        label=_("What is proposed"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DocumentForm(SubmissionForm):
    file = forms.FileField(
        label=_("Document"),
        help_text=_("PDF, Word, Excel or a photo."),
        error_messages={"required": _("Choose a file.")},
    )
    item = forms.TypedChoiceField(
        label=_("For the item"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [
            ("", _("The whole meeting")),
            *((i.pk, str(i)) for i in items),
        ]


class ChecklistForm(SubmissionForm):
    ticked = forms.MultipleChoiceField(
        label=pgettext_lazy("meeting", "Ready"),
        choices=CHECKLIST,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class AttendanceForm(SubmissionForm):
    households = forms.MultipleChoiceField(
        label=_("Households represented"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick each household whose representative is here, or type the number below."),
    )
    households_present = count_field(
        _("Or: number of households represented (from the paper sheet)"), required=False
    )

    def __init__(self, *args, households=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["households"].choices = [
            (h.code, f"{h.code} · {h.representative_name or h.address}") for h in households
        ]

    def clean(self):
        data = super().clean()
        if not data.get("households") and data.get("households_present") is None:
            self.add_error("households_present", _("Tick the households or type their number."))
        return data


def method_field(item) -> forms.ChoiceField:
    """How an item was voted: the meeting's method by default (R-3.5.3, R-4.5)."""
    return forms.ChoiceField(
        label=_("%(order)s. How it was voted") % {"order": item.order},
        choices=[
            ("", _("The meeting's voting method")),
            *((m.value, m.label) for m in MEETING_METHODS),
        ],
        required=False,
    )


class ResultsForm(SubmissionForm):
    chair_name = forms.CharField(label=_("Chair"), max_length=120)
    chair_for = count_field(_("Representatives in favour of the chair"))
    secretary_name = forms.CharField(label=_("Secretary"), max_length=120)
    secretary_for = count_field(_("Representatives in favour of the secretary"))
    method = forms.ChoiceField(
        label=_("Voting method"), choices=Method.choices, widget=forms.RadioSelect
    )
    method_for = count_field(_("Representatives in favour of this voting method"))
    ended_at = time_field(_("Ended at"), required=False)

    def __init__(self, *args, items=(), votes=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            if item.kind != Item.Kind.RECORD:
                self.fields[f"item_{item.pk}_method"] = method_field(item)
            if item.kind != Item.Kind.RECORD and votes:
                required = item.kind == Item.Kind.DECISION
                for part, label in (
                    ("for", _("For")),
                    ("against", _("Against")),
                    ("abstained", _("Abstained")),
                ):
                    self.fields[f"item_{item.pk}_{part}"] = count_field(
                        f"{item.order}. {label}", required=required
                    )
            self.fields[f"item_{item.pk}_summary"] = forms.CharField(
                label=_("%(order)s. What was said") % {"order": item.order},
                required=False,
                max_length=3000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def procedure_fields(self):
        names = [
            "chair_name",
            "chair_for",
            "secretary_name",
            "secretary_for",
            "method",
            "method_for",
        ]
        return [self[name] for name in names]

    def item_rows(self):
        """[(item, [bound fields])] for the template: each item's fields together."""
        return [
            (item, [self[name] for name in self.fields if name.startswith(f"item_{item.pk}_")])
            for item in self.items
        ]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        results, summaries, methods = {}, {}, {}
        for item in self.items:
            votes = tuple(
                data.pop(f"item_{item.pk}_{p}", None) for p in ("for", "against", "abstained")
            )
            summaries[item.pk] = data.pop(f"item_{item.pk}_summary", "")
            chosen = data.pop(f"item_{item.pk}_method", "")
            if chosen:
                methods[item.pk] = chosen
            if item.kind != Item.Kind.RECORD and any(v is not None for v in votes):
                results[item.pk] = votes
        data["results"] = results
        data["summaries"] = summaries
        data["methods"] = methods
        return data


class MinutesForm(SubmissionForm):
    file = forms.FileField(
        label=_("Signed minutes (scan or photo)"),
        help_text=_("PDF or a photo (JPEG, PNG)."),
        error_messages={"required": _("Choose a file.")},
    )


class BallotOpenForm(SubmissionForm):
    closes_on = date_field(_("Closing date"), help_text=_("The last day households can answer."))


class ReportForm(SubmissionForm):
    reported_on = date_field(_("Sent to the commune on"))


class SlipForm(SubmissionForm):
    """A household's answers: for, against or no opinion on each item for decision."""

    def __init__(self, *args, items=(), households=None, code=False, **kwargs):
        super().__init__(*args, **kwargs)
        if code:
            self.fields["code"] = forms.CharField(
                label=_("The code on your slip"),
                max_length=40,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                error_messages={"required": _("Enter the code on your slip.")},
            )
        if households is not None:
            self.fields["household"] = forms.ChoiceField(
                label=_("Household"),
                choices=[(h.code, f"{h.code} · {h.representative_name}") for h in households],
            )
        self.items = list(items)
        for item in self.items:
            self.fields[f"item_{item.pk}"] = forms.ChoiceField(
                label=f"{item.order}. {item.title}",
                choices=Slip.Answer.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose for, against or no opinion.")},
            )

    def answers(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[f"item_{item.pk}"] for item in self.items}


class ClusterForm(SubmissionForm):
    """The head authorises a chair for a cluster's sub-meeting (họp cụm dân cư, R-4.1)."""

    title = forms.CharField(
        label=_("Which cluster"),
        max_length=200,
        help_text=_("For example: Cluster of Xóm Đồng (households 1 to 60)"),
    )
    chair_name = forms.CharField(
        label=_("Chair authorised by the head"),
        max_length=120,
        help_text=_("The person who chairs this cluster's meeting on the head's behalf."),
    )
    date = MeetingForm.base_fields["date"]
    time = MeetingForm.base_fields["time"]
    place = forms.CharField(label=pgettext_lazy("meeting", "Place"), max_length=200)

    def clean(self):
        data = super().clean()
        day, time = data.pop("date", None), data.pop("time", None)
        data["starts_at"] = (
            timezone.make_aware(datetime.datetime.combine(day, time)) if day and time else None
        )
        return data


class ClusterResultsForm(SubmissionForm):
    """A cluster's for/against/abstained on each item of the meeting voted on."""

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = [i for i in items if i.kind != Item.Kind.RECORD]
        for item in self.items:
            for part, label in (
                ("for", _("For")),
                ("against", _("Against")),
                ("abstained", _("Abstained")),
            ):
                self.fields[f"item_{item.pk}_{part}"] = count_field(
                    f"{item.order}. {item.title}: {label}",
                    required=item.kind == Item.Kind.DECISION,
                )

    def results(self) -> dict[int, tuple]:
        out = {}
        for item in self.items:
            votes = tuple(
                self.cleaned_data.get(f"item_{item.pk}_{p}")
                for p in ("for", "against", "abstained")
            )
            if any(v is not None for v in votes):
                out[item.pk] = votes
        return out


def decision_field() -> forms.TypedChoiceField:
    """A passed decision of the area's meetings to rest on (a fund, a channel choice…): its
    choices from `decision_choices`."""
    return forms.TypedChoiceField(
        label=_("Decision of the meeting"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the meeting's decision.")},
    )


def decision_choices(items) -> list[tuple[int, str]]:
    return [
        (
            i.pk,
            _("%(title)s (meeting of %(date)s: %(n)s of %(total)s households in favour)")
            % {
                "title": i.title,
                "date": f"{i.meeting.starts_at:%d/%m/%Y}",
                "n": i.votes_for,
                "total": i.meeting.households_total,
            },
        )
        for i in items
    ]
