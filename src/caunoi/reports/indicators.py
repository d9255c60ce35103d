"""The report's lesson-5 figure from the commendation flow (see caunoi.core.indicators):
proposals, heads proposed and commended, and the steps done in time. Proposals are few (one per
commune, year and award): they are counted here rather than rolled up from level keys."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from caunoi.core.indicators import Column, Line, Table, indicator, share

from .models import Proposal, ProposalLine


def _years(unit: Any) -> set[int]:
    found = Proposal.objects.filter(commune__path__startswith=unit.path if unit else "")
    return set(found.values_list("year", flat=True).distinct())


def _figures(proposals: list[Proposal]) -> dict[str, Any]:
    lines = [line for p in proposals for line in p.lines.all()]
    decided = [p for p in proposals if p.decided_at is not None]
    return {
        "proposals": len(proposals),
        "heads": len(lines),
        "commended": sum(
            1
            for p in decided
            for line in p.lines.all()
            if line.state == ProposalLine.State.APPROVED
        ),
        "proposed_in_time": share(sum(1 for p in proposals if not p.proposed_late), len(proposals)),
        "decided_in_time": share(sum(1 for p in decided if not p.decided_late), len(decided)),
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
    proposals = list(
        Proposal.objects.filter(year=year, commune__path__startswith=unit.path if unit else "")
        .select_related("commune")
        .prefetch_related("lines")
    )
    if not proposals:
        return None
    columns = [
        Column("proposals", _("Proposals")),
        Column("heads", _("Heads proposed")),
        Column("commended", _("Heads commended")),
        Column("proposed_in_time", _("Proposed in time"), kind="share", chart=True),
        Column("decided_in_time", _("Decided in time"), kind="share"),
    ]
    lines: list[Line] = []
    if children and (unit is None or not unit.is_commune):
        from caunoi.territory.rollup import children_of

        for child in children_of(unit):
            mine = [p for p in proposals if p.commune.path.startswith(child.path)]
            if mine:
                lines.append(Line(child, _figures(mine)))
    return Table(
        columns=columns,
        total=_figures(proposals),
        lines=lines,
        note=_("In time: by the declared commendation deadlines (working days)."),
    )
