"""Bring the tree in line with a list of administrative units (from any importer), all or nothing.

Rows are dicts `{level, code, kind, name, short_name, parent: (level, code) | None, where}` in tree
order. Against what the database holds for the same provinces:

* a code not yet known creates a unit (from the effective date when one is given);
* a known, current unit whose name, kind or parent differ gets a new version (rename, change of
  kind, move) on the effective date;
* a current unit of those provinces that the list no longer holds is retired on the effective date:
  merged into the unit `mapping` names for it (its residential areas follow), or otherwise dissolved
  (refused if it still holds residential areas: nothing may be left without a commune);
* a code belonging to a retired unit is refused: GSO codes are never reused.

Changing or retiring existing units needs a `Decision` (effective date, decision number). Nothing is
written unless every row passes."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from ..models import Level, Restructuring, Unit, UnitVersion
from ..selectors import valid_on
from ..services import restructuring_create, unit_change, unit_create, unit_dissolve, units_merge
from . import ImportRefused, ImportReport


def _messages(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def plan(
    rows: list[dict],
    *,
    mapping: dict[str, str] | None,
    report: ImportReport,
    whole_country: bool = False,
) -> dict:
    """Compare rows with the database, without writing. Errors go to the report."""
    mapping = dict(mapping or {})
    keys = {(r["level"], r["code"]) for r in rows}
    known = {
        (u.level, u.code): u
        for u in Unit.objects.filter(
            level__lte=Level.COMMUNE, code__in={r["code"] for r in rows}
        ).select_related("parent")
    }
    province_codes = [r["code"] for r in rows if r["level"] == Level.PROVINCE]
    scope_paths = [
        u.path for (lvl, _code), u in known.items() if lvl == Level.PROVINCE and u.is_current
    ]
    creates: list[dict] = []
    # (row, its unit, {field: new value}): changed, or with an empty diff unchanged
    changes: list[tuple[dict, Unit, dict]] = []
    unchanged: list[tuple[dict, Unit, dict]] = []
    for r in rows:
        unit = known.get((r["level"], r["code"]))
        if unit is None:
            creates.append(r)
            continue
        if unit.valid_to is not None:  # (not unit.is_current)
            report.error(
                r["where"],
                _(
                    "Code %(code)s belonged to %(name)s, retired on %(date)s; "
                    "a code is never given to another unit."
                )
                % {
                    "code": r["code"],
                    "name": unit.name,
                    "date": unit.valid_to.strftime("%d/%m/%Y"),
                },
                "code",
            )
            continue
        parent_key = r["parent"]
        current_parent = (unit.parent.level, unit.parent.code) if unit.parent else None
        diff = {}
        if unit.name != r["name"]:
            diff["name"] = r["name"]
        if unit.kind != r["kind"]:
            diff["kind"] = r["kind"]
        if current_parent != parent_key:
            diff["parent"] = parent_key
        (changes if diff else unchanged).append((r, unit, diff))
    retire = []
    if whole_country:
        scope_paths = ["/"]  # every current province, district and commune
    if scope_paths:
        q = Q()
        for path in scope_paths:
            q |= Q(path__startswith=path)
        levels = [Level.DISTRICT, Level.COMMUNE] + ([Level.PROVINCE] if whole_country else [])
        for u in (
            Unit.objects.filter(q, valid_to__isnull=True, level__in=levels)
            .select_related("parent")
            .order_by("-level", "code")
        ):
            if (u.level, u.code) not in keys:
                retire.append(u)
    retire_codes = {u.code: u for u in retire if u.level == Level.COMMUNE}
    row_codes = {r["code"] for r in rows if r["level"] == Level.COMMUNE}
    for old, new in mapping.items():
        if old not in retire_codes:
            report.error(
                f"{old} → {new}",
                _("Code %(code)s is not a commune that this list retires.") % {"code": old},
            )
        elif new not in row_codes:
            report.error(
                f"{old} → {new}",
                _("Code %(code)s is not a commune of the new list.") % {"code": new},
            )
    if retire:
        with_areas = dict(
            Unit.objects.filter(
                parent__in=[u for u in retire if u.level == Level.COMMUNE],
                valid_to__isnull=True,
                level=Level.AREA,
            )
            .values_list("parent__code")
            .annotate(n=Count("id"))
            .values_list("parent__code", "n")
        )
        for code, n in sorted(with_areas.items()):
            if code not in mapping:
                unit = retire_codes[code]
                report.error(
                    f"{unit.name} ({code})",
                    _(
                        "This commune is not in the new list and has %(n)d residential areas: "
                        "say which new commune it merged into (a mapping of old code to new code)."
                    )
                    % {"n": n},
                )
    return {
        "known": known,
        "creates": creates,
        "changes": changes,
        "unchanged": unchanged,
        "retire": retire,
        "mapping": mapping,
        "provinces": province_codes,
    }


def apply(
    rows: list[dict],
    *,
    actor,
    report: ImportReport,
    decision=None,
    valid_from=None,
    mapping: dict[str, str] | None = None,
    whole_country: bool = False,
) -> ImportReport:
    """Check, then write (all or nothing). `decision` is a `services.Decision`.

    `whole_country`: the list is the whole country, so provinces it no longer holds are retired
    too (merged into the province that took all their communes, if there is one)."""
    if not report.ok:
        return report
    p = plan(rows, mapping=mapping, report=report, whole_country=whole_country)
    if (p["changes"] or p["retire"]) and decision is None:
        report.error(
            "—",
            _(
                "This list changes %(changed)d existing units and retires %(retired)d: give the "
                "effective date and the decision that ordered the change."
            )
            % {"changed": len(p["changes"]), "retired": len(p["retire"])},
        )
    if not report.ok:
        return report
    start = decision.effective_date if decision is not None else valid_from
    merges: dict[str, list[Unit]] = {}
    for u in p["retire"]:
        if u.code in p["mapping"]:
            merges.setdefault(p["mapping"][u.code], []).append(u)
    changes = {(r["level"], r["code"]): (r, unit, diff) for r, unit, diff in p["changes"]}
    unchanged = {(r["level"], r["code"]): unit for r, unit, _diff in p["unchanged"]}
    try:
        with transaction.atomic():
            units = dict(p["known"])
            establish = None
            for r in sorted(rows, key=lambda r: r["level"]):
                key = (r["level"], r["code"])
                parent = units.get(r["parent"]) if r["parent"] else None
                try:
                    if key in changes or r["code"] in merges and key in unchanged:
                        unit = changes[key][1] if key in changes else unchanged[key]
                        diff = changes[key][2] if key in changes else {}
                        sources = merges.get(r["code"]) if r["level"] == Level.COMMUNE else None
                        if sources:
                            unit = units_merge(
                                actor=actor,
                                sources=[unit, *sources],
                                keeper=unit,
                                decision=decision,
                                name=r["name"],
                                short_name=r["short_name"],
                                kind=r["kind"],
                                parent=parent,
                            )
                            report.count("changed", _("merged into another unit"), len(sources))
                        else:
                            unit = unit_change(
                                actor=actor,
                                unit=unit,
                                decision=decision,
                                name=r["name"] if "name" in diff else None,
                                short_name=r["short_name"] if "name" in diff else None,
                                kind=diff.get("kind"),
                                parent=parent if "parent" in diff else None,
                            )
                        for what in diff:
                            report.count("changed", CHANGE_WORD[what]())
                    elif key in unchanged:
                        unit = unchanged[key]
                        report.unchanged += 1
                    else:
                        if decision is not None and establish is None:
                            establish = restructuring_create(
                                Restructuring.Kind.ESTABLISH, decision, actor
                            )
                        unit = unit_create(
                            actor=actor,
                            kind=r["kind"],
                            code=r["code"],
                            name=r["name"],
                            short_name=r["short_name"],
                            parent=parent,
                            valid_from=start,
                            restructuring=establish,
                        )
                        if establish is not None:
                            establish.results.add(unit)
                        report.count("created", LEVEL_LABEL[r["level"]]())
                    units[key] = unit
                except ValidationError as exc:
                    report.error(r["where"], _messages(exc))
            merged = {u.pk for sources in merges.values() for u in sources}
            for u in p["retire"]:  # communes first, then districts, then provinces
                if u.pk in merged:
                    continue
                try:
                    unit = Unit.objects.get(pk=u.pk)
                    keeper = (
                        _province_taking_over(unit, decision) if u.level == Level.PROVINCE else None
                    )
                    if keeper is not None:
                        units_merge(
                            actor=actor, sources=[keeper, unit], keeper=keeper, decision=decision
                        )
                        report.count("changed", _("merged into another unit"))
                        continue
                    unit_dissolve(actor=actor, unit=unit, decision=decision)
                    report.count("changed", _("retired"))
                except ValidationError as exc:
                    report.error(f"{u.name} ({u.code})", _messages(exc))
            if not report.ok:
                raise ImportRefused(report)
    except ImportRefused:
        report.discard_counts()
    return report


def _province_taking_over(province: Unit, decision) -> Unit | None:
    """The one current province that now holds every commune `province` held the day before the
    change, if there is one: then the province merged into it."""
    day_before = decision.effective_date - datetime.timedelta(days=1)
    ids, frontier = [], [province.pk]
    while frontier:
        frontier = list(
            UnitVersion.objects.filter(valid_on(day_before), parent_id__in=frontier).values_list(
                "unit_id", flat=True
            )
        )
        ids.extend(frontier)
    communes = Unit.objects.filter(pk__in=ids, level=Level.COMMUNE, valid_to__isnull=True)
    holders = {c.path.strip("/").split("/")[0] for c in communes}
    if len(holders) != 1:
        return None
    keeper = Unit.objects.filter(pk=int(holders.pop()), valid_to__isnull=True).first()
    return keeper if keeper is not None and keeper.pk != province.pk else None


def _label(level):
    return {
        Level.PROVINCE: _("provinces"),
        Level.DISTRICT: _("district-level units"),
        Level.COMMUNE: _("commune-level units"),
        Level.AREA: _("residential areas"),
    }[level]


LEVEL_LABEL = {lvl: (lambda lvl=lvl: _label(lvl)) for lvl in Level}
CHANGE_WORD = {
    "name": lambda: _("renamed"),
    "kind": lambda: _("kind changed"),
    "parent": lambda: _("moved to another unit"),
}
