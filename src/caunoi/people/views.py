"""People's pages: the officials and heads of a ground (appoint, end a mandate), the change log,
the head register and the province's allowance table. Signing in is `caunoi.accounts.views`."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from caunoi.core.pages import bound, form_page, paginate, render, write_once
from caunoi.core.responses import xlsx_response
from caunoi.people import access
from caunoi.people.access import unit_required
from caunoi.territory.models import Level

from . import permissions, policy, selectors, services
from .exports import register_workbook
from .forms import (
    AllowanceRateForm,
    AppointForm,
    EndMandateForm,
    HeadProfileForm,
    TrainingForm,
)
from .models import Role

# --- Mandates -------------------------------------------------------------------------------------


@unit_required(access.MANAGE_MANDATES, current=True)
@require_http_methods(["GET", "POST"])
def mandates(request, unit):
    """The officials and heads of a ground (the unit and the units right under it); appoint."""
    units = selectors.unit_list_of_ground(unit)
    allowed = {u.pk: u for u in selectors.unit_list_appointable(request.user, units)}
    if request.method == "POST" and _posted_unit(request) not in (None, *allowed):
        raise Http404  # a place that is not offered here (someone else's), whatever else is sent
    form = AppointForm(
        **bound(request),
        actor=request.user,
        units=list(allowed.values()),
        initial={"start": timezone.localdate()},
    )
    back = reverse("people:mandates", args=[unit.url_prefix, unit.code])
    if request.method == "POST" and form.is_valid():
        response = write_once(
            request,
            form,
            lambda data: services.mandate_appoint(actor=request.user, **data),
            next=back,
            success=lambda m: (
                _("%(name)s is now %(role)s of %(place)s.")
                % {
                    "name": m.person.full_name,
                    "role": m.get_role_display().lower(),
                    "place": m.unit.name,
                }
            ),
        )
        if response is not None:
            return response
    by_unit = selectors.mandate_list_by_unit(units)
    acc = access.Access.for_user(request.user)
    rows = [
        {
            "unit": u,
            "mandates": [{"m": m, "can_end": acc.may_appoint(m.role, u)} for m in by_unit[u.pk]],
            "head": next((m for m in by_unit[u.pk] if m.role == Role.HEAD), None),
        }
        for u in units
    ]
    return render(
        request,
        "people/mandates.html",
        unit=unit,
        own=rows[0],
        children=rows[1:],
        children_label=selectors.unit_children_label(unit),
        form=form if form.fields["role"].choices and allowed else None,
    )


def _posted_unit(request) -> int | None:
    try:
        return int(request.POST.get("unit", ""))
    except ValueError:
        return None


@unit_required(access.MANAGE_MANDATES, current=True)
@require_http_methods(["GET", "POST"])
def mandate_end(request, unit, pk: int):
    mandate = permissions.access_mandate(user=request.user, pk=pk, within=unit)
    back = reverse("people:mandates", args=[unit.url_prefix, unit.code])
    today = timezone.localdate()
    if mandate.end is not None and mandate.end <= today:
        messages.info(request, _("This mandate has already ended."))
        return redirect(back)
    form = EndMandateForm(**bound(request), initial={"end": today})
    return form_page(
        request,
        "people/mandate_end.html",
        form,
        write=lambda data: services.mandate_end(actor=request.user, mandate=mandate, **data),
        next=back,
        success=lambda m: (
            _("The mandate of %(name)s as %(role)s of %(place)s ends on %(end)s.")
            % {
                "name": m.person.full_name,
                "role": m.get_role_display().lower(),
                "place": m.unit.name,
                "end": m.end.strftime("%d/%m/%Y"),
            }
        ),
        unit=unit,
        mandate=mandate,
        back=back,
    )


# --- The change log -------------------------------------------------------------------------------


@unit_required(access.VIEW_AUDIT)
@require_GET
def audit(request, unit):
    page = paginate(request, selectors.audit_entry_list(unit))
    return render(
        request,
        "people/audit.html",
        unit=unit,
        page=page,
        entries=selectors.audit_entry_rows(page.object_list),
    )


# --- The head register ----------------------------------------------------------------------------


@unit_required(access.VIEW)
@require_GET
def register(request, unit):
    """The heads of a commune (district, province): alerts, profile figures, allowance."""
    today = timezone.localdate()
    rows = selectors.register_rows(unit, today=today)
    alerts = [r for r in rows if r.alerts]
    context = {
        "stats": selectors.register_figures(unit, rows=rows, today=today),
        "alerts": alerts[:200],
        "alerts_total": len(alerts),
        "can_edit": access.can(request.user, access.MANAGE_MANDATES, unit),
        "rules": policy.REGISTER_RULES,
    }
    if unit.is_commune:
        selectors.register_allowances(rows, unit, today=today)
        context["rows"] = rows
    return render(request, "people/register.html", unit=unit, **context)


@unit_required(access.VIEW)
@require_GET
def register_xlsx(request, unit):
    today = timezone.localdate()
    rows = selectors.register_rows(unit, today=today)
    selectors.register_allowances(rows, unit, today=today)
    stats = selectors.register_figures(unit, rows=rows, today=today)
    workbook = register_workbook(unit, rows, stats, today)
    return xlsx_response(workbook, f"truong-khu-{unit.code}.xlsx")


@unit_required(access.MANAGE_MANDATES, level=Level.AREA, current=True)
@require_http_methods(["GET", "POST"])
def head_edit(request, unit, pk: int):
    """A head's (or deputy's) profile and term, and their training record: kept by the commune."""
    mandate = permissions.access_head_mandate(user=request.user, pk=pk, area=unit)
    what = request.POST.get("what") if request.method == "POST" else None
    profile = getattr(mandate.person, "head_profile", None)
    initial = {name: getattr(mandate, name) for name in services.TERM_FIELDS}
    if profile is not None:
        initial.update({name: getattr(profile, name) for name in services.PROFILE_FIELDS})
    initial["phone_public"] = mandate.person.phone_public
    form = HeadProfileForm(**(bound(request) if what == "profile" else {}), initial=initial)
    training = TrainingForm(**(bound(request) if what == "training" else {}))
    commune = unit.parent
    back = reverse("people:register", args=[commune.url_prefix, commune.code])
    if what == "profile" and form.is_valid():
        response = write_once(
            request,
            form,
            lambda d: services.head_profile_save(
                actor=request.user,
                mandate=mandate,
                profile={name: d[name] for name in services.PROFILE_FIELDS},
                term={name: d[name] for name in services.TERM_FIELDS},
                phone_public=d["phone_public"],
            ),
            next=back,
            success=_("The profile of %(name)s is saved.") % {"name": mandate.person.full_name},
        )
        if response is not None:
            return response
    if what == "training" and training.is_valid():
        response = write_once(
            request,
            training,
            lambda d: services.training_add(actor=request.user, mandate=mandate, **d),
            next=request.path,
            success=_("The course is added to the training record."),
        )
        if response is not None:
            return response
    return render(
        request,
        "people/head_edit.html",
        unit=unit,
        mandate=mandate,
        form=form,
        training=training,
        trainings=list(mandate.person.trainings.all()),
        back=back,
        rules=policy.PROFILE_RULES,
    )


@unit_required(access.MANAGE_ALLOWANCES, level=Level.PROVINCE, current=True)
@require_http_methods(["GET", "POST"])
def allowances(request, unit):
    form = AllowanceRateForm(**bound(request))
    return form_page(
        request,
        "people/allowances.html",
        form,
        write=lambda data: services.allowance_rate_add(actor=request.user, province=unit, **data),
        next=reverse("people:allowances", args=[unit.code]),
        success=_("The rate is added to the allowance table."),
        unit=unit,
        rates=selectors.allowance_rate_list(province_id=unit.pk),
        rules=policy.ALLOWANCE_RULES,
    )
