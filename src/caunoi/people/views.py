from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from caunoi.core.exceptions import ApplicationError
from caunoi.people import access
from caunoi.territory.models import Level, Unit

from . import selectors, services
from .forms import AppointForm, CodeForm, EndMandateForm, PasswordSignInForm, PhoneForm
from .models import Mandate, Role
from .phones import mask_phone

BACKEND = "caunoi.people.backends.PhoneOrUsernameBackend"
SESSION_PHONE = "otp_phone"
SESSION_NEXT = "otp_next"
PREFIX_LEVEL = {"tinh": Level.PROVINCE, "huyen": Level.DISTRICT, "xa": Level.COMMUNE}


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
    from urllib.parse import urlencode

    return f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}" if next_url else url


@never_cache
def signin_choice(request):
    next_url = _safe_next(request, request.GET.get(REDIRECT_FIELD_NAME))
    if request.user.is_authenticated:
        return redirect(_after_signin(request, next_url))
    return render(
        request,
        "people/signin_choice.html",
        {
            "phone_url": _with_next(reverse("people:signin_phone"), next_url),
            "password_url": _with_next(reverse("people:signin_password"), next_url),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def signin_phone(request):
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_authenticated:
        return redirect(_after_signin(request, next_url))
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            services.otp_request(phone=phone)
        except ApplicationError as exc:
            if exc.code != "too_soon":
                form.add_error("phone", str(exc.message))
                return render(request, "people/signin_phone.html", {"form": form, "next": next_url})
            # A code was sent a moment ago: go on typing it.
            messages.info(request, exc.message)
        request.session[SESSION_PHONE] = phone
        request.session[SESSION_NEXT] = next_url
        return redirect("people:signin_code")
    return render(request, "people/signin_phone.html", {"form": form, "next": next_url})


@never_cache
@require_http_methods(["GET", "POST"])
def signin_code(request):
    phone = request.session.get(SESSION_PHONE)
    next_url = request.session.get(SESSION_NEXT, "")
    if request.user.is_authenticated:
        return redirect(_after_signin(request, next_url))
    if not phone:
        return redirect("people:signin_phone")
    form = CodeForm(request.POST or None)
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
        "people/signin_code.html",
        {
            "form": form,
            "masked_phone": mask_phone(phone),
            "ttl": settings.OTP_TTL_MINUTES,
            "resend_seconds": settings.OTP_RESEND_SECONDS,
        },
    )


@never_cache
@require_POST
def signin_resend(request):
    phone = request.session.get(SESSION_PHONE)
    if not phone:
        return redirect("people:signin_phone")
    try:
        services.otp_request(phone=phone)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("A new code has been sent to %(phone)s. The earlier code no longer works.")
            % {"phone": mask_phone(phone)},
        )
    return redirect("people:signin_code")


class PasswordSignInView(auth_views.LoginView):
    template_name = "people/signin.html"
    authentication_form = PasswordSignInForm
    redirect_authenticated_user = True


signin = signin_choice
signin_password = PasswordSignInView.as_view()
signout = auth_views.LogoutView.as_view()


# --- Mandates -------------------------------------------------------------------------------------


def _ground(request, prefix: str, code: str, perm: str) -> Unit:
    level = PREFIX_LEVEL.get(prefix)
    if level is None:
        raise Http404
    return access.access_unit(user=request.user, level=level, code=code, perm=perm)


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@login_required
@require_http_methods(["GET", "POST"])
def mandates(request, prefix: str, code: str):
    ground = _ground(request, prefix, code, access.MANAGE_MANDATES)
    units = selectors.ground_units(ground)
    choices = selectors.appointable_units(request.user, units)
    allowed = {u.pk: u for u in choices}
    data = None
    if request.method == "POST":
        # A place that is not offered here (someone else's id) is not found, whatever else is sent.
        try:
            unit_id = int(request.POST.get("unit", ""))
        except ValueError:
            unit_id = None
        if unit_id is not None and unit_id not in allowed:
            raise Http404
        data = request.POST
    form = AppointForm(
        data,
        actor=request.user,
        units=Unit.objects.filter(pk__in=allowed).order_by("level", "code"),
        initial={"start": timezone.localdate()},
    )
    if data is not None and form.is_valid():
        d = form.cleaned_data
        try:
            mandate = services.mandate_appoint(
                actor=request.user,
                unit=d["unit"],
                role=d["role"],
                phone=d["phone"],
                full_name=d["full_name"],
                start=d["start"],
                decision_number=d["decision_number"],
                decision_date=d["decision_date"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s of %(place)s.")
                % {
                    "name": mandate.person.full_name,
                    "role": mandate.get_role_display().lower(),
                    "place": mandate.unit.name,
                },
            )
            return redirect("people:mandates", prefix=prefix, code=code)
    by_unit = selectors.ground_mandates(ground, units)
    appointable = access.Access.for_user(request.user)
    rows = [
        {
            "unit": u,
            "mandates": [
                {"m": m, "can_end": appointable.may_appoint(m.role, u)} for m in by_unit[u.pk]
            ],
            "head": next((m for m in by_unit[u.pk] if m.role == Role.HEAD), None),
        }
        for u in units
    ]
    return render(
        request,
        "people/mandates.html",
        {
            "unit": ground,
            "own": rows[0],
            "children": rows[1:],
            "children_label": selectors.child_level_label(ground),
            "form": form if form.fields["role"].choices and choices else None,
            "prefix": prefix,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def mandate_end(request, prefix: str, code: str, pk: int):
    ground = _ground(request, prefix, code, access.MANAGE_MANDATES)
    mandate = selectors.ground_mandate(ground, pk)
    if mandate is None:
        raise Http404
    back = reverse("people:mandates", kwargs={"prefix": prefix, "code": code})
    if not access.Access.for_user(request.user).may_appoint(mandate.role, mandate.unit):
        raise PermissionDenied
    today = timezone.localdate()
    if mandate.end is not None and mandate.end <= today:
        messages.info(request, _("This mandate has already ended."))
        return redirect(back)
    form = EndMandateForm(request.POST or None, initial={"end": today})
    if request.method == "POST" and form.is_valid():
        try:
            services.mandate_end(
                actor=request.user,
                mandate=mandate,
                end=form.cleaned_data["end"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                _form_errors(form, exc)
            else:
                messages.info(request, " ".join(exc.messages))
                return redirect(back)
        else:
            messages.success(
                request,
                _("The mandate of %(name)s as %(role)s of %(place)s ends on %(end)s.")
                % {
                    "name": mandate.person.full_name,
                    "role": mandate.get_role_display().lower(),
                    "place": mandate.unit.name,
                    "end": form.cleaned_data["end"].strftime("%d/%m/%Y"),
                },
            )
            return redirect(back)
    return render(
        request,
        "people/mandate_end.html",
        {"unit": ground, "mandate": mandate, "form": form, "back": back},
    )


# --- Audit ----------------------------------------------------------------------------------------

AUDIT_PAGE_SIZE = 50


@login_required
@require_http_methods(["GET"])
def audit(request, prefix: str, code: str):
    unit = _ground(request, prefix, code, access.VIEW_AUDIT)
    page = Paginator(selectors.audit_entries(unit), AUDIT_PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    entries = selectors.audit_rows(page.object_list)
    return render(
        request,
        "people/audit.html",
        {"unit": unit, "page": page, "entries": entries, "prefix": prefix},
    )


# --- The head register ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def register(request, prefix: str, code: str):
    """The heads of a commune (district, province): alerts, profile figures, allowance."""
    unit = _ground(request, prefix, code, access.VIEW)
    today = timezone.localdate()
    rows = selectors.register_rows(unit, today=today)
    stats = selectors.register_stats(rows, today=today)
    alerts = [r for r in rows if r["alerts"]]
    context = {
        "unit": unit,
        "prefix": prefix,
        "stats": stats,
        "alerts": alerts[:200],
        "alerts_total": len(alerts),
        "can_edit": access.Access.for_user(request.user).can(access.MANAGE_MANDATES, unit),
        "year": today.year,
    }
    if unit.level == Level.COMMUNE:
        rates = _rates_for(unit, today)
        for r in rows:
            r["allowance"] = (
                selectors.allowance_for(
                    r["head"], province=None, area=r["area"], rates=rates, today=today
                )
                if r["head"]
                else None
            )
        context["rows"] = rows
    return render(request, "people/register.html", context)


def _rates_for(unit: Unit, today):
    from .models import AllowanceRate

    province_id = unit.ancestor_ids[0] if unit.ancestor_ids else unit.pk
    return list(AllowanceRate.objects.filter(province_id=province_id, effective_from__lte=today))


@login_required
@require_http_methods(["GET"])
def register_xlsx(request, prefix: str, code: str):
    from .exports import register_workbook

    unit = _ground(request, prefix, code, access.VIEW)
    today = timezone.localdate()
    rows = selectors.register_rows(unit, today=today)
    rates = _rates_for(unit, today)
    for r in rows:
        r["allowance"] = (
            selectors.allowance_for(
                r["head"], province=None, area=r["area"], rates=rates, today=today
            )
            if r["head"]
            else None
        )
    data = register_workbook(unit, rows, selectors.register_stats(rows, today=today), today)
    from django.http import HttpResponse

    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="truong-khu-{unit.code}.xlsx"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def head_edit(request, code: str, pk: int):
    from .forms import HeadProfileForm, TrainingForm
    from .models import HeadProfile

    area = access.access_unit(user=request.user, level=Level.AREA, code=code, perm=access.VIEW)
    mandate = (
        Mandate.objects.active()
        .filter(pk=pk, unit=area, role__in=[Role.HEAD, Role.DEPUTY_HEAD])
        .select_related("person", "unit")
        .first()
    )
    if mandate is None:
        raise Http404
    if not access.Access.for_user(request.user).may_appoint(mandate.role, area):
        raise PermissionDenied
    profile = HeadProfile.objects.filter(person=mandate.person).first()
    initial = {name: getattr(mandate, name) for name in HeadProfileForm.TERM}
    if profile:
        initial.update({name: getattr(profile, name) for name in services.PROFILE_FIELDS})
    initial["phone_public"] = mandate.person.phone_public
    commune = area.parent
    back = reverse("people:register", kwargs={"prefix": "xa", "code": commune.code})
    form = HeadProfileForm(
        request.POST if request.POST.get("what") == "profile" else None, initial=initial
    )
    training = TrainingForm(request.POST if request.POST.get("what") == "training" else None)
    if request.method == "POST" and request.POST.get("what") == "profile" and form.is_valid():
        d = form.cleaned_data
        try:
            services.head_profile_save(
                actor=request.user,
                mandate=mandate,
                profile={name: d[name] for name in services.PROFILE_FIELDS},
                term={name: d[name] for name in HeadProfileForm.TERM},
                phone_public=d["phone_public"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, _("The profile of %(name)s is saved.") % {"name": mandate.person.full_name}
            )
            return redirect(back)
    if request.method == "POST" and request.POST.get("what") == "training" and training.is_valid():
        try:
            services.training_add(actor=request.user, mandate=mandate, **training.cleaned_data)
        except ValidationError as exc:
            _form_errors(training, exc)
        else:
            messages.success(request, _("The course is added to the training record."))
            return redirect(request.path)
    return render(
        request,
        "people/head_edit.html",
        {
            "unit": commune,
            "area": area,
            "mandate": mandate,
            "form": form,
            "training": training,
            "trainings": list(mandate.person.trainings.all()),
            "back": back,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def allowances(request, code: str):
    from .forms import AllowanceRateForm
    from .models import AllowanceRate

    province = access.access_unit(
        user=request.user, level=Level.PROVINCE, code=code, perm=access.MANAGE_ALLOWANCES
    )
    form = AllowanceRateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.allowance_rate_add(actor=request.user, province=province, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The rate is added to the allowance table."))
            return redirect("people:allowances", code=code)
    return render(
        request,
        "people/allowances.html",
        {
            "unit": province,
            "rates": list(AllowanceRate.objects.filter(province=province)),
            "form": form,
        },
    )
