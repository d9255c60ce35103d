"""The sign-in and sign-out pages: a code by SMS (heads, residents) or a password (officials)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caunoi.core.exceptions import ApplicationError
from caunoi.core.pages import bound, button_post, paginate, render, write_once
from caunoi.core.phones import mask_phone
from caunoi.core.ratelimit import ip_address
from caunoi.people import access
from caunoi.people.access import unit_required
from caunoi.people.models import Delegation
from caunoi.territory.models import Level

from . import policy, selectors, services
from .forms import CodeForm, ConfirmCodeForm, DelegationForm, PasswordSignInForm, PhoneForm

BACKEND = "caunoi.accounts.backends.PhoneOrUsernameBackend"
SESSION_PHONE = "otp_phone"
SESSION_NEXT = "otp_next"


# --- Sign-in --------------------------------------------------------------------------------------


def _safe_next(request, url: str | None) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _after_signin(request, url: str | None = None) -> str:
    return _safe_next(request, url) or resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}" if next_url else url


@never_cache
def signin(request):
    """The choice: a code by SMS (heads, residents) or a password (officials)."""
    next_url = _safe_next(request, request.GET.get(REDIRECT_FIELD_NAME))
    if request.user.is_authenticated:
        return redirect(_after_signin(request, next_url))
    return render(
        request,
        "accounts/signin_choice.html",
        phone_url=_with_next(reverse("accounts:signin_phone"), next_url),
        password_url=_with_next(reverse("accounts:signin_password"), next_url),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def signin_phone(request):
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(_after_signin(request, next_url))
    form = PhoneForm(**bound(request))
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            services.otp_request(phone=phone, ip=ip_address(request))
        except services.OtpTooSoon as exc:
            # A code was sent a moment ago: go on typing it.
            messages.info(request, exc.message)
        except ApplicationError as exc:
            form.add_error("phone", str(exc.message))
            return render(request, "accounts/signin_phone.html", form=form, next=next_url)
        request.session[SESSION_PHONE] = phone
        request.session[SESSION_NEXT] = next_url
        return redirect("accounts:signin_code")
    return render(request, "accounts/signin_phone.html", form=form, next=next_url)


@never_cache
@require_http_methods(["GET", "POST"])
def signin_code(request):
    phone = request.session.get(SESSION_PHONE)
    next_url = request.session.get(SESSION_NEXT, "")
    if request.user.is_authenticated:
        return redirect(_after_signin(request, next_url))
    if not phone:
        return redirect("accounts:signin_phone")
    form = CodeForm(**bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            person = services.otp_verify(phone=phone, code=form.cleaned_data["code"])
        except ApplicationError as exc:
            form.add_error("code", str(exc.message))
        else:
            login(request, person, backend=BACKEND)
            request.session.pop(SESSION_PHONE, None)
            request.session.pop(SESSION_NEXT, None)
            messages.success(
                request, _("You are signed in as %(name)s.") % {"name": person.full_name}
            )
            return redirect(_after_signin(request, next_url))
    return render(
        request,
        "accounts/signin_code.html",
        form=form,
        masked_phone=mask_phone(phone),
        ttl=policy.OTP_TTL_MINUTES.value,
        resend_seconds=policy.OTP_RESEND_SECONDS.value,
    )


@never_cache
@require_POST
def signin_resend(request):
    phone = request.session.get(SESSION_PHONE)
    if not phone:
        return redirect("accounts:signin_phone")
    try:
        services.otp_request(phone=phone, ip=ip_address(request))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("A new code has been sent to %(phone)s. The earlier code no longer works.")
            % {"phone": mask_phone(phone)},
        )
    return redirect("accounts:signin_code")


class PasswordSignInView(auth_views.LoginView):
    template_name = "accounts/signin.html"
    authentication_form = PasswordSignInForm
    redirect_authenticated_user = True


signin_password = PasswordSignInView.as_view()


@never_cache
def admin_signin(request):
    """The admin has no sign-in of its own: its login page sends to the site's password sign-in
    (the same lock, the same change log), then back to the admin."""
    next_url = _safe_next(request, request.GET.get(REDIRECT_FIELD_NAME)) or reverse("admin:index")
    return redirect(_with_next(reverse("accounts:signin_password"), next_url))


signout = auth_views.LogoutView.as_view()


# --------------------------------------------------------------------------- helpers of a head


def _delegation_given(user, pk: int) -> Delegation:
    """One of the user's own delegations (as the head); anyone else's is missing."""
    found = selectors.delegation_list_given(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@login_required
@require_http_methods(["GET", "POST"])
def delegations(request):
    """The head names a helper and sees what was done on their behalf; a helper sees for whom
    and where they may act."""
    mandates = selectors.head_mandate_list(request.user)
    form = DelegationForm(**bound(request), mandates=mandates) if mandates else None

    def write(data):
        mandate = next(m for m in mandates if m.pk == data.pop("mandate"))
        return services.delegation_name(
            actor=request.user, mandate=mandate, ip=ip_address(request), **data
        )

    if form is not None and request.method == "POST" and form.is_valid():
        response = write_once(
            request,
            form,
            write,
            next=lambda d: reverse("accounts:delegation_confirm", args=[d.pk]),
            success=_("A code was sent to your phone. Type it to confirm."),
        )
        if response is not None:
            return response
    return render(
        request,
        "accounts/delegations.html",
        form=form,
        given=list(selectors.delegation_list_given(request.user)),
        held=selectors.delegation_list_held(request.user),
        done=paginate(request, selectors.audit_entry_list_on_behalf(request.user)),
        today=timezone.localdate(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def delegation_confirm(request, pk: int):
    delegation = _delegation_given(request.user, pk)
    if delegation.confirmed_at is not None or delegation.ended_at is not None:
        return redirect("accounts:delegations")
    form = ConfirmCodeForm(**bound(request))
    if request.method == "POST" and form.is_valid():
        response = write_once(
            request,
            form,
            lambda data: services.delegation_confirm(
                actor=request.user, delegation=delegation, **data
            ),
            next=reverse("accounts:delegations"),
            success=_("%(name)s can now help you.") % {"name": delegation.helper.full_name},
        )
        if response is not None:
            return response
    return render(
        request,
        "accounts/delegation_confirm.html",
        form=form,
        delegation=delegation,
        masked_phone=mask_phone(request.user.phone or ""),
    )


@login_required
@require_POST
def delegation_end(request, pk: int):
    delegation = _delegation_given(request.user, pk)
    return button_post(
        request,
        lambda: services.delegation_end(actor=request.user, delegation=delegation),
        back=reverse("accounts:delegations"),
        success=_("%(name)s can no longer act for you.") % {"name": delegation.helper.full_name},
    )


@require_GET
@unit_required(access.VIEW_AUDIT, level=Level.COMMUNE)
def commune_delegations(request, unit):
    """The commune sees who helps which head, for what and until when."""
    return render(
        request,
        "accounts/commune_delegations.html",
        unit=unit,
        page=paginate(request, selectors.delegation_list_of_commune(unit)),
        today=timezone.localdate(),
    )
