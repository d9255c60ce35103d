"""Lesson 3 in the province's report (`core.indicators`): residents' questions asked in a year,
answered, answered within their due time, and reopened, on the requests' level keys."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from caunoi.core.indicators import Column, Table, indicator, share, year_range, years_spanned
from caunoi.territory import rollup

from .models import Request


def _years(unit) -> set[int]:
    return years_spanned(rollup.on_ground(Request.objects.all(), unit), "created_at")


FIGURES = {
    "asked": Count("id"),
    "answered": Count("id", filter=Q(answered_at__isnull=False)),
    "in_time": Count("id", filter=Q(answered_at__date__lte=F("due_date"))),
    "reopened": Count("id", filter=Q(reopen_count__gt=0)),
}


def _values(f) -> dict:
    return {
        "asked": f.asked,
        "answered": f.answered,
        "in_time": f.in_time,
        "in_time_share": share(f.in_time, f.asked),
        "reopen_rate": share(f.reopened, f.answered),
    }


@indicator("feedback.answered", lesson=3, label=_("Questions answered in time"), years=_years)
def answered(unit, year: int, *, children: bool = True) -> Table | None:
    start, end = year_range(year)
    facts = Request.objects.filter(created_at__gte=start, created_at__lt=end)
    result: rollup.RollUp[Any] = rollup.rollup(facts, unit, figures=FIGURES, children=children)
    if not result.total.figures.asked:
        return None
    return Table.of_rollup(
        result,
        [
            Column("asked", _("Questions asked")),
            Column("answered", _("Answered")),
            Column("in_time_share", _("Answered in time"), kind="share", chart=True),
            Column("reopen_rate", _("Reopened"), kind="share"),
        ],
        _values,
        _("In time: answered by the due date of its category, of all questions asked."),
    )
