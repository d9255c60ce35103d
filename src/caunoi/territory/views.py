import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from caunoi.people import access

from . import selectors, services
from .forms import (
    AreaForm,
    AreaRenameForm,
    AreasMergeForm,
    AsOfForm,
    HouseholdForm,
    SearchForm,
    TemplateUploadForm,
    UnitsUploadForm,
)
from .importers import areas as areas_importer
from .importers import gso, vnprovinces
from .models import Household, Level, Unit
from .names import area_full_name

PREFIX_LEVEL = {
    "tinh": Level.PROVINCE,
    "huyen": Level.DISTRICT,
    "xa": Level.COMMUNE,
    "khu": Level.AREA,
}


def browse(request):
    form = AsOfForm(request.GET or None)
    on = form.cleaned_data["ngay"] if form.is_valid() else None
    return render(
        request,
        "territory/browse.html",
        {"children": selectors.unit_children(None, on=on), "on": on, "form": form},
    )


def unit_detail(request, prefix: str, code: str):
    unit = selectors.unit_get(level=PREFIX_LEVEL[prefix], code=code)
    if unit is None:
        raise Http404
    form = AsOfForm(request.GET or None)
    on = form.cleaned_data["ngay"] if form.is_valid() else None
    version = selectors.unit_version_on(unit, on) if on else None
    if on and version is None:
        on_error = True
        on = None
    else:
        on_error = False
    acc = access.Access.for_user(request.user)
    current = unit.is_current and not on
    context = {
        "unit": unit,
        "form": form,
        "on": on,
        "on_error": on_error,
        "version": version,
        "ancestors": selectors.unit_ancestors(unit),
        "can_view_inside": acc.can(access.VIEW, unit),
        "can_manage": current and acc.can(access.MANAGE_TERRITORY, unit),
        "can_mandates": current and acc.can(access.MANAGE_MANDATES, unit),
        "can_audit": acc.can(access.VIEW_AUDIT, unit),
        "history": unit.versions.select_related("parent", "started_by", "ended_by").order_by(
            "valid_from"
        ),
    }
    if unit.level == Level.AREA:
        context["head"] = selectors.area_head_mandates([unit]).get(unit.pk)
        context["household_count"] = unit.household_count
        return render(request, "territory/area_detail.html", context)
    children = list(selectors.unit_children(unit, on=on))
    context.update(
        children=children,
        figures=selectors.unit_figures(selectors.unit_descendant_counts(unit, on=on)),
        heads=selectors.area_head_mandates([c for c in children])
        if unit.level == Level.COMMUNE and not on
        else {},
    )
    return render(request, "territory/unit_detail.html", context)


def search(request):
    form = SearchForm(request.GET or None)
    results = []
    if form.is_valid() and form.cleaned_data["q"]:
        results = list(selectors.unit_search(form.cleaned_data["q"]))
    return render(request, "territory/search.html", {"form": form, "results": results})


def _render(request, template: str, node: Unit, **context):
    """A page about `node`, with the breadcrumbs down to it."""
    context["ancestors"] = [*selectors.unit_ancestors(node), node]
    return render(request, template, context)


HOUSEHOLDS_PER_PAGE = 50


@require_GET
def area_households(request, code: str):
    area = access.access_unit(user=request.user, level=Level.AREA, code=code, perm=access.VIEW)
    page = Paginator(selectors.area_households(area), HOUSEHOLDS_PER_PAGE).get_page(
        request.GET.get("trang")
    )
    can_edit = area.is_current and access.Access.for_user(request.user).can(
        access.MANAGE_HOUSEHOLDS, area
    )
    return _render(
        request, "territory/area_households.html", area, area=area, page=page, can_edit=can_edit
    )


@require_http_methods(["GET", "POST"])
def household_add(request, code: str):
    area = _current_area(request, code, access.MANAGE_HOUSEHOLDS)
    form = HouseholdForm(*_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_create(
                actor=request.user, area=area, **form.cleaned_data
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request,
                _("Household %(code)s (%(name)s) was added to %(area)s.")
                % {
                    "code": household.code,
                    "name": household.representative_name,
                    "area": area.name,
                },
            )
            return redirect("territory:households", code=area.code)
    return _render(
        request, "territory/household_form.html", area, area=area, form=form, household=None
    )


@require_http_methods(["GET", "POST"])
def household_edit(request, code: str, household_code: str):
    area = _current_area(request, code, access.MANAGE_HOUSEHOLDS)
    household = get_object_or_404(area.households, code=household_code, is_active=True)
    initial = {f: getattr(household, f) for f in HouseholdForm.base_fields}
    form = HouseholdForm(*_bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_update(actor=request.user, household=household, **form.cleaned_data)
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Household %(code)s was saved.") % {"code": household.code})
            return redirect("territory:households", code=area.code)
    return _render(
        request, "territory/household_form.html", area, area=area, form=form, household=household
    )


# --------------------------------------------------------------------------- officers' pages


def _commune(request, code: str) -> Unit:
    return access.access_unit(
        user=request.user, level=Level.COMMUNE, code=code, perm=access.MANAGE_TERRITORY
    )


def _current_area(request, code: str, perm: str = access.MANAGE_TERRITORY) -> Unit:
    """A current area on which the user holds `perm` (404 for a retired one)."""
    area = access.access_unit(user=request.user, level=Level.AREA, code=code, perm=perm)
    if not area.is_current:
        raise Http404
    return area


def _bound(request, files=False) -> tuple:
    """Form arguments: bound to the POST (even an empty one) or unbound for a GET."""
    if request.method != "POST":
        return ()
    return (request.POST, request.FILES) if files else (request.POST,)


def _form_error(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for e in errors:
                form.add_error(field if field in form.fields else None, e)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _summary(report) -> str:
    parts = [f"{n} {what}" for what, n in {**report.created, **report.changed}.items()]
    if report.unchanged:
        parts.append(_("%(n)d unchanged") % {"n": report.unchanged})
    return ", ".join(parts) or _("nothing new")


@require_GET
def area_template(request, code: str):
    commune = _commune(request, code)
    response = HttpResponse(
        areas_importer.template_workbook(commune),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-{commune.code}.xlsx"'
    return response


@require_http_methods(["GET", "POST"])
def area_import(request, code: str):
    commune = _commune(request, code)
    form = TemplateUploadForm(*_bound(request, files=True))
    report = None
    if request.method == "POST" and form.is_valid():
        report = areas_importer.import_template(
            form.cleaned_data["file"].read(), actor=request.user, commune=commune
        )
        if report.ok:
            messages.success(
                request,
                _("Imported into %(commune)s: %(summary)s.")
                % {"commune": commune.name, "summary": _summary(report)},
            )
            for fix in report.fixes[:20]:
                messages.info(request, f"{fix.row}: {fix.message}")
            return redirect("territory:unit", prefix="xa", code=commune.code)
    return _render(
        request, "territory/area_import.html", commune, unit=commune, form=form, report=report
    )


@require_http_methods(["GET", "POST"])
def area_add(request, code: str):
    commune = _commune(request, code)
    form = AreaForm(*_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            area = services.area_create(
                actor=request.user,
                commune=commune,
                area_type=form.cleaned_data["area_type"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request,
                _("%(area)s was added to %(commune)s (code %(code)s).")
                % {"area": area.name, "commune": commune.name, "code": area.code},
            )
            return redirect("territory:unit", prefix="khu", code=area.code)
    return _render(request, "territory/area_add.html", commune, unit=commune, form=form)


@require_http_methods(["GET", "POST"])
def area_rename(request, code: str):
    area = _current_area(request, code)
    initial = {
        "area_type": area.area_type or "khu",
        "name": area.name,
        "effective_date": datetime.date.today(),
    }
    form = AreaRenameForm(*_bound(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        old = area.name
        try:
            if data["correction"]:
                area = services.unit_correct(
                    actor=request.user, unit=area, name=data["name"], area_type=data["area_type"]
                )
            else:
                area = services.unit_rename(
                    actor=request.user,
                    unit=area,
                    name=area_full_name(data["area_type"], data["name"]),
                    area_type=data["area_type"],
                    decision=form.decision(),
                )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request, _("%(old)s is now called %(new)s.") % {"old": old, "new": area.name}
            )
            return redirect("territory:unit", prefix="khu", code=area.code)
    return _render(request, "territory/area_rename.html", area, unit=area, form=form)


@require_http_methods(["GET", "POST"])
def areas_merge(request, code: str):
    commune = _commune(request, code)
    areas = list(selectors.unit_children(commune))
    form = AreasMergeForm(
        *_bound(request),
        areas=areas,
        initial={"effective_date": datetime.date.today()},
    )
    context = {"unit": commune, "form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [form.areas_by_code[c] for c in data["areas"]]
        keeper = form.areas_by_code[data["keeper"]]
        area_type = data["area_type"] or keeper.area_type or "khu"
        name = area_full_name(area_type, data["name"]) if data["name"] else keeper.name
        if request.POST.get("confirm") != "yes":
            others = [a for a in chosen if a.pk != keeper.pk]
            counts = dict(
                Household.objects.filter(area__in=others, is_active=True)
                .values_list("area_id")
                .annotate(n=Count("id"))
                .values_list("area_id", "n")
            )
            context.update(
                keeper=keeper,
                others=[(a, counts.get(a.pk, 0)) for a in others],
                new_name=name,
                decision=form.decision(),
            )
            return _render(request, "territory/areas_merge_confirm.html", commune, **context)
        try:
            services.units_merge(
                actor=request.user,
                sources=chosen,
                keeper=keeper,
                name=name,
                area_type=area_type,
                decision=form.decision(),
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            messages.success(
                request,
                _("%(areas)s are now one area: %(name)s (code %(code)s).")
                % {
                    "areas": ", ".join(a.name for a in chosen),
                    "name": name,
                    "code": keeper.code,
                },
            )
            return redirect("territory:unit", prefix="xa", code=commune.code)
    return _render(request, "territory/areas_merge.html", commune, **context)


@require_http_methods(["GET", "POST"])
def province_import(request, code: str):
    province = access.access_unit(
        user=request.user, level=Level.PROVINCE, code=code, perm=access.MANAGE_TERRITORY
    )
    form = UnitsUploadForm(*_bound(request, files=True))
    report = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        content = data["file"].read()
        decision = None
        if data["effective_date"]:
            from .services import Decision

            decision = Decision(
                effective_date=data["effective_date"],
                number=data["decision_number"],
                date=data["decision_date"],
            )
        module = gso if content[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0") else vnprovinces
        try:
            report = module.import_units(
                content,
                actor=request.user,
                provinces={province.code},
                decision=decision,
                mapping=data["mapping"],
            )
        except ValidationError as exc:  # e.g. an effective date in the future
            _form_error(form, exc)
        else:
            if report.ok:
                messages.success(
                    request,
                    _("Imported into %(province)s: %(summary)s.")
                    % {"province": province.name, "summary": _summary(report)},
                )
                return redirect("territory:unit", prefix="tinh", code=province.code)
    return render(
        request,
        "territory/province_import.html",
        {"unit": province, "form": form, "report": report, "ancestors": []},
    )
