"""The province's report of a unit and a year, assembled from the apps' own reads: the structure
(territory), the heads' profile (people), the survey table (surveys) and one section per lesson
with the indicators the apps declared (`core.indicators`). Nothing is rolled up here: each figure
comes from `territory.rollup` through the app that owns it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caunoi.core import pagecache
from caunoi.core.indicators import LESSONS, Column, Indicator, Line, Table, indicator_list
from caunoi.people.selectors import HeadsReport, heads_report
from caunoi.surveys.selectors import Results, campaign_list_covering, campaign_results
from caunoi.surveys.selectors import campaign_years as survey_years
from caunoi.territory.models import Unit
from caunoi.territory.selectors import (
    in_order,
    unit_descendant_counts,
    unit_figures,
    unit_node_children,
)

from .sorting import parse_sort, sorted_lines

LESSON_TITLES = {
    1: _("Lesson 1: every policy reaches every household"),
    2: _("Lesson 2: heads follow the commune's direction"),
    3: _("Lesson 3: a public fund and answered questions"),
    4: _("Lesson 4: party members lead"),
    5: _("Lesson 5: work handed out early"),
}


@dataclass
class StructureLine:
    unit: Unit
    figures: dict[str, Any]


@dataclass
class Structure:
    figures: dict[str, Any]  # territory.selectors.unit_figures
    on: datetime.date | None  # the day the tree is read as of (None: today)
    children: list[StructureLine]


@dataclass
class Section:
    indicator: Indicator
    table: Table
    lines: list[Line]  # sorted
    sort: str  # "column" or "-column" ("" : by code)
    trend: list[tuple[int, Any]] = field(default_factory=list)  # (year, the chart's figure)

    @property
    def chart_items(self) -> list[tuple[str, Any]]:
        column = self.table.chart_column
        if column is None:
            return []
        return [(line.unit.short_name, line.values.get(column.key)) for line in self.lines]

    @property
    def trend_items(self) -> list[tuple[str, Any]]:
        return [(str(year), value) for year, value in self.trend]


@dataclass
class Lesson:
    number: int
    title: Any
    sections: list[Section]


@dataclass(frozen=True)
class Nation:
    """The whole country as the national report names it: the top of the territory tree is the
    province, so it is no `Unit` (its figures are read with the unit None)."""

    name: Any = _("Viet Nam")
    short_name: Any = _("Viet Nam")
    code: str = ""
    url_prefix: str = "ca-nuoc"
    path: str = ""
    pk: None = None
    parent: None = None
    is_area: bool = False
    is_commune: bool = False
    is_district: bool = False
    is_province: bool = False
    is_national: bool = True


NATION = Nation()


@dataclass
class Report:
    unit: Unit | Nation
    year: int
    years: list[int]
    structure: Structure
    heads: HeadsReport
    surveys: list[Results]
    lessons: list[Lesson]


def report_version(unit: Unit | None) -> int:
    """The page version a unit's report follows (its stored figures are fresh at it, its years
    are kept under it); for the national report (None) every unit's: any write anywhere moves it
    (one indexed sum over the communes' rows)."""
    if unit is not None:
        return pagecache.version(unit)
    from django.db.models import Sum

    from caunoi.core.models import PageVersion

    return int(PageVersion.objects.aggregate(n=Sum("n"))["n"] or 0)


def report_years(unit: Unit | None) -> list[int]:
    """The years in which some app holds facts on `unit`'s ground (None: the whole country), and
    this year, newest first (kept in the cache until a write on the ground moves the unit's page
    version)."""
    from django.core.cache import cache

    pk = unit.pk if unit is not None else "national"
    key = f"report-years:{pk}:{report_version(unit)}:{timezone.localdate().year}"
    found = cache.get(key)
    if found is None:
        found = _report_years(unit)
        cache.set(key, found, 24 * 3600)
    return list(found)


def _report_years(unit: Unit | None) -> list[int]:
    years = {timezone.localdate().year} | survey_years(unit)
    for ind in indicator_list():
        if ind.years is not None:
            years |= ind.years(unit)
    return sorted(years, reverse=True)


def report_structure(unit: Unit | None, *, year: int, children: bool = True) -> Structure:
    """Units by kind, areas and households of `unit` as the tree stood at the end of `year` (or
    today, for this year); households are those kept today (their history is not kept)."""
    today = timezone.localdate()
    on = None if year >= today.year else datetime.date(year, 12, 31)
    figures = unit_figures(unit_descendant_counts(unit, on=on))
    if on is not None:
        figures["households"] = unit_descendant_counts(unit).get("households")
    lines: list[StructureLine] = []
    if children and (unit is None or not unit.is_area):
        for node in unit_node_children(unit, on=on):
            lines.append(StructureLine(node.unit, unit_figures(node.counts)))
    if unit is not None and unit.is_area:
        figures["households"] = unit.household_count
    return Structure(figures, on, lines)


def section_get(
    ind: Indicator, unit: Unit | None, *, year: int, sort: str = "", trend: bool = True
) -> Section | None:
    table = ind.compute(unit, year, children=True)
    if table is None:
        return None
    section = Section(ind, table, sorted_lines(table, sort), sort)
    column: Column | None = table.chart_column
    years = sorted(ind.years(unit)) if ind.years is not None and trend else []
    if column is not None and len(years) > 1:
        for y in years:
            t = table if y == year else ind.compute(unit, y, children=False)
            section.trend.append((y, t.total.get(column.key) if t else None))
    return section


def unit_report(
    unit: Unit | None,
    *,
    year: int,
    sort: str = "",
    lang: str = "vi",
    years: list[int] | None = None,
) -> Report:
    """The whole report of `unit` for `year` (None: the national report, a line per province);
    `sort` ("<indicator>:[-]<column>") orders one indicator's lines."""
    sort_key, sort_column = parse_sort(sort)
    lessons = []
    for number in LESSONS:
        sections = []
        for ind in indicator_list(number):
            found = section_get(
                ind, unit, year=year, sort=sort_column if ind.key == sort_key else ""
            )
            if found is not None:
                sections.append(found)
        lessons.append(Lesson(number, LESSON_TITLES[number], sections))
    surveys = [
        campaign_results(campaign, unit, lang=lang)
        for campaign in campaign_list_covering(unit, year=year)
    ]
    return Report(
        unit=unit if unit is not None else NATION,
        year=year,
        years=years if years is not None else report_years(unit),
        structure=report_structure(unit, year=year),
        heads=heads_report(unit, year=year),
        surveys=surveys,
        lessons=lessons,
    )


# --- Published survey results (public, no account) ----------------------------------------------


def publication_list_public() -> list[Any]:
    from .models import Publication

    return list(
        Publication.objects.filter(withdrawn_at=None)
        .select_related("campaign", "unit")
        .order_by("-published_at", "-pk")[:100]
    )


def publication_public_get(pk: int) -> Any:
    """A live publication, or None (a withdrawn one is as missing as one that never was)."""
    from .models import Publication

    return (
        Publication.objects.filter(pk=pk, withdrawn_at=None)
        .select_related("campaign", "campaign__form", "unit")
        .first()
    )


def published_page_unit(*, pk: int, level: Any = None, code: str | None = None, **_url: Any):
    """The unit whose version keys a published result's page (`core.pagecache`): the one its
    address names, else the publication's. Its version covers the publication's (an ancestor),
    the responses below it (each bumps its area) and the territory's names."""
    from caunoi.territory.selectors import unit_of_page

    from .models import Publication

    if code is not None:
        return unit_of_page(level=level, code=code)
    found = Publication.objects.filter(pk=pk).select_related("unit").only("unit").first()
    return found.unit if found else None


def publication_list_of(campaign: Any) -> list[Any]:
    """The live publications of a campaign (for the officers' report page)."""
    from .models import Publication

    return list(Publication.objects.filter(campaign=campaign, withdrawn_at=None))


def published_results(publication: Any, unit: Unit, *, lang: str = "vi") -> Results | None:
    """The results anyone may read for `unit` (the publication's unit or a district or commune
    below it): the questions with their intervals, and the children's first-choice shares down to
    the communes (a commune's areas are never listed: each is a named head's rating); None when
    `unit` is an area, outside the publication's ground, or under the minimum of responses."""
    from caunoi.surveys import policy as survey_policy

    if unit.is_area or not unit.path.startswith(publication.unit.path):
        return None
    results = campaign_results(publication.campaign, unit, lang=lang, children=not unit.is_commune)
    if results.total < survey_policy.MIN_RESPONSES.value:
        return None
    return results


# --- Commendation -------------------------------------------------------------------------------


@dataclass
class Candidate:
    area: Unit
    head: Any
    card: Any  # scorecards.Scorecard
    may: bool  # its grade may be proposed


def commendation_candidates(commune: Unit, *, year: int) -> list[Candidate]:
    """The commune's current areas with a head, each with the head's scorecard for `year`."""
    from caunoi.people.selectors import mandate_list_of_heads

    from . import policy
    from .scorecards import scorecard

    province = commune.lineage()[0]
    areas = in_order(Unit.objects.filter(parent=commune, valid_to__isnull=True))
    heads = mandate_list_of_heads([a.pk for a in areas])
    out = []
    for area in areas:
        mandate = heads.get(area.pk)
        if mandate is None:
            continue
        card = scorecard(area, year=year, province=province)
        out.append(Candidate(area, mandate.person, card, card.grade in policy.GRADES.value))
    return out


def proposal_list(unit: Unit) -> Any:
    """The proposals of a commune, or of every commune under a district or province."""
    from .models import Proposal

    qs = Proposal.objects.select_related("commune").prefetch_related("lines")
    if unit.is_commune:
        return qs.filter(commune=unit)
    return qs.filter(commune__path__startswith=unit.path).exclude(commune=unit)


def proposal_line_list(proposal: Any) -> list[Any]:
    return list(proposal.lines.select_related("person", "area").order_by("area__code", "id"))


def own_line_list(person: Any, area: Unit) -> list[Any]:
    """A head's own commendation lines (proposed for this area)."""
    from .models import ProposalLine

    return list(
        ProposalLine.objects.filter(person=person, area=area)
        .select_related("proposal", "proposal__commune")
        .order_by("-proposal__year", "-id")
    )


def commendation_list_of_person(person: Any) -> list[Any]:
    """Every approved and decided commendation of a person (their register's history)."""
    from .models import Proposal, ProposalLine

    return list(
        ProposalLine.objects.filter(
            person=person,
            state=ProposalLine.State.APPROVED,
            proposal__state=Proposal.State.DECIDED,
        )
        .select_related("proposal", "area")
        .order_by("-proposal__year", "-id")
    )


def commendation_list_public_of_area(area: Unit) -> list[Any]:
    """The decided commendations of the area's heads who consented to show them."""
    from .models import Proposal, ProposalLine

    return list(
        ProposalLine.objects.filter(
            area=area,
            public=True,
            state=ProposalLine.State.APPROVED,
            proposal__state=Proposal.State.DECIDED,
        )
        .select_related("proposal", "person")
        .order_by("-proposal__year", "-id")[:10]
    )
