"""Writes to the territory. Every function is atomic and audited."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from caunoi.core.audit import audit_change, audit_created, audit_record, snapshot
from caunoi.core.models import locked, user_or_none
from caunoi.core.phones import normalize_phone
from caunoi.core.text import normalize, search_key

from . import audit, names, rollup
from .models import KIND_LEVEL, Household, Kind, Level, Restructuring, Unit, UnitVersion

HOUSEHOLD_FIELDS = [
    "code",
    "address",
    "representative_name",
    "representative_phone",
    "email",
    "members",
    "is_active",
]


def unit_key_parts(unit: Unit, ancestors: list[Unit]) -> str:
    """The search key of a unit: its names, then its ancestors' short names (nearest first)."""
    names = [unit.name, unit.short_name] + [a.short_name for a in reversed(ancestors)]
    return search_key(*names)


def _place(unit: Unit) -> None:
    """Set path and search key from the (saved) parent."""
    parent = unit.parent
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
    ancestors: list[Unit] = []
    node = parent
    while node is not None:
        ancestors.insert(0, node)
        node = node.parent
    unit.search_key = unit_key_parts(unit, ancestors)


def check_code_free(*, level: int, code: str) -> None:
    """A GSO code is never reused (Decision 124/2004/QĐ-TTg), even after its unit was retired."""
    if Unit.objects.filter(level=level, code=code).exists():
        raise ValidationError({"code": _("Code %(code)s is already used.") % {"code": code}})


@transaction.atomic
def unit_create(
    *,
    actor,
    kind: str,
    code: str,
    name: str,
    short_name: str = "",
    parent: Unit | None = None,
    area_type: str = "",
    valid_from: datetime.date | None = None,
    restructuring: Restructuring | None = None,
) -> Unit:
    level = KIND_LEVEL[Kind(kind)]
    code = normalize(code)
    name = normalize(name)
    check_code_free(level=level, code=code)
    if parent is None and level != Level.PROVINCE:
        raise ValidationError({"parent": _("Choose the unit this one belongs to.")})
    if parent is not None and parent.level >= level:
        raise ValidationError({"parent": _("The parent unit must be above this one.")})
    unit = Unit(
        level=level,
        code=code,
        kind=kind,
        area_type=area_type,
        name=name,
        short_name=normalize(short_name) or name,
        parent=parent,
        valid_from=valid_from,
        path="",
        search_key="",
    )
    unit.full_clean(exclude=["path", "search_key"])
    unit.save()
    _place(unit)
    unit.save(update_fields=["path", "search_key"])
    UnitVersion.of(unit, valid_from=valid_from, started_by=restructuring).save()
    audit_created(actor=actor, action=audit.UNIT_CREATED, obj=unit, unit=unit)
    return unit


def _household_clean(values: dict) -> dict:
    cleaned = {k: normalize(v) if isinstance(v, str) else v for k, v in values.items()}
    if cleaned.get("representative_phone"):
        cleaned["representative_phone"] = normalize_phone(cleaned["representative_phone"])
    return cleaned


def household_counts_refresh(area_ids) -> None:
    """Recount the active households of these areas (after any write that adds, removes or moves
    households). One UPDATE whatever the number of areas."""
    active = (
        Household.objects.filter(area=OuterRef("pk"), is_active=True)
        .order_by()
        .values("area")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Unit.objects.filter(pk__in=list(area_ids), level=Level.AREA).update(
        household_count=Coalesce(Subquery(active), 0)
    )


def last_household_number(area: Unit) -> int:
    """The highest number NNN of the area's household codes "<area code>-NNN" (0 for none), the
    households that left included: a code is never given twice."""
    prefix = f"{area.code}-"
    codes = Household.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    return max((int(c[len(prefix) :]) for c in codes if c[len(prefix) :].isdigit()), default=0)


def next_household_code(area: Unit) -> str:
    """The area's next household code, "<area code>-NNN", never one used before."""
    return f"{area.code}-{last_household_number(area) + 1:03d}"


@transaction.atomic
def household_create(*, actor, area: Unit, code: str = "", **values) -> Household:
    """Add a household to a current area. Without a code, the next free one is given; the same
    head of household at the same address is refused (a double submission adds nothing)."""
    if area.level != Level.AREA or not area.is_current:
        raise ValidationError(_("Households belong to a current residential area."))
    Unit.objects.select_for_update().filter(pk=area.pk).first()  # one writer per area at a time
    values = _household_clean(values)
    if values.get("representative_name") and (
        Household.objects.filter(
            area=area,
            is_active=True,
            representative_name__iexact=values["representative_name"],
            address__iexact=values.get("address", ""),
        ).exists()
    ):
        raise ValidationError(
            _("%(name)s at this address is already on the list of this area.")
            % {"name": values["representative_name"]}
        )
    household = Household(area=area, code=normalize(code) or next_household_code(area), **values)
    household.search_key = search_key(
        household.code, household.representative_name, household.address
    )
    household.full_clean()
    household.save()
    household_counts_refresh([area.pk])
    audit_created(
        actor=actor,
        action=audit.HOUSEHOLD_CREATED,
        obj=household,
        unit=area,
        fields=HOUSEHOLD_FIELDS,
    )
    return household


@transaction.atomic
def household_update(*, actor, household: Household, **values) -> Household:
    household = locked(household)
    before = snapshot(household, HOUSEHOLD_FIELDS)
    for key, value in _household_clean(values).items():
        setattr(household, key, value)
    household.search_key = search_key(
        household.code, household.representative_name, household.address
    )
    household.full_clean()
    household.save()
    after = snapshot(household, HOUSEHOLD_FIELDS)
    if after["is_active"] != before["is_active"]:
        household_counts_refresh([household.area_id])
    if after != before:
        audit_record(
            actor=actor,
            action=audit.HOUSEHOLD_UPDATED,
            obj=household,
            unit=household.area,
            before=before,
            after=after,
        )
    return household


# ---------------------------------------------------------------------------------------------
# Restructuring: rename, move, reclassify, merge, dissolve.
#
# Every operation records one `Restructuring` (the legal act: effective date, decision), closes
# the current `UnitVersion` of each unit it touches (valid_to = effective date, exclusive), opens a
# new one (valid_from = effective date), updates the current fields of `Unit`, and re-derives
# `path` and `search_key` of the unit and everything below it in bulk.
# Retired units keep their code forever.
# ---------------------------------------------------------------------------------------------


@dataclass
class Decision:
    """The legal act ordering a change, and the day it takes effect."""

    effective_date: datetime.date
    number: str = ""
    date: datetime.date | None = None
    authority: str = ""
    note: str = ""


def _current_version(unit: Unit) -> UnitVersion | None:
    return unit.versions.filter(valid_to__isnull=True).order_by("-id").first()


def _check_changeable(unit: Unit, effective: datetime.date, *, label: str = "") -> UnitVersion:
    """The unit's current version, after checking the unit may change on `effective`."""
    name = label or unit.name
    if not unit.is_current:
        raise ValidationError(
            _("%(name)s no longer exists (retired on %(date)s).")
            % {"name": name, "date": unit.valid_to.strftime("%d/%m/%Y") if unit.valid_to else ""}
        )
    version = _current_version(unit)
    if version is None:
        raise ValidationError(_("%(name)s has no current record.") % {"name": name})
    if version.valid_from is not None and effective <= version.valid_from:
        raise ValidationError(
            _(
                "The effective date must be after %(date)s, when the current record of %(name)s "
                "began."
            )
            % {"date": version.valid_from.strftime("%d/%m/%Y"), "name": name}
        )
    return version


def _check_decision(decision: Decision) -> Decision:
    if not isinstance(decision.effective_date, datetime.date):
        raise ValidationError({"effective_date": _("Enter the effective date.")})
    if decision.effective_date > datetime.date.today():
        raise ValidationError(
            {
                "effective_date": _(
                    "Record a change on or after the day it takes effect, not before."
                )
            }
        )
    if decision.date and decision.date > decision.effective_date:
        raise ValidationError(
            {"decision_date": _("The decision cannot be dated after the day it takes effect.")}
        )
    decision.number = normalize(decision.number)
    decision.authority = normalize(decision.authority)
    decision.note = normalize(decision.note)
    return decision


def restructuring_create(kind: str, decision: Decision, actor) -> Restructuring:
    r = Restructuring(
        kind=kind,
        effective_date=decision.effective_date,
        decision_number=decision.number,
        decision_date=decision.date,
        decision_authority=decision.authority,
        note=decision.note,
        created_by=user_or_none(actor),
    )
    r.full_clean()
    r.save()
    return r


def _new_version(unit: Unit, r: Restructuring, *, version: UnitVersion | None = None, **changes):
    """Close the unit's current version on the effective date and open one with `changes`
    applied; updates the unit's current fields (not path/search key: see `_rebuild_paths`)."""
    version = version or _current_version(unit)
    day = r.effective_date
    if version is not None:
        if version.valid_from is not None and day <= version.valid_from:
            raise ValidationError(
                _("%(name)s already changed on or after %(date)s.")
                % {"name": unit.name, "date": day.strftime("%d/%m/%Y")}
            )
        version.valid_to = day
        version.ended_by = r
        version.save(update_fields=["valid_to", "ended_by"])
    for key, value in changes.items():
        setattr(unit, key, value)
    unit.full_clean(exclude=["path", "search_key"])
    unit.save()
    UnitVersion.of(unit, valid_from=day, started_by=r).save()
    return unit


def _retire(unit: Unit, r: Restructuring, *, version: UnitVersion | None = None) -> None:
    version = version or _current_version(unit)
    if version is not None:
        version.valid_to = r.effective_date
        version.ended_by = r
        version.save(update_fields=["valid_to", "ended_by"])
    unit.valid_to = r.effective_date
    unit.full_clean(exclude=["path", "search_key"])
    unit.save(update_fields=["valid_to"])


def _move_children(children, new_parent: Unit, r: Restructuring) -> int:
    """Give current child units a new parent, each with its own new version (in bulk)."""
    children = list(children)
    if not children:
        return 0
    ids = [c.pk for c in children]
    day = r.effective_date
    late = UnitVersion.objects.filter(unit_id__in=ids, valid_to__isnull=True, valid_from__gte=day)
    if late.exists():
        names = ", ".join(late.values_list("name", flat=True)[:5])
        raise ValidationError(
            _("These units already changed on or after %(date)s: %(names)s.")
            % {"date": day.strftime("%d/%m/%Y"), "names": names}
        )
    UnitVersion.objects.filter(unit_id__in=ids, valid_to__isnull=True).update(
        valid_to=day, ended_by=r
    )
    UnitVersion.objects.bulk_create(
        [UnitVersion.of(c, parent=new_parent, valid_from=day, started_by=r) for c in children],
        batch_size=1000,
    )
    Unit.objects.filter(pk__in=ids).update(parent=new_parent)
    return len(children)


def _rebuild_paths(*roots: Unit) -> None:
    """Re-derive `path` and `search_key` of each root and every unit below it (following parent
    links, retired units included), in a few queries per root."""
    for root in roots:
        root.refresh_from_db()
        chain: list[Unit] = []
        parent_id = root.parent_id
        while parent_id:
            node = Unit.objects.get(pk=parent_id)
            chain.insert(0, node)
            parent_id = node.parent_id
        by_parent: dict[int, list[Unit]] = {}
        frontier = [root.pk]
        seen = {root.pk}
        while frontier:
            found = [u for u in Unit.objects.filter(parent_id__in=frontier) if u.pk not in seen]
            for u in found:
                seen.add(u.pk)
                if u.parent_id is not None:  # found by its parent: always set
                    by_parent.setdefault(u.parent_id, []).append(u)
            frontier = [u.pk for u in found]
        changed = []
        stack = [(root, chain)]
        while stack:
            unit, above = stack.pop()
            path = f"{above[-1].path if above else '/'}{unit.pk}/"
            key = unit_key_parts(unit, above)
            if unit.path != path or unit.search_key != key:
                unit.path, unit.search_key = path, key
                changed.append(unit)
            stack.extend((child, [*above, unit]) for child in by_parent.get(unit.pk, []))
        Unit.objects.bulk_update(changed, ["path", "search_key"], batch_size=1000)


def _unit_audit(actor, action: str, unit: Unit, r: Restructuring, before: dict, extra=None):
    after = snapshot(unit, UNIT_FIELDS)
    after["restructuring"] = r.pk
    if extra:
        after.update(extra)
    audit_record(actor=actor, action=action, obj=unit, unit=unit, before=before, after=after)


UNIT_FIELDS = [
    "code",
    "kind",
    "area_type",
    "name",
    "short_name",
    "parent",
    "valid_from",
    "valid_to",
]


def _same_level_parent(unit: Unit, parent: Unit) -> None:
    if parent.level >= unit.level:
        raise ValidationError({"parent": _("The new parent must be above this unit.")})
    if unit.level == Level.AREA and parent.level != Level.COMMUNE:
        raise ValidationError({"parent": _("A residential area belongs to a commune.")})
    if not parent.is_current:
        raise ValidationError({"parent": _("The new parent unit no longer exists.")})


@transaction.atomic
def unit_change(
    *,
    actor,
    unit: Unit,
    decision: Decision,
    name: str | None = None,
    short_name: str | None = None,
    kind: str | None = None,
    area_type: str | None = None,
    parent: Unit | None = None,
    restructuring_kind: str = "",
    restructuring: Restructuring | None = None,
) -> Unit:
    """Rename, reclassify and/or move one unit in one act (what an import finds changed)."""
    decision = _check_decision(decision)
    unit = locked(unit)
    version = _check_changeable(unit, decision.effective_date)
    before = snapshot(unit, UNIT_FIELDS)
    changes: dict = {}
    if name is not None:
        name = normalize(name)
        if not name:
            raise ValidationError({"name": _("Enter the new name.")})
        short_name = normalize(short_name) or (
            name if unit.level == Level.AREA else names.short_name(name)
        )
        if name != unit.name:
            changes["name"] = name
        if short_name != unit.short_name:
            changes["short_name"] = short_name
    if area_type is not None and area_type != unit.area_type:
        if unit.level != Level.AREA:
            raise ValidationError({"area_type": _("Only residential areas have an area type.")})
        changes["area_type"] = area_type
    if kind is not None and kind != unit.kind:
        if Kind(kind) not in KIND_LEVEL or KIND_LEVEL[Kind(kind)] != unit.level:
            raise ValidationError({"kind": _("A unit cannot change level by a change of kind.")})
        changes["kind"] = kind
    if parent is not None and parent.pk != unit.parent_id:
        _same_level_parent(unit, parent)
        if parent.path.startswith(unit.path):
            raise ValidationError({"parent": _("A unit cannot move under itself.")})
        changes["parent"] = parent
    if not changes:
        raise ValidationError(_("Nothing changes: %(name)s already is so.") % {"name": unit.name})
    if not restructuring_kind:
        restructuring_kind = (
            Restructuring.Kind.MOVE
            if "parent" in changes
            else Restructuring.Kind.RECLASSIFY
            if "kind" in changes
            else Restructuring.Kind.RENAME
        )
    r = restructuring or restructuring_create(restructuring_kind, decision, actor)
    _new_version(unit, r, version=version, **changes)
    r.sources.add(unit)
    r.results.add(unit)
    if {"parent", "name", "short_name"} & changes.keys():
        _rebuild_paths(unit)
        unit.refresh_from_db()
    if "parent" in changes:
        rollup.rekey_below(unit)  # its areas' facts follow it
    _unit_audit(actor, audit.UNIT_CHANGED[Restructuring.Kind(restructuring_kind)], unit, r, before)
    return unit


def unit_rename(
    *,
    actor,
    unit: Unit,
    name: str,
    decision: Decision,
    short_name: str = "",
    area_type: str | None = None,
) -> Unit:
    return unit_change(
        actor=actor,
        unit=unit,
        decision=decision,
        name=name,
        short_name=short_name,
        area_type=area_type,
        restructuring_kind=Restructuring.Kind.RENAME,
    )


@transaction.atomic
def units_merge(
    *,
    actor,
    sources: list[Unit],
    keeper: Unit,
    decision: Decision,
    name: str = "",
    short_name: str = "",
    kind: str = "",
    area_type: str = "",
    parent: Unit | None = None,
    restructuring: Restructuring | None = None,
) -> Unit:
    """Merge `sources` into one unit. The `keeper` (one of the sources: the one whose seat the new
    unit keeps) keeps its code and takes the new name/kind; the others are retired and their codes
    never given again. Children of the retired units, and for areas their households, move to the
    keeper."""
    decision = _check_decision(decision)
    ids = {u.pk for u in sources}
    if keeper.pk not in ids:
        raise ValidationError(
            {"keeper": _("The unit that keeps its code must be one of those merged.")}
        )
    if len(ids) < 2:
        raise ValidationError({"sources": _("Choose at least two units to merge.")})
    units = list(Unit.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    if len({u.level for u in units}) != 1:
        raise ValidationError({"sources": _("Only units of the same level can be merged.")})
    keeper = next(u for u in units if u.pk == keeper.pk)
    versions = {u.pk: _check_changeable(u, decision.effective_date) for u in units}
    if keeper.level == Level.AREA and len({u.parent_id for u in units}) != 1 and parent is None:
        raise ValidationError(
            {"sources": _("Only residential areas of the same commune can be merged.")}
        )
    before = {u.pk: snapshot(u, UNIT_FIELDS) for u in units}
    others = [u for u in units if u.pk != keeper.pk]
    r = restructuring or restructuring_create(Restructuring.Kind.MERGE, decision, actor)
    r.sources.add(*units)
    r.results.add(keeper)
    changes: dict = {}
    if name:
        changes["name"] = normalize(name)
        changes["short_name"] = normalize(short_name) or (
            changes["name"] if keeper.level == Level.AREA else names.short_name(changes["name"])
        )
    if kind:
        if KIND_LEVEL.get(Kind(kind)) != keeper.level:
            raise ValidationError({"kind": _("A unit cannot change level by a change of kind.")})
        changes["kind"] = kind
    if area_type:
        changes["area_type"] = area_type
    if parent is not None and parent.pk != keeper.parent_id:
        _same_level_parent(keeper, parent)
        changes["parent"] = parent
    # The keeper always gets a new version: what it covers changed, even if its name did not.
    _new_version(keeper, r, version=versions[keeper.pk], **changes)
    moved, households = _retire_into(
        keeper, others, r, versions=versions, before=before, actor=actor
    )
    _unit_audit(
        actor,
        audit.UNIT_MERGED,
        keeper,
        r,
        before[keeper.pk],
        {
            "merged": [u.code for u in others],
            "children_moved": moved,
            "households_moved": households,
        },
    )
    return keeper


@transaction.atomic
def units_absorb(*, actor, sources: list[Unit], target: Unit, decision: Decision) -> Unit:
    """Retire `sources` into `target`, a unit that begins on the effective date (a new commune
    formed from former ones, under a new code): one merge, their children (and for areas their
    households) move to it."""
    decision = _check_decision(decision)
    target = locked(target)
    if not target.is_current or target.valid_from != decision.effective_date:
        raise ValidationError(
            _("%(name)s must begin on the day the merge takes effect.") % {"name": target.name}
        )
    units = list(
        Unit.objects.select_for_update().filter(pk__in={u.pk for u in sources}).order_by("pk")
    )
    if not units or any(u.level != target.level or u.pk == target.pk for u in units):
        raise ValidationError({"sources": _("Only units of the same level can be merged.")})
    versions = {u.pk: _check_changeable(u, decision.effective_date) for u in units}
    before = {u.pk: snapshot(u, UNIT_FIELDS) for u in units}
    r = restructuring_create(Restructuring.Kind.MERGE, decision, actor)
    r.sources.add(*units)
    r.results.add(target)
    moved, households = _retire_into(
        target, units, r, versions=versions, before=before, actor=actor
    )
    _unit_audit(
        actor,
        audit.UNIT_MERGED,
        target,
        r,
        snapshot(target, UNIT_FIELDS),
        {
            "merged": [u.code for u in units],
            "children_moved": moved,
            "households_moved": households,
        },
    )
    return target


def _retire_into(
    target: Unit, others: list[Unit], r, *, versions, before, actor
) -> tuple[int, int]:
    """Retire `others` into `target` (one merge, `r`): their current children, and for areas their
    households, move to it; the paths and roll-up keys below it are rebuilt (the areas it took
    over, or all of them if it moved); each retired unit's audit (`before`, by pk) names where it
    went. Answers (children moved, households moved)."""
    moved = households = 0
    for other in others:
        _retire(other, r, version=versions[other.pk])
        moved += _move_children(_current_children(other), target, r)
        if other.level == Level.AREA:
            households += Household.objects.filter(area=other).update(area=target)
    if target.level == Level.AREA:
        household_counts_refresh([target.pk, *(o.pk for o in others)])
    _rebuild_paths(target)
    target.refresh_from_db()
    rollup.rekey_below(target)
    for other in others:
        other.refresh_from_db()
        _unit_audit(
            actor, audit.UNIT_RETIRED, other, r, before[other.pk], {"merged_into": target.code}
        )
    return moved, households


def _current_children(unit: Unit):
    return Unit.objects.filter(parent=unit, valid_to__isnull=True)


def next_area_code(commune: Unit, *, taken: set[str] | None = None) -> str:
    """The next never-used area code of a commune: "<commune code>-NN" (retired ones count)."""
    taken = set(taken or ())
    prefix = f"{commune.code}-"
    numbers = [0]
    for code in list(
        Unit.objects.filter(level=Level.AREA, code__startswith=prefix).values_list(
            "code", flat=True
        )
    ) + [c for c in taken if c.startswith(prefix)]:
        tail = code[len(prefix) :]
        if tail.isdigit():
            numbers.append(int(tail))
    return f"{prefix}{max(numbers) + 1:02d}"


@transaction.atomic
def unit_dissolve(
    *, actor, unit: Unit, decision: Decision, children_to: Unit | None = None
) -> Unit:
    """Retire a unit. What it still holds (child units; for an area, its households) moves to
    `children_to`, which is required when there is anything to move."""
    decision = _check_decision(decision)
    unit = locked(unit)
    version = _check_changeable(unit, decision.effective_date)
    children = list(_current_children(unit))
    active = unit.households.filter(is_active=True).exists() if unit.level == Level.AREA else False
    if (children or active) and children_to is None:
        raise ValidationError(
            {
                "children_to": _("%(name)s still holds units or households: say where they go.")
                % {"name": unit.name}
            }
        )
    if children_to is not None:
        fits = (
            children_to.is_current
            and children_to.pk != unit.pk
            and not children_to.path.startswith(unit.path)
            and (
                children_to.level == Level.AREA
                if unit.level == Level.AREA
                else children_to.level <= unit.level
            )
        )
        if not fits:
            raise ValidationError(
                {"children_to": _("Choose a current unit, not inside this one, to take them over.")}
            )
    before = snapshot(unit, UNIT_FIELDS)
    r = restructuring_create(Restructuring.Kind.DISSOLVE, decision, actor)
    r.sources.add(unit)
    _retire(unit, r, version=version)
    moved = 0
    if children:
        assert children_to is not None  # checked above: required when there is anything to move
        moved = _move_children(children, children_to, r)
        _rebuild_paths(children_to)
        rollup.rekey_below(*children)  # the areas that moved re-keyed
    households = 0
    if unit.level == Level.AREA and children_to is not None:
        households = Household.objects.filter(area=unit).update(area=children_to)
        household_counts_refresh([unit.pk, children_to.pk])
    if children_to is not None:
        r.results.add(children_to)
    unit.refresh_from_db()
    _unit_audit(
        actor,
        audit.UNIT_DISSOLVED,
        unit,
        r,
        before,
        {
            "children_moved": moved,
            "households_moved": households,
            "taken_over_by": children_to.code if children_to else None,
        },
    )
    return unit


@transaction.atomic
def area_create(
    *, actor, commune: Unit, area_type: str, name: str, valid_from: datetime.date | None = None
) -> Unit:
    """A new residential area of a commune, with the next never-used code ("08119-07")."""
    if commune.level != Level.COMMUNE or not commune.is_current:
        raise ValidationError(_("Residential areas belong to a current commune."))
    name = normalize(name)
    if not name:
        raise ValidationError({"name": _("Write the area's name or number.")})
    full = names.area_full_name(area_type, name)
    others = Unit.objects.filter(parent=commune, level=Level.AREA, valid_to__isnull=True)
    if any(search_key(o.name) == search_key(full) for o in others):
        raise ValidationError(
            {"name": _("%(name)s already exists in this commune.") % {"name": full}}
        )
    return unit_create(
        actor=actor,
        kind=Kind.AREA,
        code=next_area_code(commune),
        name=full,
        short_name=full,
        parent=commune,
        area_type=area_type,
        valid_from=valid_from or datetime.date.today(),
    )


@transaction.atomic
def unit_correct(*, actor, unit: Unit, name: str, area_type: str | None = None) -> Unit:
    """Fix a typing mistake in the current name: no restructuring, the current version is
    corrected in place (and audited)."""
    unit = locked(unit)
    if not unit.is_current:
        raise ValidationError(_("%(name)s no longer exists.") % {"name": unit.name})
    name = normalize(name)
    if unit.level == Level.AREA and area_type:
        name = names.area_full_name(area_type, name)
    if not name:
        raise ValidationError({"name": _("Enter the new name.")})
    with audit_change(
        actor=actor, action=audit.UNIT_CORRECTED, obj=unit, unit=unit, fields=UNIT_FIELDS
    ) as before:
        unit.name = name
        unit.short_name = name if unit.level == Level.AREA else names.short_name(name)
        if area_type is not None and unit.level == Level.AREA:
            unit.area_type = area_type
        if snapshot(unit, UNIT_FIELDS) == before:
            raise ValidationError(
                _("Nothing changes: %(name)s already is so.") % {"name": unit.name}
            )
        unit.full_clean(exclude=["path", "search_key"])
        unit.save()
        UnitVersion.objects.filter(unit=unit, valid_to__isnull=True).update(
            name=unit.name, short_name=unit.short_name, area_type=unit.area_type
        )
        _rebuild_paths(unit)
        unit.refresh_from_db()
    return unit
