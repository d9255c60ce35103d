from django import forms
from django.utils.translation import gettext_lazy as _

from caunoi.core.pages import SubmissionForm


class PublishForm(SubmissionForm):
    note = forms.CharField(
        label=_("A note for residents (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawForm(SubmissionForm):
    pass
