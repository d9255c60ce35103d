import calendar
import dataclasses
import datetime
import statistics
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Aggregate, Count, FilteredRelation, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caunoi.core.audit import action_label
from caunoi.core.models import AuditEntry
from caunoi.people.access import APPOINTABLE, Access
from caunoi.territory import rollup
from caunoi.territory.models import Household, Level, Unit

from . import policy
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


def person_mandates(person):
    """The person's active mandates with their units, most local first."""
    return list(
        Mandate.objects.active()
        .filter(person=person)
        .select_related("unit")
        .order_by("-unit__level", "role")
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
    children = list(Unit.objects.filter(parent=unit, valid_to__isnull=True).order_by("code"))
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


def child_level_label(unit: Unit):
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
    if value is None or value == "" or value == []:
        return "—"
    if field is not None and field.is_relation and names is not None:
        return names.get((field.related_model, value), f"#{value}")
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:10]}/{value[5:7]}/{value[0:4]}"  # an ISO date, shown dd/mm/yyyy
    return str(value)


def _raw_changes(entry: AuditEntry) -> list[tuple]:
    """(field name, model field or None, before, after, has before, has after) that differ."""
    before = entry.before or {}
    after = entry.after or {}
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
        changes.append(
            (name, _field(entry.object_type, name), old, new, name in before, name in after)
        )
    return changes


def audit_entry_rows(entries) -> list[dict]:
    """The page's entries with readable labels and changes. Related objects named by their
    current name: one query per kind of related object, whatever the number of entries."""
    raw = [(e, _raw_changes(e)) for e in entries]
    wanted: dict = {}
    for _e, changes in raw:
        for _name, field, old, new, _hb, _ha in changes:
            if field is not None and field.is_relation and field.many_to_one:
                for value in (old, new):
                    if isinstance(value, int | str) and value != "":
                        try:  # an entry written with a code instead of an id shows as written
                            pk = field.related_model._meta.pk.to_python(value)
                        except ValidationError:
                            continue
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


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


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
    areas = (
        Unit.objects.filter(level=Level.AREA, path__startswith=unit.path, valid_to__isnull=True)
        .select_related("parent")
        .annotate(last_head_end=Subquery(last_head_end))
        .order_by("parent__code", "code")
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
    active_head = Q(mandates__role=Role.HEAD, mandates__start__lte=today) & (
        Q(mandates__end__isnull=True) | Q(mandates__end__gt=today)
    )
    areas = rollup.area_facts(unit).alias(head=FilteredRelation("mandates", condition=active_head))
    figures = rollup.rollup(
        areas, unit, figures=_register_counts(today), row=RegisterFigures.of, children=False
    ).total.figures
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
    if not getattr(person, "is_authenticated", False):
        return []
    mandates = (
        Mandate.objects.active()
        .filter(person=person, role=Role.RESIDENT, household__isnull=False)
        .select_related("household__area__parent")
        .order_by("id")
    )
    return [m.household for m in mandates if m.household is not None]
