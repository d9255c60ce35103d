"""Scorecards: a head's year scored by the province's emulation rules, from the indicators the
apps declare (`core.indicators`, computed for the head's area) and the residents' survey.

Each criterion names an indicator's column ("directives.done:fair_on_time_rate") with a weight
(points; the weights add up to 100) and a target: a criterion earns `weight × min(1, value /
target)`. A criterion without a value (no task that year, a survey under the minimum of
responses) is left out and the score is scaled to the weights that have one, so that a head is
never marked down for what did not happen. Tasks the commune handed out below the minimum lead
time are not in "fair_on_time_rate": they are shown apart."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from caunoi.core.indicators import REGISTRY
from caunoi.surveys import policy as survey_policy
from caunoi.surveys.selectors import campaign_list_covering, campaign_results
from caunoi.territory.models import Unit
from caunoi.territory.selectors import in_order

from .models import EmulationRules

SURVEY = "surveys.rating:first_choice"

# What a criterion may measure: the label shown on the rules' page, by key.
MEASURES: dict[str, Any] = {
    "directives.done:fair_on_time_rate": _("Tasks done on time (given in time)"),
    "outreach.reach:share": _("Households that acknowledged the notices"),
    "feedback.answered:in_time_share": _("Questions answered in time"),
    "funds.published:written_share": _("Fund ledger kept in the year"),
    "meetings.regular:held_share": _("Regular meetings held with quorum"),
    SURVEY: _("Residents rating the head “very good”"),
}


@dataclass(frozen=True)
class Rules:
    """The rules in force for a province and year (a saved version, or the example)."""

    criteria: list[dict[str, Any]]
    excellent: int
    good: int
    floor: int
    basis: str
    version: int = 0  # 0: the shipped example
    entered_at: datetime.datetime | None = None

    @property
    def is_example(self) -> bool:
        return self.version == 0


EXAMPLE = Rules(
    criteria=[
        {"key": "directives.done:fair_on_time_rate", "weight": 30, "target": 0.9},
        {"key": "outreach.reach:share", "weight": 20, "target": 0.8},
        {"key": "feedback.answered:in_time_share", "weight": 20, "target": 0.9},
        {"key": "funds.published:written_share", "weight": 10, "target": 1.0},
        {"key": SURVEY, "weight": 20, "target": 0.6},
    ],
    excellent=90,
    good=75,
    floor=50,
    basis="",  # (the page says it is the example)
)


def rules_for(province: Unit, year: int) -> Rules:
    saved = EmulationRules.objects.filter(province=province, year=year).order_by("-version").first()
    if saved is None:
        return EXAMPLE
    return Rules(
        saved.criteria,
        saved.excellent,
        saved.good,
        saved.floor,
        saved.basis,
        saved.version,
        saved.entered_at,
    )


def rules_history(province: Unit, year: int) -> list[EmulationRules]:
    return list(EmulationRules.objects.filter(province=province, year=year).order_by("-version"))


@dataclass
class Criterion:
    key: str
    label: Any
    weight: int
    target: float
    value: float | None
    points: float | None  # None: no value this year, left out
    behind: dict[str, Any] = field(default_factory=dict)  # the numbers behind the value
    link: str = ""


@dataclass
class Scorecard:
    area: Unit
    year: int
    rules: Rules
    criteria: list[Criterion]
    score: float | None  # out of 100, over the criteria with a value
    grade: str  # excellent | good | fair | support | none
    households: int
    rushed: int  # tasks handed out below the minimum lead time (apart)
    commune_rushed_share: float | None
    survey_suppressed: bool = False
    survey_interval: tuple[float, float] | None = None

    @property
    def grade_label(self) -> Any:
        return GRADES[self.grade]


GRADES = {
    "excellent": _("Excellent"),
    "good": _("Good"),
    "fair": _("Fair"),
    "support": _("Needs support"),
    "none": _("Not enough evidence"),
}


def _survey(area: Unit, year: int) -> tuple[float | None, dict[str, Any], bool, Any]:
    """(share choosing the key question's first choice, the counts, suppressed, interval)."""
    for campaign in campaign_list_covering(area, year=year):
        res = campaign_results(campaign, area, children=False)
        if res.suppressed or res.total < survey_policy.MIN_RESPONSES.value:
            return None, {"responses": res.total}, True, None
        if res.key_choice is not None:
            share = res.key_choice.share
            behind = {"responses": res.total, "chose": share.count}
            return share.value, behind, False, (share.low, share.high)
    return None, {}, False, None


def score(criteria: list[Criterion]) -> float | None:
    counted = [c for c in criteria if c.points is not None]
    weights = sum(c.weight for c in counted)
    if not weights:
        return None
    return round(sum(c.points or 0 for c in counted) * 100 / weights, 1)


def grade(value: float | None, rules: Rules) -> str:
    if value is None:
        return "none"
    if value >= rules.excellent:
        return "excellent"
    if value >= rules.good:
        return "good"
    if value >= rules.floor:
        return "fair"
    return "support"


def points(weight: int, target: float, value: float | None) -> float | None:
    if value is None:
        return None
    return weight * min(1.0, value / target) if target else float(weight)


def scorecard(area: Unit, *, year: int, province: Unit) -> Scorecard:
    rules = rules_for(province, year)
    tables: dict[str, Any] = {}
    criteria = []
    survey_suppressed, interval = False, None
    rushed = 0
    for item in rules.criteria:
        key = item["key"]
        indicator, _sep, column = key.partition(":")
        behind: dict[str, Any] = {}
        if key == SURVEY:
            value, behind, survey_suppressed, interval = _survey(area, year)
        else:
            if indicator not in tables:
                found = REGISTRY.get(indicator)
                tables[indicator] = found.compute(area, year, children=False) if found else None
            table = tables[indicator]
            value = table.total.get(column) if table is not None else None
            if table is not None:
                behind = {c.key: table.total.get(c.key) for c in table.columns if c.key != column}
                behind = {k: v for k, v in behind.items() if v is not None}
        criteria.append(
            Criterion(
                key,
                MEASURES.get(key, key),
                item["weight"],
                item["target"],
                value,
                points(item["weight"], item["target"], value),
                behind,
            )
        )
    done = tables.get("directives.done")
    if done is not None:
        rushed = done.total.get("rushed") or 0
    lead = (
        REGISTRY["directives.lead"].compute(area.parent, year, children=False)
        if area.parent
        else None
    )
    total = score(criteria)
    return Scorecard(
        area=area,
        year=year,
        rules=rules,
        criteria=criteria,
        score=total,
        grade=grade(total, rules),
        households=area.household_count,
        rushed=rushed,
        commune_rushed_share=lead.total.get("below_min_share") if lead else None,
        survey_suppressed=survey_suppressed,
        survey_interval=interval,
    )


def head_of(area: Unit) -> Any:
    """The area's current head (a Person), or None."""
    from caunoi.people.selectors import mandate_list_of_heads

    mandate = mandate_list_of_heads([area.pk]).get(area.pk)
    return mandate.person if mandate else None


@dataclass
class SupportLine:
    area: Unit
    head: Any
    cards: list[Scorecard]  # this year's, then last year's


def needs_support(commune: Unit, *, year: int) -> list[SupportLine]:
    """The areas of `commune` whose scorecard fell below the province's floor in `year` and in
    the year before (TT 04/2012 Điều 13's other side: support, a deputy, a lighter load); never a
    public ranking. Scored for the area's current head."""
    from caunoi.people.selectors import mandate_list_of_heads

    province = commune.lineage()[0]
    areas = in_order(Unit.objects.filter(parent=commune, valid_to__isnull=True))
    heads = mandate_list_of_heads([a.pk for a in areas])
    out = []
    for area in areas:
        cards = [scorecard(area, year=y, province=province) for y in (year, year - 1)]
        if all(card.grade == "support" for card in cards):
            mandate = heads.get(area.pk)
            out.append(SupportLine(area, mandate.person if mandate else None, cards))
    return out
