"""Lesson 3 in the province's report (`core.indicators`) and the head's scorecard: the regular
community meetings held with a quorum in a year, against MEETINGS_REGULAR_PER_YEAR per area
(R-4.3), for a unit and each of its children."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Least
from django.utils.translation import gettext_lazy as _

from caunoi.core.indicators import Column, Table, indicator, share, years_spanned
from caunoi.territory import rollup

from . import policy, selectors
from .models import Meeting


def _years(unit) -> set[int]:
    meetings = Meeting.objects.filter(kind="regular")
    if unit is not None:
        meetings = meetings.filter(area__path__startswith=unit.path)
    return years_spanned(meetings, "starts_at")


def _values(f, per_year: int) -> dict:
    return {
        "areas": f.areas,
        "held": f.held or 0,
        "areas_met": f.areas_met,
        "held_share": share(f.counted or 0, (f.areas or 0) * per_year),
    }


@indicator(
    "meetings.regular",
    lesson=3,
    label=_("Regular meetings held with quorum"),
    years=_years,
)
def regular(unit, year: int, *, children: bool = True) -> Table | None:
    per_year = policy.REGULAR_PER_YEAR.value
    areas = rollup.area_facts(unit).annotate(held_n=selectors._regular_held(year))
    figures = {
        "areas": Count("id"),
        "held": Sum("held_n"),
        # An area's extra meetings do not make up for another's missing ones.
        "counted": Sum(Least(F("held_n"), per_year)),
        "areas_met": Count("id", filter=Q(held_n__gte=per_year)),
    }
    result: rollup.RollUp[Any] = rollup.rollup(areas, unit, figures=figures, children=children)
    if not result.total.figures.areas or not per_year:
        return None
    return Table.of_rollup(
        result,
        [
            Column("areas", _("Areas")),
            Column("held", _("Regular meetings held with quorum")),
            Column("areas_met", _("Areas that held all their regular meetings")),
            Column("held_share", _("Of the regular meetings due"), kind="share", chart=True),
        ],
        lambda figures: _values(figures, per_year),
        _(
            "%(n)s regular meetings a year per area (mid-year and year-end), each held with more "
            "than half of the households represented; an area's extra meetings count at most "
            "%(n)s."
        )
        % {"n": per_year},
    )
