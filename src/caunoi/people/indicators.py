"""Lesson 4 in the province's report (`core.indicators`): party members among the heads, and
heads who also hold another post, from the head register (its profiles), per child unit."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caunoi.core.indicators import Column, Table, indicator

from . import selectors


def _values(f) -> dict:
    return {"areas": f.areas, "heads": f.heads, "party": f.party, "concurrent": f.concurrent}


@indicator("people.party", lesson=4, label=_("Party members among the heads"))
def party(unit, year: int, *, children: bool = True) -> Table | None:
    report = selectors.register_rollup(unit, today=timezone.localdate(), children=children)
    if not report.total.figures.heads:
        return None
    return Table.of_rollup(
        report,
        [
            Column("areas", _("Residential areas")),
            Column("heads", _("Heads")),
            Column("party", _("Party members"), kind="share", chart=True),
            Column("concurrent", _("Also holding another post"), kind="share"),
        ],
        _values,
        _("From the head register as it stands today, over the heads with a profile."),
    )
