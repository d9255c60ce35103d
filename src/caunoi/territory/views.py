from django.http import Http404
from django.shortcuts import render

from caunoi.core import access

from . import selectors
from .forms import AsOfForm, SearchForm
from .models import Level

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
    context = {
        "unit": unit,
        "form": form,
        "on": on,
        "on_error": on_error,
        "version": version,
        "ancestors": selectors.unit_ancestors(unit),
        "can_view_inside": access.Access.for_user(request.user).can(access.VIEW, unit),
        "history": unit.versions.select_related("parent", "started_by", "ended_by").order_by(
            "valid_from"
        ),
    }
    if unit.level == Level.AREA:
        context["head"] = selectors.area_head_mandates([unit]).get(unit.pk)
        context["household_count"] = selectors.area_households(unit).count()
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


def area_households(request, code: str):
    area = access.access_unit(user=request.user, level=Level.AREA, code=code, perm=access.VIEW)
    households = selectors.area_households(area)
    return render(
        request,
        "territory/area_households.html",
        {"area": area, "households": households, "ancestors": selectors.unit_ancestors(area)},
    )
