"""Lesson 3 in the province's report (`core.indicators`): the community funds kept in public
ledgers, those written in the year, and today's flags (a contribution with no decision, an
expense with no invoice, a silent ledger), on the funds' level keys."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from caunoi.core.indicators import Column, Table, indicator, share, years_spanned
from caunoi.territory import rollup

from . import policy, selectors
from .models import Entry


def _years(unit) -> set[int]:
    entries = rollup.on_ground(Entry.objects.all(), unit, prefix="fund__")
    return years_spanned(entries, "booked_on")


def _values(f) -> dict:
    return {
        "areas": f.areas,
        "written": f.written,
        "written_share": share(f.written, f.areas),
        "flagged": f.flagged,
    }


@indicator("funds.published", lesson=3, label=_("Community funds kept in public"), years=_years)
def published(unit, year: int, *, children: bool = True) -> Table | None:
    today = timezone.localdate()
    since = today - datetime.timedelta(days=policy.SILENT_DAYS.value)
    in_year = Entry.objects.filter(fund=OuterRef("pk"), booked_on__year=year)
    facts = selectors._funds(since, expenses=False).annotate(written_in=Exists(in_year))
    figures = selectors._figures(since, expenses=False)
    figures = {
        "areas": figures["areas"],
        "flagged": figures["flagged"],
        "written": Count("area", distinct=True, filter=Q(written_in=True)),
    }
    result: rollup.RollUp[Any] = rollup.rollup(facts, unit, figures=figures, children=children)
    if not result.total.figures.areas:
        return None
    return Table.of_rollup(
        result,
        [
            Column("areas", _("Areas keeping a fund")),
            Column("written", _("Ledger written in the year")),
            Column("written_share", _("Written in the year"), kind="share", chart=True),
            Column("flagged", _("Areas flagged today")),
        ],
        _values,
        _(
            "Flags, as of today: a contribution with no decision, an expense with no invoice, "
            "or a ledger silent for %(n)s days."
        )
        % {"n": policy.SILENT_DAYS.value},
    )
