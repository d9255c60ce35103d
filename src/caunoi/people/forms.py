from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class PasswordSignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Phone number or username"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "The phone number, username or password is wrong. Check them and try again."
        ),
        "inactive": _("This account is switched off. Ask your commune officer."),
    }
