"""Bring the tree in line with a list of administrative units (from any importer), all or nothing.

Rows are dicts `{level, code, kind, name, short_name, parent: (level, code) | None, where}` in tree
order. Against what the database holds for the same provinces:

* a code not yet known creates a unit (from the effective date when one is given);
* a known, current unit whose name, kind or parent differ gets a new version (rename, change of
  kind, move) on the effective date;
* a current unit of those provinces that the list no longer holds is retired on the effective date:
  merged into the unit the mapping names for it (its residential areas follow), or otherwise
  dissolved (refused if it still holds residential areas: nothing may be left without a commune);
* the mapping comes with the data: the successor of every former commune in `vietnamadminunits`
  (the default one for a commune divided between several), then for a commune merged before that
  list (30/06/2025) the commune most of its former district went to; a user's `mapping` overrides
  any line, and may send one residential area (its code) to another new commune. The report lists
  every line used, its source, and the divided communes;
* the provinces of the list take in the former provinces the data says they were formed from
  (their units in the database are retired or moved, the provinces merged);
* a code belonging to a retired unit is refused: GSO codes are never reused.

Changing or retiring existing units needs a `Decision` (effective date, decision number). Nothing is
written unless every row passes."""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from .. import vnunits
from ..models import Kind, Level, Restructuring, Unit, UnitVersion
from ..selectors import valid_on
from ..services import (
    restructuring_create,
    unit_change,
    unit_create,
    unit_dissolve,
    units_absorb,
    units_merge,
)
from . import ImportRefused, ImportReport, MappingLine


class _DryRun(Exception):
    """Raised at the end of a dry run to roll everything back."""


def _check_lines(report: ImportReport, lines: dict[str, str], known, new_codes, *, unknown: str):
    """Refuse each line {old code: new commune code} of a user's mapping whose old code is not
    one of `known` (`unknown` says what it should be) or whose new code is not a commune of the
    list."""
    for old, new in lines.items():
        if old not in known:
            report.error(f"{old} → {new}", unknown % {"code": old})
        elif new not in new_codes:
            report.error(
                f"{old} → {new}",
                _("Code %(code)s is not a commune of the new list.") % {"code": new},
            )


def _change(actor, decision, report: ImportReport, r: dict, unit: Unit, diff, *, parent=None):
    """Give `unit` what its row `r` says differs (`diff`: its name, kind, parent) in one act, and
    count each change in the report."""
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
    return unit


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
    user_mapping = dict(mapping or {})
    area_moves = {old: new for old, new in user_mapping.items() if "-" in old}
    user_mapping = {old: new for old, new in user_mapping.items() if "-" not in old}
    keys = {(r["level"], r["code"]) for r in rows}
    known = {
        (u.level, u.code): u
        for u in Unit.objects.filter(
            level__lte=Level.COMMUNE, code__in={r["code"] for r in rows}
        ).select_related("parent")
    }
    province_codes = [r["code"] for r in rows if r["level"] == Level.PROVINCE]
    conv = vnunits.conversion()
    # the provinces of the list, those they were formed from, and those that hold units of the list
    scope = set(province_codes)
    for code in province_codes:
        scope.update(conv.former_provinces.get(code, ()))
    roots = {int(u.path.strip("/").split("/")[0]) for u in known.values() if u.is_current}
    scope_provinces = list(
        Unit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True).filter(
            Q(code__in=scope) | Q(pk__in=roots)
        )
    )
    scope_paths = [u.path for u in scope_provinces]
    absorbed = {u.pk for u in scope_provinces if (Level.PROVINCE, u.code) not in keys}
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
            report.note(
                r["where"],
                _("Kind changes from %(old)s to %(new)s: %(evidence)s.")
                % {
                    "old": Kind(unit.kind).label,
                    "new": Kind(r["kind"]).label,
                    "evidence": r.get("evidence", ""),
                },
            )
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
        for u in (
            Unit.objects.filter(q, valid_to__isnull=True, level__lte=Level.COMMUNE)
            .select_related("parent")
            .order_by("-level", "code")
        ):
            if (u.level, u.code) in keys:
                continue
            if u.level != Level.PROVINCE or whole_country or u.pk in absorbed:
                retire.append(u)
    retire_codes = {u.code: u for u in retire if u.level == Level.COMMUNE}
    row_codes = {r["code"] for r in rows if r["level"] == Level.COMMUNE}
    row_names = {r["code"]: r["name"] for r in rows if r["level"] == Level.COMMUNE}
    _check_lines(
        report,
        user_mapping,
        retire_codes,
        row_codes,
        unknown=_("Code %(code)s is not a commune that this list retires."),
    )
    with_areas = dict(
        Unit.objects.filter(
            parent__in=[u for u in retire_codes.values()]
            + [u for (lvl, _c), u in known.items() if lvl == Level.COMMUNE],
            valid_to__isnull=True,
            level=Level.AREA,
        )
        .values_list("parent__code")
        .annotate(n=Count("id"))
        .values_list("parent__code", "n")
    )
    # the mapping that comes with the data, then by former district, then the user's lines
    resolved: dict[str, str] = {}
    sources: dict[str, str] = {}
    data_source = vnunits.source_label()
    # the two packages give 8 of today's 148 Phú Thọ communes different codes: then by name
    code_of_name = {name: code for code, name in row_names.items()}
    for code in retire_codes:
        successor = conv.successor.get(code)
        if successor is not None and successor not in row_codes:
            successor = code_of_name.get(conv.new_names.get(successor, ""))
        if successor is not None and successor in row_codes:
            resolved[code], sources[code] = successor, data_source
    by_district: dict[int | None, dict[str, int]] = {}
    for code, new in resolved.items():
        district = retire_codes[code].parent_id
        by_district.setdefault(district, {}).setdefault(new, 0)
        by_district[district][new] += 1
    for r, unit, _diff in changes + unchanged:
        if unit.level == Level.COMMUNE and unit.parent_id is not None:
            by_district.setdefault(unit.parent_id, {}).setdefault(r["code"], 0)
            by_district[unit.parent_id][r["code"]] += 1
    for code, unit in retire_codes.items():
        if code in resolved or not with_areas.get(code) or code in user_mapping:
            continue
        same_name = [  # merged before and renamed after it: "Xã Hùng Long" of the same district
            r["code"]
            for r, kept, _diff in changes + unchanged
            if kept.level == Level.COMMUNE
            and kept.parent_id == unit.parent_id
            and r["name"] == unit.name
        ]
        counts = by_district.get(unit.parent_id, {})
        if same_name:
            resolved[code] = same_name[0]
            sources[code] = _(
                "not in %(source)s: the commune of its district that took its name"
            ) % {"source": data_source}
        elif counts:
            resolved[code] = max(sorted(counts), key=lambda c: counts[c])
            sources[code] = _(
                "not in %(source)s (merged before 30/06/2025): where most of %(district)s went"
            ) % {"source": data_source, "district": unit.parent.name if unit.parent else ""}
    for code, new in user_mapping.items():
        resolved[code], sources[code] = new, _("your file")
    for code, unit in retire_codes.items():
        if code in resolved:
            report.mapping.append(
                MappingLine(
                    code,
                    unit.name,
                    resolved[code],
                    row_names.get(resolved[code], ""),
                    sources[code],
                    with_areas.get(code, 0),
                    [
                        row_names.get(c, c)
                        for c in conv.divided.get(code, ())[1:]
                        if c != resolved[code]
                    ]
                    if code not in user_mapping
                    else [],
                )
            )
    for r, unit, _diff in changes + unchanged:  # a kept code whose commune was divided
        parts = conv.divided.get(unit.code, ())
        if unit.level == Level.COMMUNE and len(parts) > 1:
            report.mapping.append(
                MappingLine(
                    unit.code,
                    unit.name,
                    unit.code,
                    r["name"],
                    data_source,
                    with_areas.get(unit.code, 0),
                    [row_names.get(c, c) for c in parts if c != unit.code],
                )
            )
    report.mapping.sort(key=lambda line: line.old_code)
    areas = {
        a.code: a
        for a in Unit.objects.filter(
            level=Level.AREA, code__in=list(area_moves), valid_to__isnull=True
        )
    }
    _check_lines(
        report,
        area_moves,
        areas,
        row_codes,
        unknown=_("Code %(code)s is not a current residential area."),
    )
    for code, n in sorted(with_areas.items()):
        if code in retire_codes and code not in resolved:
            unit = retire_codes[code]
            report.error(
                f"{unit.name} ({code})",
                _(
                    "%(name)s is not in the new list and has %(n)d residential areas: say which "
                    "new commune it merged into (a mapping of old code to new code)."
                )
                % {"name": unit.name, "n": n},
            )
    return {
        "known": known,
        "creates": creates,
        "changes": changes,
        "unchanged": unchanged,
        "retire": retire,
        "mapping": resolved,
        "area_moves": {areas[old]: new for old, new in area_moves.items() if old in areas},
        "provinces": province_codes,
    }


def import_units(
    parse: Callable[..., list[dict]],
    source,
    *,
    actor,
    provinces: set[str] | None = None,
    decision=None,
    valid_from: datetime.date | None = None,
    mapping: dict[str, str] | None = None,
    whole_country: bool = False,
    dry_run: bool = False,
    progress=None,
) -> ImportReport:
    """An importer's `import_units`: its `parse(source, provinces=, report=)` gives the rows (the
    whole file, or the provinces whose codes are given), then `apply` checks and writes them, all
    or nothing. `whole_country` holds only when no provinces are chosen."""
    report = ImportReport()
    rows = parse(source, provinces=provinces, report=report)
    return apply(
        rows,
        actor=actor,
        report=report,
        decision=decision,
        valid_from=valid_from,
        mapping=mapping,
        whole_country=whole_country and not provinces,
        dry_run=dry_run,
        progress=progress,
    )


def apply(
    rows: list[dict],
    *,
    actor,
    report: ImportReport,
    decision=None,
    valid_from=None,
    mapping: dict[str, str] | None = None,
    whole_country: bool = False,
    dry_run: bool = False,
    progress=None,
) -> ImportReport:
    """Check, then write (all or nothing). `decision` is a `services.Decision`.

    `whole_country`: the list is the whole country, so provinces it no longer holds are retired
    too (merged into the province that took all their communes, if there is one). `dry_run`:
    everything is done and counted, then rolled back (what an officer reads before confirming).
    `progress(done, total)`, if given, is told every few hundred rows how far the writing is."""
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
    deferred: list[tuple[dict, Unit | None]] = []  # communes that take others in: after the moves
    provinces_changed: dict[int, tuple[dict, Unit, dict]] = {}  # renamed with their merge
    try:
        with transaction.atomic():
            units = dict(p["known"])
            establish = None
            for n, r in enumerate(sorted(rows, key=lambda r: r["level"])):
                if progress is not None and n % PROGRESS_EVERY == 0:
                    progress(n, len(rows))
                key = (r["level"], r["code"])
                parent = units.get(r["parent"]) if r["parent"] else None
                try:
                    if r["level"] == Level.COMMUNE and r["code"] in merges and key in changes:
                        deferred.append((r, changes[key][1]))
                        units[key] = changes[key][1]
                        continue
                    if r["level"] == Level.COMMUNE and r["code"] in merges and key in unchanged:
                        deferred.append((r, unchanged[key]))
                        units[key] = unchanged[key]
                        continue
                    if key in changes and r["level"] == Level.PROVINCE and p["retire"]:
                        # a province that may take others in (Yên Bái's code is today's Lào
                        # Cai): renamed with the merge, once, at the end
                        provinces_changed[changes[key][1].pk] = changes[key]
                        units[key] = changes[key][1]
                        continue
                    if key in changes:
                        r, unit, diff = changes[key]
                        unit = _change(actor, decision, report, r, unit, diff, parent=parent)
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
                        if r["level"] == Level.COMMUNE and r["code"] in merges:
                            deferred.append((r, None))
                    units[key] = unit
                except ValidationError as exc:
                    report.error(r["where"], _messages(exc))
            if report.ok:
                _move_areas(p["area_moves"], units, actor=actor, decision=decision, report=report)
            for r, keeper in deferred if report.ok else ():
                parent = units.get(r["parent"]) if r["parent"] else None
                sources = merges[r["code"]]
                try:
                    if keeper is None:  # a new commune formed from former ones
                        units_absorb(
                            actor=actor,
                            sources=sources,
                            target=units[(r["level"], r["code"])],
                            decision=decision,
                        )
                    else:
                        diff = changes.get((r["level"], r["code"]), (r, keeper, {}))[2]
                        units_merge(
                            actor=actor,
                            sources=[keeper, *sources],
                            keeper=keeper,
                            decision=decision,
                            name=r["name"],
                            short_name=r["short_name"],
                            kind=r["kind"],
                            parent=parent,
                        )
                        for what in diff:
                            report.count("changed", CHANGE_WORD[what]())
                    report.count("changed", _("merged into another unit"), len(sources))
                except ValidationError as exc:
                    report.error(r["where"], _messages(exc))
            merged = {u.pk for sources in merges.values() for u in sources}
            taken_over: dict[Unit, list[Unit]] = {}  # province → the provinces merged into it
            for u in p["retire"] if report.ok else ():  # communes, then districts, then provinces
                if u.pk in merged:
                    continue
                try:
                    unit = Unit.objects.get(pk=u.pk)
                    keeper = (
                        _province_taking_over(unit, decision) if u.level == Level.PROVINCE else None
                    )
                    if keeper is not None:
                        taken_over.setdefault(keeper, []).append(unit)
                        continue
                    unit_dissolve(actor=actor, unit=unit, decision=decision)
                    report.count("changed", _("retired"))
                except ValidationError as exc:
                    report.error(f"{u.name} ({u.code})", _messages(exc))
            for keeper, others in taken_over.items():  # one merge per province that takes over
                r, _unit, diff = provinces_changed.pop(keeper.pk, ({}, keeper, {}))
                try:
                    units_merge(
                        actor=actor,
                        sources=[keeper, *others],
                        keeper=keeper,
                        decision=decision,
                        name=r.get("name", ""),
                        short_name=r.get("short_name", ""),
                        kind=diff.get("kind", ""),
                    )
                    report.count("changed", _("merged into another unit"), len(others))
                    for what in diff:
                        report.count("changed", CHANGE_WORD[what]())
                except ValidationError as exc:
                    report.error(f"{keeper.name} ({keeper.code})", _messages(exc))
            for r, unit, diff in provinces_changed.values() if report.ok else ():
                try:
                    _change(actor, decision, report, r, unit, diff)
                except ValidationError as exc:
                    report.error(r["where"], _messages(exc))
            if not report.ok:
                raise ImportRefused(report)
            if dry_run:
                raise _DryRun
    except ImportRefused:
        report.discard_counts()
    except _DryRun:
        report.dry_run = True
    return report


PROGRESS_EVERY = 200


def _move_areas(moves: dict[Unit, str], units: dict, *, actor, decision, report) -> None:
    """The user's lines that send one residential area of a divided commune elsewhere."""
    for area, code in moves.items():
        target = units.get((Level.COMMUNE, code))
        if target is None or area.parent_id == target.pk:
            continue
        try:
            unit_change(actor=actor, unit=area, decision=decision, parent=target)
            report.count("changed", CHANGE_WORD["parent"]())
        except ValidationError as exc:
            report.error(f"{area.name} ({area.code})", _messages(exc))


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
