import dataclasses
import datetime
import json
import re
import statistics
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection
from django.db.models import Aggregate, Count, Exists, FilteredRelation, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caunoi.core.audit import action_label
from caunoi.core.memo import per_request
from caunoi.core.models import AuditEntry
from caunoi.core.text import sort_key
from caunoi.people.access import APPOINTABLE, Access
from caunoi.territory import rollup
from caunoi.territory.models import Household, Level, Unit
from caunoi.territory.selectors import in_order

from . import policy
from .dates import add_months
from .models import (
    ROLE_LEVEL,
    AllowanceRate,
    AreaCategory,
    Education,
    HeadProfile,
    Mandate,
    PoliticalTheory,
    Post,
    Qualification,
    Role,
    Sex,
    TermState,
)


def person_mandates(person) -> list[Mandate]:
    """The person's active mandates with their units (and households with their area and
    commune), most local first. One query per request, however many sections ask
    (`core.memo.per_request`)."""
    if not getattr(person, "is_authenticated", False) or person.pk is None:
        return []
    return list(
        per_request(
            ("people.person_mandates", person.pk),
            lambda: list(
                Mandate.objects.active()
                .filter(person=person)
                .select_related("unit", "household__area__parent")
                .order_by("-unit__level", "role", "id")
            ),
        )
    )


# --- Mandates of a ground -------------------------------------------------------------------------

ROLE_ORDER = [
    Role.PROVINCE_OFFICER,
    Role.DISTRICT_OFFICER,
    Role.COMMUNE_LEADER,
    Role.COMMUNE_OFFICER,
    Role.HEAD,
    Role.DEPUTY_HEAD,
    Role.INSPECTOR,
    Role.TREASURER,
    Role.SYSADMIN,
    Role.RESIDENT,
]


def unit_list_of_ground(unit: Unit) -> list[Unit]:
    """The unit and its current children: the places whose mandates its page manages."""
    children = in_order(Unit.objects.filter(parent=unit, valid_to__isnull=True))
    return [unit, *children]


def unit_list_appointable(actor, units: list[Unit]) -> list[Unit]:
    """Those of `units` where the actor may appoint at least one role."""
    access = Access.for_user(actor)
    roles = set().union(*(APPOINTABLE.get(g.role, ()) for g in access.grants))
    return [
        u
        for u in units
        if u.is_current
        and any(ROLE_LEVEL.get(Role(r)) == u.level and access.may_appoint(r, u) for r in roles)
    ]


def mandate_list_by_unit(units: list[Unit]) -> dict[int, list[Mandate]]:
    """{unit id: [active mandates]} on the given units, residents left out (one query)."""
    mandates = (
        Mandate.objects.active()
        .filter(unit__in=units)
        .exclude(role=Role.RESIDENT)
        .select_related("person", "unit")
    )
    order = {role: i for i, role in enumerate(ROLE_ORDER)}
    by_unit: dict[int, list[Mandate]] = {u.pk: [] for u in units}
    for m in sorted(mandates, key=lambda m: (order.get(m.role, 99), m.start, m.pk)):
        by_unit.setdefault(m.unit_id, []).append(m)
    return by_unit


def mandate_list_of_heads(areas, *, on: datetime.date | None = None) -> dict[int, Mandate]:
    """{area id: the mandate of its head on `on` (today by default), its person joined} for the
    given areas (units or ids), one query; an area with two heads that day (a handover) shows the
    one who started last. The one read of "the head of each area": territory's pages, directives,
    feedback and reports."""
    mandates = (
        Mandate.objects.active(on=on)
        .filter(unit__in=list(areas), role=Role.HEAD)
        .select_related("person")
        .order_by("unit_id", "-start", "-pk")
    )
    return {m.unit_id: m for m in reversed(list(mandates))}


def mandate_list_active(*, ground: Q, within: Unit | None = None, role: str | None = None):
    """Active mandates on units matching `ground` (an access filter with the "unit__" prefix),
    optionally within a unit's subtree and of one role, by unit (the API's list; it lived in the
    api app before)."""
    qs = Mandate.objects.active().filter(ground).filter(unit__isnull=False)
    if within is not None:
        qs = qs.filter(unit__path__startswith=within.path)
    if role:
        qs = qs.filter(role=role)
    return qs.select_related("person", "unit", "household").order_by("unit__path", "role", "id")


def unit_children_label(unit: Unit):
    if (
        unit.level == Level.PROVINCE
        and not unit.children.filter(level=Level.DISTRICT, valid_to__isnull=True).exists()
    ):
        return _("Communes")  # two-level Vietnam (since 01/07/2025): no district level
    return {
        Level.PROVINCE: _("Districts"),
        Level.DISTRICT: _("Communes"),
        Level.COMMUNE: _("Residential areas"),
    }.get(Level(unit.level), "")


# --- Audit ----------------------------------------------------------------------------------------


def audit_entry_list(unit: Unit):
    """The change log of the unit's ground, newest first (paginate it)."""
    return (
        AuditEntry.objects.filter(unit_path__startswith=unit.path)
        .select_related("actor", "on_behalf_of")
        .order_by("-at", "-id")
    )


@lru_cache(maxsize=64)
def _field(object_type: str, name: str):
    try:
        return apps.get_model(object_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


def _show(field, value, names=None) -> str:
    """A stored value for people. Whatever a writer once stored (a code where an id belongs, a list
    for a choice, a number out of range) is shown as written rather than failing the page."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, list | dict):
        return _shorten(json.dumps(value, ensure_ascii=False, default=str))
    if field is not None and field.is_relation and names is not None:
        return names.get((field.related_model, _lookup_pk(field, value)), f"#{_shorten(value)}")
    if field is not None and getattr(field, "choices", None):
        return _shorten(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, str) and _ISO_DATE.match(value):
        return f"{value[8:10]}/{value[5:7]}/{value[0:4]}"  # an ISO date, shown dd/mm/yyyy
    return _shorten(value)


_ISO_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
SHOWN_CHARACTERS = 300


def _shorten(value) -> str:
    text = str(value)
    return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 1] + "…"


def _lookup_pk(field, value):
    """The primary key a stored value names, or None when it cannot name one (a code, a list, a
    number no database column holds)."""
    if isinstance(value, bool) or not isinstance(value, int | str) or value == "":
        return None
    pk_field = field.related_model._meta.pk
    try:
        pk = pk_field.to_python(value)
    except (ValidationError, TypeError, ValueError):
        return None
    if isinstance(pk, int):
        low, high = connection.ops.integer_field_range(pk_field.get_internal_type())
        if (low is not None and pk < low) or (high is not None and pk > high):
            return None
    return pk


def _as_dict(values) -> dict:
    """A stored before/after: a dict of fields, or nothing (anything else was never one)."""
    return values if isinstance(values, dict) else {}


def _raw_changes(entry: AuditEntry) -> list[tuple]:
    """(field name, model field or None, before, after, has before, has after) that differ."""
    before = _as_dict(entry.before)
    after = _as_dict(entry.after)
    changes = []
    for name in dict.fromkeys([*before, *after]):
        if name == "id":
            continue
        old, new = before.get(name), after.get(name)
        if name in before and name in after and old == new:
            continue
        if name not in before and new in (None, "", []):
            continue  # an empty field of a new object says nothing
        if name not in after and old in (None, "", []):
            continue
        field = _field(entry.object_type, name)
        if field is not None and field.is_relation and not field.many_to_one:
            field = None  # shown as stored
        changes.append((name, field, old, new, name in before, name in after))
    return changes


def audit_entry_rows(entries) -> list[dict]:
    """The page's entries with readable labels and changes. Related objects named by their
    current name: one query per kind of related object, whatever the number of entries."""
    raw = [(e, _raw_changes(e)) for e in entries]
    wanted: dict = {}
    for _e, changes in raw:
        for _name, field, old, new, _hb, _ha in changes:
            if field is not None and field.is_relation:
                for value in (old, new):
                    pk = _lookup_pk(field, value)
                    if pk is not None:  # an entry written with a code instead of an id: as written
                        wanted.setdefault(field.related_model, set()).add(pk)
    names = {}
    for model, pks in wanted.items():
        for pk, obj in model._default_manager.in_bulk(list(pks)).items():
            names[(model, pk)] = str(obj)
    rows = []
    for e, changes in raw:
        shown = []
        for name, field, old, new, has_before, has_after in changes:
            label = str(field.verbose_name) if field is not None else name
            shown.append(
                {
                    "field": label[:1].upper() + label[1:],
                    "before": _show(field, old, names) if has_before else "",
                    "after": _show(field, new, names) if has_after else "",
                }
            )
        rows.append({"e": e, "label": action_label(e.action), "changes": shown})
    return rows


# --- The head register ----------------------------------------------------------------------------


def mandate_term_end(mandate: Mandate) -> datetime.date:
    """The recorded end of term, or the election plus the province's term (HEAD_TERM_MONTHS)."""
    if mandate.term_end:
        return mandate.term_end
    return add_months(mandate.start, policy.HEAD_TERM_MONTHS.value)


@dataclass
class RegisterRow:
    """A current area of the register with its head and deputy (active mandates, with their
    person and profile), the head's end of term, the alerts, and the allowance when asked."""

    area: Unit
    head: Mandate | None = None
    deputy: Mandate | None = None
    term_end: datetime.date | None = None
    vacant_since: datetime.date | None = None  # the last head's end, while the post is vacant
    alerts: list[tuple[str, Any]] = dataclasses.field(default_factory=list)
    allowance: AllowanceRate | None = None  # register_allowances

    @property
    def profile(self) -> HeadProfile | None:
        return getattr(self.head.person, "head_profile", None) if self.head else None


def register_rows(unit: Unit, *, today=None) -> list[RegisterRow]:
    """Every current area under `unit` with its head, deputy, profile, term and alerts (2 queries:
    the areas with their last head's end, the active head and deputy mandates with people and
    profiles)."""
    today = today or timezone.localdate()
    last_head_end = (
        Mandate.objects.filter(unit=OuterRef("pk"), role=Role.HEAD, end__lte=today)
        .order_by("-end")
        .values("end")[:1]
    )
    # communes, then their areas, in Vietnamese order ("Khu 2" before "Khu 10")
    areas = sorted(
        Unit.objects.filter(level=Level.AREA, path__startswith=unit.path, valid_to__isnull=True)
        .select_related("parent")
        .annotate(last_head_end=Subquery(last_head_end)),
        key=lambda a: (
            (sort_key(a.parent.name if a.parent else ""), a.parent_id or 0)
            + (sort_key(a.name), a.code)
        ),
    )
    by_area = {a.pk: RegisterRow(area=a) for a in areas}
    active = (
        Mandate.objects.active(on=today)
        .filter(role__in=[Role.HEAD, Role.DEPUTY_HEAD], unit__path__startswith=unit.path)
        .select_related("person", "person__head_profile")
    )
    for m in active:
        row = by_area.get(m.unit_id)
        if row is not None:
            if m.role == Role.HEAD:
                row.head = m
            else:
                row.deputy = m
    ending = datetime.timedelta(days=policy.HEAD_TERM_ENDING_ALERT_DAYS.value)
    election_days = policy.HEAD_VACANCY_ELECTION_DAYS.value
    temporary_months = policy.HEAD_TEMPORARY_MAX_MONTHS.value
    for row in by_area.values():
        alerts = row.alerts
        head = row.head
        if head is None:
            since = row.area.last_head_end  # type: ignore[attr-defined]  # (annotated above)
            row.vacant_since = since
            alerts.append(("vacant", _("Post vacant")))
            if since and (today - since).days > election_days:
                alerts.append(
                    (
                        "no_election",
                        _("No election decided within %(n)s days of the vacancy")
                        % {"n": election_days},
                    )
                )
        else:
            end = mandate_term_end(head)
            row.term_end = end
            if today <= end <= today + ending:
                alerts.append(
                    ("term_ending", _("Term ends on %(d)s") % {"d": end.strftime("%d/%m/%Y")})
                )
            elif end < today and head.term_state != TermState.EXTENDED:
                alerts.append(
                    ("term_over", _("Term ended on %(d)s") % {"d": end.strftime("%d/%m/%Y")})
                )
            if (
                head.term_state == TermState.TEMPORARY
                and add_months(head.start, temporary_months) < today
            ):
                alerts.append(
                    (
                        "temporary_long",
                        _("Temporary head for more than %(n)s months") % {"n": temporary_months},
                    )
                )
    return list(by_area.values())


# The profile fields counted by label, with their choices.
DISTRIBUTIONS = {
    "education": Education,
    "qualification": Qualification,
    "political_theory": PoliticalTheory,
}


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class RegisterFigures:
    """The review's figures over the heads of a ground: counts, shares of the recorded profiles,
    distributions [(label, n)], medians."""

    areas: int
    heads: int
    profiles: int
    aged_60: float | None
    party: float | None
    concurrent: float | None
    women: float | None
    education: list[tuple[Any, int]]
    qualification: list[tuple[Any, int]]
    theory: list[tuple[Any, int]]
    median_age: float | None = None
    median_years: float | None = None

    @property
    def vacant(self) -> int:
        return self.areas - self.heads

    @classmethod
    def of(cls, **n: int) -> "RegisterFigures":
        """From the roll-up's counts (`_register_counts`)."""

        def distribution(attr: str) -> list[tuple[Any, int]]:
            choices = DISTRIBUTIONS[attr]
            return [(label, n[f"{attr}_{value}"]) for value, label in choices.choices] + [
                (_("Not recorded"), n[f"{attr}_blank"])
            ]

        return cls(
            areas=n["areas"],
            heads=n["heads"],
            profiles=n["profiles"],
            aged_60=_share(n["aged_60"], n["born"]),
            party=_share(n["party"], n["profiles"]),
            concurrent=_share(n["concurrent"], n["profiles"]),
            women=_share(n["women"], n["sexed"]),
            education=distribution("education"),
            qualification=distribution("qualification"),
            theory=distribution("political_theory"),
        )


def _register_counts(today: datetime.date) -> dict[str, Aggregate]:
    """The counts behind `RegisterFigures`, over areas joined to their active head (`head`) and
    the head's profile."""
    profile = "head__person__head_profile__"

    def count(**where: Any) -> Count:
        return Count(f"{profile}pk", filter=Q(**{f"{profile}{k}": v for k, v in where.items()}))

    counts: dict[str, Aggregate] = {
        "areas": Count("pk", distinct=True),
        "heads": Count("head"),
        "profiles": Count(f"{profile}pk"),
        "born": count(birth_year__gt=0),
        "aged_60": count(birth_year__gt=0, birth_year__lte=today.year - 60),
        "party": count(party_member=True),
        "concurrent": Count(
            f"{profile}pk",
            filter=Q(**{f"{profile}party_cell_secretary": True})
            | Q(**{f"{profile}front_head": True})
            | ~Q(**{f"{profile}other_posts": ""}),
        ),
        "sexed": Count(f"{profile}pk", filter=~Q(**{f"{profile}sex": ""})),
        "women": count(sex=Sex.FEMALE),
    }
    for attr, choices in DISTRIBUTIONS.items():
        for value in choices.values:
            counts[f"{attr}_{value}"] = count(**{attr: value})
        counts[f"{attr}_blank"] = count(**{attr: ""})
    return counts


def register_figures(unit: Unit, *, rows: list[RegisterRow], today=None) -> RegisterFigures:
    """The review's figures over the heads of `unit`'s ground: the counts rolled up over its
    current areas (`territory.rollup.area_facts`, one query), the medians from the register's
    `rows` (no portable SQL median; the rows are read anyway)."""
    today = today or timezone.localdate()
    figures = register_rollup(unit, today=today, children=False).total.figures
    heads = [r.head for r in rows if r.head is not None]
    ages = [today.year - p.birth_year for r in rows if (p := r.profile) and p.birth_year]
    years = [(today - m.start).days / 365.25 for m in heads]
    return replace(
        figures,
        median_age=statistics.median(ages) if ages else None,
        median_years=statistics.median(years) if years else None,
    )


def allowance_rate_list(*, province_id: int, today: datetime.date | None = None) -> list:
    """The province's allowance table, newest first; with `today`, the rates in effect by then."""
    rates = AllowanceRate.objects.filter(province_id=province_id)
    if today is not None:
        rates = rates.filter(effective_from__lte=today)
    return list(rates)


def allowance_rate_for(mandate: Mandate, *, area: Unit, rates: list, today=None):
    """The monthly allowance rate of a head or deputy from the province's table `rates`
    (`allowance_rate_list`); None if no rate applies."""
    today = today or timezone.localdate()
    profile = getattr(mandate.person, "head_profile", None)
    category = (
        AreaCategory.LARGE
        if area.household_count >= policy.ALLOWANCE_LARGE_AREA_HOUSEHOLDS.value
        else AreaCategory.OTHER
    )
    post = Post.HEAD if mandate.role == Role.HEAD else Post.DEPUTY
    concurrent = bool(profile and (profile.party_cell_secretary or profile.front_head))
    fitting = [
        r
        for r in rates
        if r.area_category == category
        and r.post == post
        and r.concurrent == concurrent
        and r.effective_from <= today
    ]
    return max(fitting, key=lambda r: r.effective_from) if fitting else None


def register_allowances(rows: list[RegisterRow], unit: Unit, *, today: datetime.date) -> None:
    """Put each head's allowance (`row.allowance`, a rate or None) on the register's rows (one
    query for the province's table)."""
    province_id = unit.ancestor_ids[0] if unit.ancestor_ids else unit.pk
    rates = allowance_rate_list(province_id=province_id, today=today)
    for r in rows:
        if r.head is not None:
            r.allowance = allowance_rate_for(r.head, area=r.area, rates=rates, today=today)


def household_list_represented(person: Any) -> list[Household]:
    """The households `person` represents (their active resident mandates), with their area and
    commune; none for someone signed out."""
    mandates = sorted(
        (m for m in person_mandates(person) if m.role == Role.RESIDENT and m.household_id),
        key=lambda m: m.pk,
    )
    return [m.household for m in mandates if m.household is not None]


def household_representative_ids(household: Household) -> list[int]:
    """The persons representing `household` today (their active resident mandates)."""
    return list(
        Mandate.objects.active()
        .filter(household=household, role=Role.RESIDENT)
        .values_list("person_id", flat=True)
    )


# --- The heads' profile in the province's report -----------------------------------------------

AGE_BANDS = ((0, 39), (40, 49), (50, 59), (60, 200))


@dataclass(frozen=True)
class HeadsReport:
    """The profile of a ground's heads as the province's report shows it: the register's figures
    (party members, education, concurrent posts, vacancies), age bands, how they hold the post
    (elected, temporary, extended), those trained in the year; and per child unit the register's
    counts (one roll-up query)."""

    figures: RegisterFigures
    age_bands: list[tuple[str, int]]
    terms: list[tuple[Any, int]]
    trained: int
    children: list[rollup.Line[RegisterFigures]]


def register_rollup(
    unit: Unit | None, *, today: datetime.date, children: bool = True
) -> rollup.RollUp[RegisterFigures]:
    """The register's counts (`RegisterFigures` without medians) for `unit` and each child: one
    roll-up over the current areas joined to their active head."""
    active_head = Q(mandates__role=Role.HEAD, mandates__start__lte=today) & (
        Q(mandates__end__isnull=True) | Q(mandates__end__gt=today)
    )
    areas = rollup.area_facts(unit).alias(head=FilteredRelation("mandates", condition=active_head))
    return rollup.rollup(
        areas, unit, figures=_register_counts(today), row=RegisterFigures.of, children=children
    )


def heads_report(
    unit: Unit | None, *, year: int, today: datetime.date | None = None, children: bool = True
) -> HeadsReport:
    """The heads' profile for `unit`'s report of `year` (the register as it stands `today`, ages
    in `year`): the register's roll-up (two queries) and one more for the age bands, the terms and
    the heads trained in the year, whatever the number of areas."""
    from .models import Training

    today = today or timezone.localdate()
    at_area = unit is not None and unit.is_area  # (None: the whole country)
    result = register_rollup(unit, today=today, children=children and not at_area)
    profile = "head__person__head_profile__"
    active_head = Q(mandates__role=Role.HEAD, mandates__start__lte=today) & (
        Q(mandates__end__isnull=True) | Q(mandates__end__gt=today)
    )
    areas = rollup.area_facts(unit).alias(head=FilteredRelation("mandates", condition=active_head))
    counts: dict[str, Aggregate] = {
        f"age_{low}": Count(
            "head",
            filter=Q(
                **{
                    f"{profile}birth_year__gte": year - high,
                    f"{profile}birth_year__lte": year - low,
                }
            ),
        )
        for low, high in AGE_BANDS
    }
    counts["age_unknown"] = Count(
        "head",
        filter=Q(**{f"{profile}birth_year__isnull": True}) | Q(**{f"{profile}birth_year": 0}),
    )
    for state in TermState.values:
        counts[f"term_{state}"] = Count("head", filter=Q(head__term_state=state))
    trained = Training.objects.filter(person=OuterRef("head__person"), start__year=year)
    counts["trained"] = Count("head", filter=Q(Exists(trained)))
    n = areas.aggregate(**counts)
    labels = [_("under 40"), "40–49", "50–59", _("60 and over")]
    age_bands = [
        (str(label), n[f"age_{low}"]) for label, (low, _high) in zip(labels, AGE_BANDS, strict=True)
    ]
    age_bands.append((str(_("Not recorded")), n["age_unknown"]))
    terms = [(TermState(state).label, n[f"term_{state}"]) for state in TermState.values]
    return HeadsReport(result.total.figures, age_bands, terms, n["trained"], result.children)


def resident_names(area: Unit) -> tuple[list[str], list[str]]:
    """The names and addresses of the people of `area`, present and past, for masking them out
    of what is published: its households' representatives and addresses, and the persons holding
    (or having held) a mandate on one of its households or on the area as a resident. Officers'
    mandates on the area are not counted: their names are public with their post."""
    households = Household.objects.filter(area=area).values_list("representative_name", "address")
    names = {name for name, _address in households if name}
    addresses = {address for _name, address in households if address}
    persons = (
        Mandate.objects.filter(Q(household__area=area) | Q(unit=area, role=Role.RESIDENT))
        .values_list("person__full_name", flat=True)
        .distinct()
    )
    names.update(name for name in persons if name)
    return sorted(names), sorted(addresses)
