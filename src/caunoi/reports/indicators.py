"""The report's lesson-5 figure from the commendation flow (see caunoi.core.indicators):
proposals, heads proposed and commended, and the steps done in time, rolled up over the territory
(`territory.rollup`) like every other figure of the report."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from caunoi.core.indicators import Column, Table, indicator, share
from caunoi.territory import rollup
from caunoi.territory.models import Level

from .models import Proposal, ProposalLine


def _years(unit: Any) -> set[int]:
    found = Proposal.objects.filter(commune__path__startswith=unit.path if unit else "")
    return set(found.values_list("year", flat=True).distinct())


def _keyed(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Proposals as facts of the roll-up: a proposal is about its commune (`commune_id`); its
    district and province are read from today's tree, as `rollup.area_facts` reads an area's
    (`district_id` the commune's parent when that is a district, else None)."""
    parent_is_district = Q(commune__parent__level=Level.DISTRICT)
    return proposals.annotate(
        district_id=models.Case(
            models.When(parent_is_district, then=F("commune__parent_id")),
            output_field=models.IntegerField(),
        ),
        province_id=models.Case(
            models.When(parent_is_district, then=F("commune__parent__parent_id")),
            default=F("commune__parent_id"),
            output_field=models.IntegerField(),
        ),
        submitted_on=TruncDate("submitted_at"),  # the local day (the site's time zone)
        decided_on=TruncDate("decided_at"),
    )


DECIDED = Q(decided_at__isnull=False)
DECIDED_ON_TIME = DECIDED & Q(decided_on__lte=F("decide_by"))
FIGURES = {
    "proposals": Count("id", distinct=True),
    "heads": Count("lines"),
    "commended": Count("lines", filter=DECIDED & Q(lines__state=ProposalLine.State.APPROVED)),
    "proposed_on_time": Count("id", distinct=True, filter=Q(submitted_on__lte=F("propose_by"))),
    "decided": Count("id", distinct=True, filter=DECIDED),
    "decided_on_time": Count("id", distinct=True, filter=DECIDED_ON_TIME),
}


def _values(f: Any) -> dict[str, Any]:
    return {
        "proposals": f.proposals,
        "heads": f.heads,
        "commended": f.commended,
        "proposed_in_time": share(f.proposed_on_time, f.proposals),
        "decided_in_time": share(f.decided_on_time, f.decided),
    }


@indicator(
    "reports.commendations",
    lesson=5,
    label=_("Heads commended, and in time"),
    order=90,
    years=_years,
)
def commendations(unit: Any, year: int, *, children: bool = True) -> Table | None:
    if unit is not None and unit.is_area:  # (None: the whole country)
        return None
    wanted = children and (unit is None or not unit.is_commune)
    result: rollup.RollUp[Any] = rollup.rollup(
        _keyed(Proposal.objects.filter(year=year)), unit, figures=FIGURES, children=wanted
    )
    if not result.total.figures.proposals:
        return None
    table = Table.of_rollup(
        result,
        [
            Column("proposals", _("Proposals")),
            Column("heads", _("Heads proposed")),
            Column("commended", _("Heads commended")),
            Column("proposed_in_time", _("Proposed in time"), kind="share", chart=True),
            Column("decided_in_time", _("Decided in time"), kind="share"),
        ],
        _values,
        _("In time: by the declared commendation deadlines (working days)."),
    )
    table.lines = [line for line in table.lines if line.values["proposals"]]  # those that proposed
    return table
