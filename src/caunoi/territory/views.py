"""The territory's pages: the public tree (browse, a unit's page, search), an area's households
(its head and the commune), and the officers' pages that keep the residential areas."""

import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from caunoi.core.pagecache import public_page
from caunoi.core.pages import bound, form_page, paginate, render, write_once
from caunoi.core.responses import xlsx_response
from caunoi.core.text import sort_key
from caunoi.people import access
from caunoi.people.access import unit_required
from caunoi.people.selectors import mandate_list_of_heads

from . import jobs, maps, names, permissions, selectors, services
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
from .importers import ImportRefused, gso, vnprovinces
from .importers import areas as areas_importer
from .models import ImportJob, Level

# --------------------------------------------------------------------------- the public tree


def _in_order(children) -> list:
    """Units (or versions) by kind, then in Vietnamese order with numbers by value (Đ after D,
    "Khu 2" before "Khu 10"), the same on SQLite and PostgreSQL."""
    return sorted(children, key=lambda c: (c.kind, sort_key(c.name)))


@require_GET
def browse(request):
    form = AsOfForm(request.GET or None)
    on = form.cleaned_data["ngay"] if form.is_valid() else None
    return render(
        request,
        "territory/browse.html",
        children=_in_order(selectors.unit_children(None, on=on)),
        on=on,
        form=form,
    )


@require_GET
@public_page(selectors.unit_of_page)
def unit_detail(request, level: Level, code: str):
    # public: a unit's page is open to everyone, like the tree (what is inside is not shown here).
    unit = selectors.unit_get(level=level, code=code)
    if unit is None:
        raise Http404
    form = AsOfForm(request.GET or None)
    on = form.cleaned_data["ngay"] if form.is_valid() else None
    version = selectors.unit_version_get(unit, on=on) if on else None
    on_error = bool(on and version is None)
    if on_error:
        on = None
    acc = access.Access.for_user(request.user)
    current = unit.is_current and not on
    ancestors = None  # today's, from `render`; as the tree stood that day with a date
    if on:
        node = selectors.Node(unit, version)
        ancestors = [*selectors.unit_node_ancestors(node, on=on), node]
    context: dict[str, Any] = {
        "form": form,
        "on": on,
        "on_error": on_error,
        "version": version,
        "can_view_inside": acc.can(access.VIEW, unit),
        "can_manage": current and acc.can(access.MANAGE_TERRITORY, unit),
        "can_mandates": current and acc.can(access.MANAGE_MANDATES, unit),
        "can_audit": acc.can(access.VIEW_AUDIT, unit),
        "history": selectors.unit_version_list(unit),
        "ancestors": ancestors,
    }
    if unit.is_area:
        context["head"] = mandate_list_of_heads([unit]).get(unit.pk)
        context["household_count"] = unit.household_count
        return render(request, "territory/area_detail.html", unit=unit, **context)
    children = _in_order(selectors.unit_children(unit, on=on))
    context.update(
        children=children,
        figures=selectors.unit_figures(selectors.unit_descendant_counts(unit, on=on)),
        heads=mandate_list_of_heads(children) if unit.is_commune and not on else {},
        map=maps.province_map(unit, request.GET.get("chi_so", ""))
        if unit.is_province and not on
        else None,
        indicators=list(maps.INDICATORS.items()),
    )
    return render(request, "territory/unit_detail.html", unit=unit, **context)


@require_GET
def search(request):
    form = SearchForm(request.GET or None)
    results = []
    if form.is_valid() and form.cleaned_data["q"]:
        results = selectors.unit_search(form.cleaned_data["q"])
    return render(request, "territory/search.html", form=form, results=results)


# --------------------------------------------------------------------------- an area's households


def _households_url(area) -> str:
    return reverse("territory:households", args=[area.code])


@unit_required(access.VIEW, level=Level.AREA)
@require_GET
def area_households(request, unit):
    can_edit = unit.is_current and access.can(request.user, access.MANAGE_HOUSEHOLDS, unit)
    page = paginate(request, selectors.household_list(area=unit))
    return render(
        request, "territory/area_households.html", unit=unit, page=page, can_edit=can_edit
    )


@unit_required(access.MANAGE_HOUSEHOLDS, level=Level.AREA, current=True)
@require_http_methods(["GET", "POST"])
def household_add(request, unit):
    form = HouseholdForm(**bound(request))
    return form_page(
        request,
        "territory/household_form.html",
        form,
        unit=unit,
        household=None,
        write=lambda data: services.household_create(actor=request.user, area=unit, **data),
        next=_households_url(unit),
        success=lambda household: (
            _("Household %(code)s (%(name)s) was added to %(area)s.")
            % {"code": household.code, "name": household.representative_name, "area": unit.name}
        ),
    )


@unit_required(access.MANAGE_HOUSEHOLDS, level=Level.AREA, current=True)
@require_http_methods(["GET", "POST"])
def household_edit(request, unit, household_code: str):
    household = permissions.access_household(
        user=request.user, code=household_code, perm=access.MANAGE_HOUSEHOLDS, area=unit
    )
    initial = {
        name: getattr(household, name) for name in HouseholdForm.base_fields if name != "submission"
    }
    form = HouseholdForm(**bound(request), initial=initial)
    return form_page(
        request,
        "territory/household_form.html",
        form,
        unit=unit,
        household=household,
        write=lambda data: services.household_update(
            actor=request.user, household=household, **data
        ),
        next=_households_url(unit),
        success=_("Household %(code)s was saved.") % {"code": household.code},
    )


# --------------------------------------------------------------------------- officers' pages


def _summary(report) -> str:
    parts = [f"{n} {what}" for what, n in {**report.created, **report.changed}.items()]
    if report.unchanged:
        parts.append(_("%(n)d unchanged") % {"n": report.unchanged})
    return ", ".join(parts) or _("nothing new")


def _import_page(request, template, form, *, unit, run, success, fixes=0):
    """An import form: `run(data)` returns the importer's report. A report with errors rolls back
    the submission's claim too (the corrected file can be sent from the same page) and is shown
    row by row; after an import, the first `fixes` automatic fixes are shown as messages."""
    report = None
    if request.method == "POST" and form.is_valid():
        imported = []  # the report of this import (none for a replayed submission)

        def write(data):
            result = run(data)
            if not result.ok or result.dry_run:  # a preview saves nothing, the key included
                raise ImportRefused(result)
            imported.append(result)
            return result

        try:
            response = write_once(
                request, form, write, next=unit.get_absolute_url(), success=success
            )
        except ImportRefused as refused:
            report = refused.report
        else:
            if response is not None:
                for fix in imported[0].fixes[:fixes] if imported else ():
                    messages.info(request, f"{fix.row}: {fix.message}")
                return response
    return render(request, template, unit=unit, form=form, report=report)


@unit_required(access.MANAGE_TERRITORY, level=Level.COMMUNE)
@require_GET
def area_template(request, unit):
    return xlsx_response(areas_importer.template_workbook(unit), f"mau-nhap-{unit.code}.xlsx")


@unit_required(access.MANAGE_TERRITORY, level=Level.COMMUNE, current=True)
@require_http_methods(["GET", "POST"])
def area_import(request, unit):
    form = TemplateUploadForm(**bound(request, files=True))
    if (
        request.method == "POST"
        and form.is_valid()
        and jobs.is_large(form.cleaned_data["file"].size)
    ):
        return _queue(request, form, unit=unit, kind=ImportJob.Kind.AREAS, options={})
    return _import_page(
        request,
        "territory/area_import.html",
        form,
        unit=unit,
        run=lambda data: areas_importer.import_template(
            data["file"].read(), actor=request.user, commune=unit
        ),
        fixes=20,
        success=lambda report: (
            _("Imported into %(commune)s: %(summary)s.")
            % {"commune": unit.name, "summary": _summary(report)}
        ),
    )


@unit_required(access.MANAGE_TERRITORY, level=Level.COMMUNE, current=True)
@require_http_methods(["GET", "POST"])
def area_add(request, unit):
    form = AreaForm(**bound(request))
    return form_page(
        request,
        "territory/area_add.html",
        form,
        unit=unit,
        write=lambda data: services.area_create(actor=request.user, commune=unit, **data),
        success=lambda area: (
            _("%(area)s was added to %(commune)s (code %(code)s).")
            % {"area": area.name, "commune": unit.name, "code": area.code}
        ),
    )


@unit_required(access.MANAGE_TERRITORY, level=Level.AREA, current=True)
@require_http_methods(["GET", "POST"])
def area_rename(request, unit):
    old = unit.name
    initial = {
        "area_type": unit.area_type or "khu",
        "name": unit.name,
        "effective_date": datetime.date.today(),
    }
    form = AreaRenameForm(**bound(request), initial=initial)

    def write(data):
        if data["correction"]:
            return services.unit_correct(
                actor=request.user, unit=unit, name=data["name"], area_type=data["area_type"]
            )
        return services.unit_rename(
            actor=request.user,
            unit=unit,
            name=names.area_full_name(data["area_type"], data["name"]),
            area_type=data["area_type"],
            decision=form.decision(),
        )

    return form_page(
        request,
        "territory/area_rename.html",
        form,
        unit=unit,
        write=write,
        success=lambda area: _("%(old)s is now called %(new)s.") % {"old": old, "new": area.name},
    )


@unit_required(access.MANAGE_TERRITORY, level=Level.COMMUNE, current=True)
@require_http_methods(["GET", "POST"])
def areas_merge(request, unit):
    """Two steps: the form, then a page saying exactly what will happen; only its POST (with
    `confirm=yes` and the same submission key) merges."""
    areas = list(selectors.unit_children(unit))
    form = AreasMergeForm(
        **bound(request), areas=areas, initial={"effective_date": datetime.date.today()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [form.areas_by_code[c] for c in data["areas"]]
        keeper = form.areas_by_code[data["keeper"]]
        area_type = data["area_type"] or keeper.area_type or "khu"
        name = names.area_full_name(area_type, data["name"]) if data["name"] else keeper.name
        if request.POST.get("confirm") != "yes":
            others = [a for a in chosen if a.pk != keeper.pk]
            return render(
                request,
                "territory/areas_merge_confirm.html",
                unit=unit,
                form=form,
                keeper=keeper,
                others=[(a, a.household_count) for a in others],
                new_name=name,
                decision=form.decision(),
            )
        response = write_once(
            request,
            form,
            lambda _data: services.units_merge(
                actor=request.user,
                sources=chosen,
                keeper=keeper,
                name=name,
                area_type=area_type,
                decision=form.decision(),
            ),
            next=unit.get_absolute_url(),
            success=_("%(areas)s are now one area: %(name)s (code %(code)s).")
            % {"areas": ", ".join(a.name for a in chosen), "name": name, "code": keeper.code},
        )
        if response is not None:
            return response
    return render(request, "territory/areas_merge.html", unit=unit, form=form)


@unit_required(access.MANAGE_TERRITORY, level=Level.PROVINCE, current=True)
@require_http_methods(["GET", "POST"])
def province_import(request, unit):
    form = UnitsUploadForm(**bound(request, files=True))
    if request.method == "POST" and form.is_valid():
        # a check keeps the file (the officer then chooses where the areas of divided communes
        # go, and confirms without sending it again); a large file is imported by a worker
        preview = bool(request.POST.get("preview"))
        data = form.cleaned_data
        if preview or jobs.is_large(data["file"].size):
            options = {
                "decision": jobs.decision_options(form.decision()),
                "mapping": data["mapping"] or {},
                "dry_run": preview,
            }
            return _queue(request, form, unit=unit, kind=ImportJob.Kind.UNITS, options=options)

    def run(data):
        content = data["file"].read()
        module = gso if content[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0") else vnprovinces
        return module.import_units(
            content,
            actor=request.user,
            provinces={unit.code},
            decision=form.decision(),
            mapping=data["mapping"],
            dry_run=bool(request.POST.get("preview")),
        )

    return _import_page(
        request,
        "territory/province_import.html",
        form,
        unit=unit,
        run=run,
        success=lambda report: (
            _("Imported into %(province)s: %(summary)s.")
            % {"province": unit.name, "summary": _summary(report)}
        ),
    )


# --------------------------------------------------------------------------- background imports


def _job_url(job: ImportJob) -> str:
    name = "province_import_job" if job.kind == ImportJob.Kind.UNITS else "area_import_job"
    return reverse(f"territory:{name}", kwargs={"code": job.unit.code, "pk": job.pk})


def _queue(request, form, *, unit, kind, options):
    """Keep the upload in a job for a worker, then show the job's page (once per submission)."""
    f = form.cleaned_data["file"]
    f.seek(0)
    content = f.read()

    def create(_data=None):
        return jobs.import_job_create(
            actor=request.user,
            unit=unit,
            kind=kind,
            content=content,
            file_name=f.name or "",
            options=options,
        )

    if options.get("dry_run"):  # a check saves nothing (its key neither): send it again freely
        return redirect(_job_url(create()))
    response = write_once(
        request,
        form,
        create,
        next=_job_url,
    )
    if response is not None:
        return response
    template = (
        "territory/province_import.html"
        if kind == ImportJob.Kind.UNITS
        else ("territory/area_import.html")
    )
    return render(request, template, unit=unit, form=form, report=None)


def _job_page(request, unit, pk):
    job = permissions.access_import_job(
        user=request.user, unit=unit, pk=pk, perm=access.MANAGE_TERRITORY
    )
    checked = job.status == ImportJob.Status.DONE and job.dry_run and job.applied_as_id is None
    return render(
        request,
        "territory/import_job.html",
        unit=unit,
        job=job,
        progress=jobs.import_job_progress(job) if not job.finished else None,
        areas=jobs.divided_areas(job) if checked else [],
        can_apply=checked,
        back=reverse(
            "territory:province_import"
            if job.kind == ImportJob.Kind.UNITS
            else "territory:area_import",
            kwargs={"code": unit.code},
        ),
    )


@unit_required(access.MANAGE_TERRITORY, level=Level.PROVINCE, current=True)
@require_GET
def province_import_job(request, unit, pk: int):
    return _job_page(request, unit, pk)


@unit_required(access.MANAGE_TERRITORY, level=Level.COMMUNE, current=True)
@require_GET
def area_import_job(request, unit, pk: int):
    return _job_page(request, unit, pk)


@unit_required(access.MANAGE_TERRITORY, level=Level.PROVINCE, current=True)
@require_http_methods(["POST"])
def province_import_apply(request, unit, pk: int):
    """Confirm a checked import: each area of a divided commune goes where the officer chose
    (the default one unless changed)."""
    job = permissions.access_import_job(
        user=request.user, unit=unit, pk=pk, perm=access.MANAGE_TERRITORY
    )
    if job.applied_as_id is not None:
        return redirect(_job_url(job.applied_as))
    if not (job.status == ImportJob.Status.DONE and job.dry_run):
        raise Http404
    moves = {}
    for choice in jobs.divided_areas(job):
        wanted = request.POST.get(f"area-{choice.area.code}", choice.chosen)
        if wanted not in {c for c, _name in choice.choices}:
            messages.error(request, _("Choose one of the new communes offered for each area."))
            return redirect(_job_url(job))
        if wanted != choice.choices[0][0] or choice.area.code in job.options.get("mapping", {}):
            moves[choice.area.code] = wanted
    new = jobs.import_job_apply(actor=request.user, checked=job, area_moves=moves)
    return redirect(_job_url(new))
