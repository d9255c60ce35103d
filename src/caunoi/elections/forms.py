from django import forms
from django.utils.translation import gettext_lazy as _

from caunoi.core.forms import count_field, date_field, time_field
from caunoi.core.pages import SubmissionForm

from .models import ELIGIBILITY, Candidate, Leaving, Reason


class TimelineForm(SubmissionForm):
    decision_number = forms.CharField(
        label=_("Number of the commune's decision"),
        max_length=80,
        help_text=_("For example: 125/QĐ-UBND"),
    )
    decided_on = date_field(_("Date of the decision and plan"))
    team_on = date_field(_("Date the election team is set up"))
    notice_on = date_field(_("Date of the public notice (board and loudspeaker)"))
    election_day = date_field(_("Election day"))
    at = time_field(_("Time of the election meeting"))
    place = forms.CharField(label=_("Place of the election meeting"), max_length=200)
    team_leader = forms.CharField(
        label=_("Leader of the election team (from the Front work committee)"), max_length=120
    )
    team_members = forms.CharField(
        label=_("Members of the election team"),
        help_text=_("One name a line. A candidate may not be a member."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ElectionForm(TimelineForm):
    reason = forms.ChoiceField(
        label=_("Why the election is held"),
        choices=[c for c in Reason.choices if c[0] != Reason.RE_ELECTION],
        widget=forms.RadioSelect,
    )
    list_due_on = date_field(_("Date the candidate list reaches the commune"))
    field_order = ["reason", "decision_number", "decided_on", "team_on", "list_due_on", "notice_on"]


class ReElectionForm(TimelineForm):
    pass


class CandidateForm(SubmissionForm):
    full_name = forms.CharField(label=_("Full name"), max_length=120)
    phone = forms.CharField(
        label=_("Phone number"), max_length=20, widget=forms.TextInput(attrs={"type": "tel"})
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        min_value=1900,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "w-date"}),
        error_messages={
            "invalid": _("Enter the year of birth, for example 1970."),
            "min_value": _("Enter the year of birth, for example 1970."),
            "max_value": _("Enter the year of birth, for example 1970."),
        },
    )
    nominated = forms.ChoiceField(
        label=_("Nominated by"), choices=Candidate.Nominated.choices, widget=forms.RadioSelect
    )
    eligibility = forms.MultipleChoiceField(
        label=_("Conditions of TT 04/2012 Điều 11, checked"),
        choices=ELIGIBILITY,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class CountForm(SubmissionForm):
    households_present = count_field(_("Households represented"))
    method = forms.ChoiceField(
        label=_("Voting method approved by the meeting"),
        choices=[("ballot", _("Secret ballot")), ("hands", _("Show of hands"))],
        widget=forms.RadioSelect,
    )
    counting_board = forms.CharField(
        label=_("Counting board (secret ballot)"),
        help_text=_("One name a line, 3 to 5 people, no candidate."),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    board_for = count_field(_("Representatives in favour of the counting board"), required=False)
    ballots_issued = count_field(_("Ballots issued"), required=False)
    ballots_returned = count_field(_("Ballots returned"), required=False)
    ballots_valid = count_field(_("Valid ballots"), required=False)
    ballots_invalid = count_field(_("Invalid ballots"), required=False)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        for c in self.candidates:
            self.fields[f"votes_{c.pk}"] = count_field(
                _("Votes for %(name)s") % {"name": c.full_name}
            )

    def clean(self):
        data = super().clean()
        data["votes"] = {c.pk: data.pop(f"votes_{c.pk}", None) for c in self.candidates}
        return data


class RecogniseForm(SubmissionForm):
    recognition_number = forms.CharField(
        label=_("Number of the recognition decision"),
        max_length=80,
        help_text=_("For example: 140/QĐ-UBND"),
    )
    recognised_on = date_field(_("Date of the decision"))
    signed_by = forms.CharField(label=_("Chair of the commune People's Committee"), max_length=120)


class TemporaryForm(SubmissionForm):
    full_name = forms.CharField(label=_("Full name of the temporary head"), max_length=120)
    phone = forms.CharField(
        label=_("Phone number"), max_length=20, widget=forms.TextInput(attrs={"type": "tel"})
    )
    decision_number = forms.CharField(label=_("Number of the appointment decision"), max_length=80)
    on = date_field(_("Date of the decision"))


class LeavingForm(SubmissionForm):
    ground = forms.ChoiceField(
        label=_("Why"), choices=Leaving.Ground.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Reason given"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    petition_households = count_field(_("Households that signed the petition"), required=False)
    date = date_field(_("Date of the meeting"))
    at = time_field(_("Time of the meeting"))
    place = forms.CharField(label=_("Place of the meeting"), max_length=200)
    convener_name = forms.CharField(
        label=_("Convened and chaired by (the Trưởng ban CTMT, or the commune chair)"),
        max_length=120,
    )


class LeavingCountForm(SubmissionForm):
    households_present = count_field(_("Households represented"))
    votes_for = count_field(_("Households in favour of the head leaving office"))


class LeavingDecideForm(SubmissionForm):
    decision_number = forms.CharField(label=_("Number of the commune's decision"), max_length=80)
    decided_on = date_field(_("Date of the decision"))
