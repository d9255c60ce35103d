"""The sign-in forms: a phone number, the code from the SMS, a password (officials)."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from caunoi.core.exceptions import ApplicationError
from caunoi.core.forms import date_field
from caunoi.core.pages import SubmissionForm
from caunoi.people.forms import PhoneField
from caunoi.people.models import DelegationKind

from . import services


class PasswordSignInForm(AuthenticationForm):
    """Officials: phone number or username and password, behind the sign-in guard."""

    username = forms.CharField(
        label=_("Phone number or username"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "The phone number, username or password is wrong. Check them and try again."
        ),
        "inactive": _("This account is switched off. Ask your commune officer."),
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return self.cleaned_data
        key = services.signin_key(username)
        try:
            # Counted before the password is looked at: parallel guesses cannot pass the lock.
            attempt = services.signin_guard_hit(key=key)
        except ApplicationError as exc:
            raise ValidationError(str(exc.message), code=exc.code) from exc
        try:
            super().clean()
        except ValidationError as exc:
            error = services.signin_guard_failure(
                key=key, attempt=attempt, message=self.error_messages["invalid_login"]
            )
            if error.code == "locked":
                services.password_signin_record(username=username, locked=True)
            raise ValidationError(str(error.message), code=error.code) from exc
        services.signin_guard_succeed(key=key)
        services.password_signin_record(username=username, person=self.get_user())
        return self.cleaned_data


class PhoneForm(forms.Form):
    phone = PhoneField(help_text=_("We will send a 6-digit code to this number by SMS."))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=12,
        help_text=_("6 digits"),
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
                "class": "w-code",
                "autofocus": True,
            }
        ),
        error_messages={
            "required": _("Enter the 6 digits from the SMS."),
            "max_length": _("The code has 6 digits."),
        },
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != 6 or not code.isdigit():
            raise ValidationError(_("The code has 6 digits."), code="format")
        return code


class DelegationForm(SubmissionForm):
    helper_phone = forms.CharField(
        label=_("Helper's phone number"),
        max_length=20,
        help_text=_("The helper must have signed in to Cầu Nối once with this number."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        error_messages={"required": _("Write the helper's mobile number, e.g. 0912 345 678.")},
    )
    kinds = forms.MultipleChoiceField(
        label=_("What the helper may do for you"),
        choices=DelegationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one kind of work.")},
    )
    end = date_field(
        _("Until (the helper can no longer act from this day)"),
        error_messages={"required": _("The end date must come after today.")},
    )

    def __init__(self, *args, mandates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.mandates = list(mandates)
        if len(self.mandates) > 1:
            self.fields["mandate"] = forms.TypedChoiceField(
                label=_("Residential area"),
                choices=[(m.pk, m.unit.name) for m in self.mandates],
                coerce=int,
            )

    def clean(self):
        data = super().clean()
        if len(self.mandates) == 1:
            data["mandate"] = self.mandates[0].pk
        return data


class ConfirmCodeForm(SubmissionForm):
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=12,
        help_text=_("6 digits"),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "class": "w-code"}
        ),
        error_messages={"required": _("Type the code from the SMS.")},
    )
