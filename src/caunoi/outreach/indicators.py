"""Lesson 1 in the province's report: the notices published in a year and the households they
reached and that acknowledged them (`core.indicators`), on the notice areas' level keys."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from caunoi.core.indicators import Column, Table, indicator, share, year_range, years_spanned
from caunoi.territory import rollup

from .models import Notice, NoticeArea

_PUBLISHED = Q(notice__status=Notice.Status.PUBLISHED)


def _years(unit) -> set[int]:
    facts = rollup.on_ground(NoticeArea.objects.filter(_PUBLISHED), unit)
    return years_spanned(facts, "notice__publish_at")


def _values(f) -> dict:
    return {
        "notices": f.notices,
        "households": f.households,
        "acknowledged": f.acknowledged,
        "share": share(f.acknowledged, f.households),
    }


@indicator(
    "outreach.reach", lesson=1, label=_("Notices that reached every household"), years=_years
)
def reach(unit, year: int, *, children: bool = True) -> Table | None:
    start, end = year_range(year)
    facts = NoticeArea.objects.filter(
        _PUBLISHED, notice__publish_at__gte=start, notice__publish_at__lt=end
    )
    result: rollup.RollUp[Any] = rollup.rollup(
        facts,
        unit,
        figures={
            "notices": Count("notice", distinct=True),
            "households": Sum("households", default=0),
            "acknowledged": Sum("acknowledged", default=0),
        },
        children=children,
    )
    if not result.total.figures.notices:
        return None
    return Table.of_rollup(
        result,
        [
            Column("notices", _("Notices")),
            Column("households", _("Households reached")),
            Column("acknowledged", _("Households that acknowledged")),
            Column("share", _("Acknowledged"), kind="share", chart=True),
        ],
        _values,
        _("Each notice counts once per household it went to; “acknowledged”: “Got it”."),
    )
